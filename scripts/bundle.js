// @ts-check
// Builds the shipped CLI: one ESM bundle of src/cli/main.ts and everything it imports, split per verb
// (each verb is a lazy import, so `kv-rollover crds` still does not load the Azure SDKs).
//
// Why a bundle rather than tsc's file-per-module output: Node keeps the source text of every module it
// loads, and @kubernetes/client-node's entry point imports every generated API of Kubernetes. Bundling
// keeps only what the operator reaches, which cut the operator's memory floor by about a third (README,
// "Benchmark"). Tests import it to run the operator exactly as it ships.
import { builtinModules } from 'node:module';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run build` writes the bundle; bin/kv-rollover.js loads main.js from here. */
export const DIST = path.join(ROOT, 'dist');

/**
 * esbuild options for a bundle written to `outdir`.
 * @param {string} outdir
 * @returns {esbuild.BuildOptions & { metafile: true }}
 */
export function bundleOptions(outdir) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.json',
    // Some dependencies test `constructor.name` (node-fetch accepts a signal only if its class is named
    // AbortSignal); without this esbuild renames classes that clash with globals and they break.
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    // CommonJS dependencies call require() for Node's built-ins; an ES module has no require of its own.
    banner: {
      js: "import { createRequire as __kvrCreateRequire } from 'node:module'; const require = __kvrCreateRequire(import.meta.url);",
    },
  };
}

/**
 * Writes the bundle to `outdir` (emptied first) and returns what esbuild reports.
 * @param {string} [outdir]
 */
export async function bundle(outdir = DIST) {
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build(bundleOptions(outdir));
  const external = new Set(
    Object.values(result.metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((i) => i.external && !isBuiltin(i.path) && !OPTIONAL_PEERS.has(i.path))
      .map((i) => i.path),
  );
  // A dependency left outside would need node_modules next to the bundle at run time.
  if (external.size > 0) throw new Error(`bundle: imports left unbundled: ${[...external].join(', ')}`);
  return result;
}

/**
 * Optional packages that dependencies require() inside try/catch and work without (none is installed):
 * node-fetch's `encoding`, ws's native `bufferutil` and `utf-8-validate`.
 */
const OPTIONAL_PEERS = new Set(['encoding', 'bufferutil', 'utf-8-validate']);

/** @param {string} specifier */
function isBuiltin(specifier) {
  // node:-only modules (node:sqlite, node:test) are not in builtinModules on Node 20.
  if (specifier.startsWith('node:')) return true;
  return builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0] ?? specifier);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await bundle(process.argv[2] === undefined ? DIST : path.resolve(process.argv[2]));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`bundle: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1e6).toFixed(1)} MB`);
}
