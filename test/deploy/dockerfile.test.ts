// No container engine runs here: the Dockerfile is checked by reading it (the README ("Deploying") says so).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './tools.js';

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits the Dockerfile into stages of instructions (comments dropped, continuation lines joined). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`instruction before FROM: ${line}`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const build = stages[0]!;
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage: a build stage and a node:20-slim runtime stage', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    expect(runtime.from).toBe('node:20-slim');
    expect(all(build, 'RUN')).toContain('npm run build');
  });

  it('installs nothing in the runtime stage: the bundle carries its dependencies', () => {
    expect(all(runtime, 'RUN')).toEqual([]);
    expect(all(runtime, 'ENV')).toContain('NODE_ENV=production');
    // scripts/bundle.js fails the build when an import other than a Node built-in is left unbundled.
    expect(readFileSync(path.join(REPO_ROOT, 'scripts/bundle.js'), 'utf8')).toContain(
      'imports left unbundled',
    );
  });

  it('can skip install scripts in the build stage: only esbuild has one, and it is an optimisation', () => {
    expect(all(build, 'RUN')).toContain('npm ci --ignore-scripts --no-audit --no-fund');
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean; optionalDependencies?: Record<string, string> }>;
    };
    const withScripts = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript);
    expect(withScripts.map(([key]) => key)).toEqual(['node_modules/esbuild']);
    // esbuild's postinstall only checks its binary; the binary comes from the platform package
    // (@esbuild/linux-x64, @esbuild/linux-arm64, …), an optional dependency npm installs anyway.
    const esbuild = lock.packages['node_modules/esbuild']!;
    expect(Object.keys(esbuild.optionalDependencies ?? {})).toEqual(
      expect.arrayContaining(['@esbuild/linux-x64', '@esbuild/linux-arm64']),
    );
  });

  it('copies only the bundle, the launcher, the CRDs and package.json into the runtime stage', () => {
    expect(all(runtime, 'COPY')).toEqual([
      'package.json ./',
      '--from=build /app/dist ./dist',
      'bin ./bin',
      'crds ./crds',
    ]);
    expect(all(build, 'COPY')).toEqual([
      'package.json package-lock.json ./',
      'tsconfig.json ./',
      'scripts/bundle.js ./scripts/',
      'src ./src',
    ]);
    for (const source of ['package.json', 'package-lock.json', 'bin', 'crds', 'src', 'scripts/bundle.js']) {
      expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
    }
  });

  it('runs as a numeric non-root user', () => {
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    const deployment = readFileSync(path.join(REPO_ROOT, 'deploy/operator/deployment.yaml'), 'utf8');
    expect(deployment).toContain(`runAsUser: ${uid}`);
  });

  it('starts `kv-rollover run` through the launcher, which finds the bundled CLI', async () => {
    expect(all(runtime, 'ENTRYPOINT')).toEqual(['["node", "bin/kv-rollover.js"]']);
    expect(all(runtime, 'CMD')).toEqual(['["run"]']);
    // The launcher imports dist/main.js: the bundle's entry point, built from src/cli/main.ts.
    expect(readFileSync(path.join(REPO_ROOT, 'bin/kv-rollover.js'), 'utf8')).toContain(
      "join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js')",
    );
    const { bundleOptions } = await import('../../scripts/bundle.js');
    const options = bundleOptions('/out');
    expect(options.entryPoints).toEqual({ main: 'src/cli/main.ts' });
    expect(existsSync(path.join(REPO_ROOT, 'src/cli/main.ts'))).toBe(true);
  });

  it('keeps the build context small: .dockerignore leaves out dependencies, output and tests', () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'test', '.tools']));
    // Nothing the Dockerfile copies from the context may be ignored.
    for (const source of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'scripts/bundle.js',
      'src',
      'bin',
      'crds',
    ]) {
      expect(ignored, source).not.toContain(source);
    }
    // scripts/ is left out except the bundler, which the build stage runs.
    expect(ignored.slice(ignored.indexOf('scripts/*'))).toContain('!scripts/bundle.js');
  });
});
