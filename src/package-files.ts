// Files that ship with the package (package.json, deploy/samples/), found from wherever the code runs:
// src/ under tsx and vitest, or a chunk of the bundle in dist/. A fixed relative path would be right
// for one of them only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kv-rollover';

function isPackageRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

let root: string | undefined;

/** The directory holding kv-rollover's package.json, searched upwards from this module. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPackageRoot(dir)) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`${PACKAGE_NAME}: no package.json named '${PACKAGE_NAME}' above ${dir}`);
    dir = parent;
  }
}

/** A path inside the package, e.g. packagePath('deploy', 'samples'). */
export function packagePath(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

/** The package's version, or 'unknown' when its package.json cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
