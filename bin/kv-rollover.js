#!/usr/bin/env node
// Launcher: runs the bundled CLI (built by `npm ci` through the `prepare` script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
if (!existsSync(entry)) {
  console.error('kv-rollover: the CLI is not built yet. Run `npm run build` (npm ci does it for you).');
  process.exit(2);
}
await import(entry);
