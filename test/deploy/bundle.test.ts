// The shipped bundle stays ASCII: one non-ASCII character makes V8 hold a whole chunk's source as UTF-16
// (twice the memory, for the life of the process). scripts/bundle.js escapes what esbuild can and fails
// the build on what it cannot.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleOptions, nonAsciiFiles } from '../../scripts/bundle.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kvr-bundle-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bundles `source` with the shipped options and returns the output .js files. */
async function bundleSource(source: string): Promise<string[]> {
  const entry = path.join(dir, 'entry.ts');
  await writeFile(entry, source);
  const outdir = path.join(dir, 'out');
  await esbuild.build({ ...bundleOptions(outdir), entryPoints: { main: entry }, logLevel: 'silent' });
  return (await readdir(outdir)).filter((f) => f.endsWith('.js')).map((f) => path.join(outdir, f));
}

describe('bundle text', () => {
  it('escapes non-ASCII strings and moves licence comments out of the chunks', async () => {
    const files = await bundleSource(
      `/*! @license MIT, Jimmy Wärting */\n// “a comment”\nexport const unit = 'µs → ms';\nconsole.log(unit);\n`,
    );
    expect(await nonAsciiFiles(files)).toEqual([]);
    const text = await readFile(files[0]!, 'utf8');
    expect(text).toContain('\\xB5s \\u2192 ms');
    expect(text).not.toContain('comment');
    const legal = await readFile(path.join(dir, 'out', 'main.js.LEGAL.txt'), 'utf8');
    expect(legal).toContain('Jimmy Wärting');
  });

  it('reports a regular expression literal esbuild leaves as it is, with its place', async () => {
    const files = await bundleSource(
      `export const DURATION = /^(\\d+(us|µs|ms))+$/;\nconsole.log(DURATION);\n`,
    );
    const wide = await nonAsciiFiles(files);
    expect(wide).toHaveLength(1);
    expect(wide[0]).toContain('main.js');
    expect(wide[0]).toContain('us|µs|ms');
  });
});
