// Locating the external tools the delivery tests drive (promtool, kubectl). They are installed by
// scripts/tools/*.sh, which .ci/run runs first; a missing tool fails the test with the fix, never skips it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

function onPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, tool))) return path.join(dir, tool);
  }
  return undefined;
}

/** promtool from PATH (Debian's `prometheus` package puts it in /usr/bin). */
export function promtoolPath(): string {
  const found = onPath('promtool');
  if (!found) {
    throw new Error(
      'promtool is not installed: run `bash scripts/tools/promtool.sh` (as root), as .ci/run does',
    );
  }
  return found;
}

/** The Prometheus server, from the same Debian package as promtool. */
export function prometheusPath(): string {
  const found = onPath('prometheus');
  if (!found) {
    throw new Error(
      'prometheus is not installed: run `bash scripts/tools/promtool.sh` (as root), as .ci/run does',
    );
  }
  return found;
}

/** kubectl v1.35 from .tools/bin (scripts/tools/kubectl.sh), which is what CI uses. */
export function kubectlPath(): string {
  const local = path.join(REPO_ROOT, '.tools', 'bin', 'kubectl');
  if (existsSync(local)) return local;
  throw new Error(
    `kubectl is not installed at ${local}: run \`bash scripts/tools/kubectl.sh\`, as .ci/run does`,
  );
}

export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; cwd?: string } = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    input: options.input,
    cwd: options.cwd ?? REPO_ROOT,
    timeout: 50_000,
  });
  if (result.error) throw result.error;
  return result;
}

/** Output of a finished tool run, for assertion messages. */
export function describeRun(result: SpawnSyncReturns<string>): string {
  return `exit ${String(result.status)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
