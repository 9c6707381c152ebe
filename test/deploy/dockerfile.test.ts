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

  it('installs only production dependencies in the runtime stage, without install scripts', () => {
    const runs = all(runtime, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runs).not.toMatch(/npm (install|i) /);
    expect(all(runtime, 'ENV')).toContain('NODE_ENV=production');
  });

  it('can skip install scripts: no production dependency has one (package-lock.json)', () => {
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean }>;
    };
    const production = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.dev);
    expect(production.length).toBeGreaterThan(0);
    expect(production.filter(([, entry]) => entry.hasInstallScript).map(([key]) => key)).toEqual([]);
  });

  it('copies only the compiled output, the launcher and the CRDs into the runtime stage', () => {
    expect(all(runtime, 'COPY')).toEqual([
      'package.json package-lock.json ./',
      '--from=build /app/dist ./dist',
      'bin ./bin',
      'crds ./crds',
    ]);
    for (const source of ['package.json', 'package-lock.json', 'bin', 'crds', 'src', 'tsconfig.build.json']) {
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

  it('starts `kv-rollover run` through the launcher, which finds the compiled CLI', () => {
    expect(all(runtime, 'ENTRYPOINT')).toEqual(['["node", "bin/kv-rollover.js"]']);
    expect(all(runtime, 'CMD')).toEqual(['["run"]']);
    // The launcher imports dist/cli/main.js, which tsconfig.build.json produces from src/cli/main.ts.
    expect(readFileSync(path.join(REPO_ROOT, 'bin/kv-rollover.js'), 'utf8')).toContain(
      "join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js')",
    );
    const buildConfig = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(buildConfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
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
      'tsconfig.build.json',
      'src',
      'bin',
      'crds',
    ]) {
      expect(ignored, source).not.toContain(source);
    }
  });
});
