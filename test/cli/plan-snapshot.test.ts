// `kv-rollover snapshot` and `plan`, as a user runs them: child processes configured only from the
// sandbox's env file, against the seeded Service Fabric scenario.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = ['--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];

let sandbox: Sandbox;
let sample: string;
let dir: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], {
      cwd: root,
      env: { ...process.env, ...sandbox.env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err: unknown) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ throttling: false });
  sample = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'))!;
  dir = await mkdtemp(path.join(tmpdir(), 'kvr-plan-'));
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('kv-rollover snapshot and plan', () => {
  it('writes the snapshot layout of the design, public material only', async () => {
    const out = path.join(dir, 'snap');
    const res = await cli(['snapshot', '-f', sample, '-o', out]);
    expect(res.stderr).toContain('Wrote the snapshot');
    expect(res.code).toBe(0);
    for (const f of [
      'cluster.json',
      'vmss/nt1vm.json',
      'vmss/nt2vm.json',
      'vmss/nt1vm.instances.json',
      'vault/access.json',
      'identity.json',
      'vault/cluster-cert/versions.json',
    ])
      expect(existsSync(path.join(out, f)), f).toBe(true);
    const versionFiles = readdirSync(path.join(out, 'vault/cluster-cert'));
    expect(versionFiles.some((f) => f.endsWith('.chain.pem'))).toBe(true);
    const everything = versionFiles
      .map((f) => readFileSync(path.join(out, 'vault/cluster-cert', f), 'utf8'))
      .join('\n');
    expect(everything).not.toMatch(/PRIVATE KEY/);
    // The cluster file is the REST body: `properties` nesting, as Azure returns it.
    const cluster = JSON.parse(readFileSync(path.join(out, 'cluster.json'), 'utf8')) as {
      properties: { certificate: { thumbprint: string } };
    };
    expect(cluster.properties.certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  }, 90_000);

  it('plans the same from the snapshot as live', async () => {
    const live = await cli(['plan', '-f', sample, '-o', 'json']);
    const offline = await cli([
      'plan',
      '-f',
      sample,
      '--from-snapshot',
      path.join(dir, 'snap'),
      '-o',
      'json',
    ]);
    expect(live.code).toBe(0);
    expect(offline.code).toBe(0);
    const a = JSON.parse(live.stdout) as { steps: { name: string; state: string }[]; phase: string };
    const b = JSON.parse(offline.stdout) as typeof a;
    expect(b).toEqual(a);
    expect(a.steps.map((s) => s.name)).toEqual([
      'GrantVaultAccess',
      'InstallGoalCertificate',
      'ReachValidStartingState',
      'InstallKeyVaultExtension',
      'ConvertClusterToCommonName',
      'Steady',
    ]);
    expect(a.steps.filter((s) => s.state === 'current')).toHaveLength(1);
  }, 90_000);

  it('rejects an invalid resource with exit status 2 and messages naming the fields', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(sample, 'utf8').replace(
        /issuerThumbprints:\n(\s+)- [0-9A-F]{40}/,
        'issuerThumbprints:\n$1- 1234',
      ),
    );
    const res = await cli(['plan', '-f', bad, '--from-snapshot', path.join(dir, 'snap')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('spec.certificate.issuerThumbprints[0]');
    expect((await cli(['plan', '-f', path.join(dir, 'missing.yaml')])).code).toBe(2);
  }, 60_000);
});
