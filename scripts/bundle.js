// @ts-check
// Builds the shipped CLI: one ESM bundle of src/cli/main.ts and everything it imports, split per verb
// (each verb is a lazy import, so `kv-rollover crds` still does not load the Azure SDKs).
//
// Why a bundle rather than tsc's file-per-module output: Node keeps the source text of every module it
// loads, and @kubernetes/client-node's entry point imports every generated API of Kubernetes. Bundling
// keeps only what the operator reaches, which cut the operator's memory floor by about a third (README,
// "Benchmark"). Tests import it to run the operator exactly as it ships.
import { builtinModules } from 'node:module';
import { readFile, rm } from 'node:fs/promises';
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
    // Node keeps the source text of every chunk it loads for as long as the process lives: whitespace,
    // comments and redundant syntax go (identifiers stay, so stack traces keep their names; the linked
    // source maps give the lines). Measured at 1,000 + 200 resources: README, "What profiling found".
    minifyWhitespace: true,
    minifySyntax: true,
    // One non-ASCII character makes V8 hold a whole chunk as UTF-16, twice its size: strings are
    // escaped, licence comments go to a linked .LEGAL.txt, and `bundle()` fails on any left.
    charset: 'ascii',
    legalComments: 'linked',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [nodeUrlForWhatwgUrl],
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
  const wide = await nonAsciiFiles(
    Object.keys(result.metafile.outputs)
      .filter((f) => f.endsWith('.js'))
      .map((f) => path.resolve(ROOT, f)),
  );
  // e.g. a regular expression literal with a non-ASCII character, which esbuild does not escape.
  if (wide.length > 0)
    throw new Error(`bundle: non-ASCII text left in ${wide.join('; ')}; escape it (\\uXXXX)`);
  return result;
}

/**
 * The files among `files` holding a byte above 0x7f, each described with its first one in context.
 * @param {string[]} files
 * @returns {Promise<string[]>}
 */
export async function nonAsciiFiles(files) {
  const wide = [];
  for (const file of files) {
    const text = await readFile(file);
    const at = text.findIndex((byte) => byte > 0x7f);
    if (at >= 0)
      wide.push(`${file} (byte ${at}: …${text.subarray(Math.max(0, at - 40), at + 10).toString()}…)`);
  }
  return wide;
}

/**
 * node-fetch 2 (under @azure/batch's ms-rest-js) takes `Url.URL || whatwgUrl.URL`: on Node the built-in
 * URL, so `whatwg-url` is never used, yet loading it parses tr46's IDNA mapping table (1.5 MB of heap
 * for the life of the process). The bundle gives node-fetch the built-in instead.
 * @type {esbuild.Plugin}
 */
const nodeUrlForWhatwgUrl = {
  name: 'node-url-for-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'kvr-node-url' }));
    build.onLoad({ filter: /.*/, namespace: 'kvr-node-url' }, () => ({
      contents: "module.exports = { URL: require('node:url').URL };",
      loader: 'js',
    }));
  },
};

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
