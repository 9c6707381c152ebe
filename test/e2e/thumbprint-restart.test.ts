// End to end, `mode: Thumbprint`, with a crash: the real operator process is killed (SIGKILL) while the
// first Service Fabric extension write of the rollover rolls out, and a fresh process takes over. The
// planner works from observed state only, so the new process neither repeats nor skips a write: the
// rollover ends exactly as an uninterrupted one, with the same number of Azure writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC } from '../../src/domain/names.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const operatorCommand = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];
const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };
const TIMEOUT_MS = 150_000;

type Pair = readonly [string | undefined, string | undefined];

interface Run {
  readonly error: string | undefined;
  readonly old: string;
  readonly renewed: { thumbprint: string; version: string } | undefined;
  readonly killedDuringExtensionRollout: boolean;
  readonly declarations: Pair[];
  readonly cluster: Pair;
  readonly extensions: Pair[];
  readonly secretUrls: string[][];
  readonly writes: { cluster: number; scaleSets: number };
  readonly rejected: number;
  readonly everUnavailable: boolean;
  readonly operatorLog: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function clusterPair(sandbox: Sandbox): Pair {
  const props = sandbox.sim.listClusters()[0]?.properties();
  return [props?.certificate?.thumbprint ?? undefined, props?.certificate?.thumbprintSecondary ?? undefined];
}

function clusterReady(sandbox: Sandbox): boolean {
  return sandbox.sim.listClusters()[0]?.clusterState() === 'Ready';
}

/** Per scale set: the Service Fabric extension's declared pair and the versioned secret URLs. */
function scaleSets(sandbox: Sandbox): { extension: Pair; secretUrls: string[] }[] {
  const cluster = sandbox.sim.listClusters()[0];
  if (cluster === undefined) return [];
  return sandbox.sim.clusterScaleSets(cluster).map((s) => {
    const profile = rec(rec(s.resource.properties).virtualMachineProfile);
    const groups = (rec(profile.osProfile).secrets ?? []) as { vaultCertificates?: unknown[] }[];
    const extensions = (rec(profile.extensionProfile).extensions ?? []) as unknown[];
    const settings = rec(
      extensions.map((e) => rec(rec(e).properties)).find((p) => p.type === 'ServiceFabricNode')?.settings,
    );
    return {
      extension: [
        str(rec(settings.certificate).thumbprint),
        str(rec(settings.certificateSecondary).thumbprint),
      ],
      secretUrls: groups.flatMap((g) =>
        (g.vaultCertificates ?? []).flatMap((v) => str(rec(v).certificateUrl) ?? []),
      ),
    };
  });
}

function phase(sandbox: Sandbox): string | undefined {
  const api = sandbox.kube.api;
  const type = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
  if (type === undefined) return undefined;
  try {
    return str(rec(api.get(type, RESOURCE.namespace, RESOURCE.name).status).phase);
  } catch {
    return undefined;
  }
}

/** Sandbox → sample with `mode: Thumbprint` → operator → Steady → renewal → kill + restart → the end. */
async function runWithRestart(): Promise<Run> {
  const deadline = Date.now() + TIMEOUT_MS;
  const sandbox = await startSandbox({ scenario: 'servicefabric', clockSpeed: 600 });
  const vault = sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  const name = sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
  const old = sandbox.azure.world.vaults.getCertificate(vault, name)?.versions.at(-1)?.thumbprint ?? '';
  const logPath = path.join(sandbox.stateDir, 'operator.log');
  const log = createWriteStream(logPath);
  const declarations: Pair[] = [];
  let operator: ChildProcess | undefined;
  let renewed: Run['renewed'];
  let killedDuringExtensionRollout = false;
  let error: string | undefined;

  const start = async (): Promise<ChildProcess> => {
    const [command, ...args] = [
      ...operatorCommand,
      'run',
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${await freePort()}`,
      `--health-probe-bind-address=127.0.0.1:${await freePort()}`,
      '--vault-poll-interval=2s',
      '--step-poll-interval=1s',
      '--log-level=info',
    ];
    const child = spawn(command ?? process.execPath, args, {
      env: { ...process.env, ...sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    return child;
  };

  const until = async (what: string, done: () => boolean): Promise<void> => {
    while (Date.now() < deadline) {
      if (operator?.exitCode !== null && operator?.exitCode !== undefined)
        throw new Error(`the operator exited with status ${operator.exitCode} during ${what}`);
      const pair = clusterPair(sandbox);
      const last = declarations.at(-1);
      if (last === undefined || last[0] !== pair[0] || last[1] !== pair[1]) declarations.push(pair);
      if (done()) return;
      await sleep(50);
    }
    throw new Error(`timed out during ${what}`);
  };

  try {
    const samplePath = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'));
    if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
    const resource = rec(parseYaml(await readFile(samplePath, 'utf8')));
    sandbox.kube.createObject({ ...resource, spec: { ...rec(resource.spec), mode: 'Thumbprint' } });
    operator = await start();
    await until('the first Steady', () => phase(sandbox) === 'Steady');
    // SIGKILL the instant Azure accepts the first scale-set write that declares the renewed thumbprint in
    // the extension (the emulator counts a request just before it answers, after applying it): the
    // secondary N is declared on one node type and not yet on the other — the middle of
    // AddSecondaryThumbprint's extension rollout. Polling
    // for it instead could miss that moment when both writes land between two polls.
    const counters = sandbox.azure.counters;
    const record = counters.record.bind(counters);
    let crashed = false;
    counters.record = (service, operation, status) => {
      record(service, operation, status);
      if (crashed || service !== 'arm' || status < 200 || status >= 300) return;
      if (operation !== 'Microsoft.Compute/virtualMachineScaleSets/write' || renewed === undefined) return;
      const n = renewed;
      const declared = scaleSets(sandbox).map((set) => set.extension[1] === n.thumbprint);
      // Earlier writes of the rollover install the new secret on the nodes; wait for the first extension.
      if (!declared.includes(true)) return;
      crashed = true;
      killedDuringExtensionRollout = declared.includes(false);
      operator?.kill('SIGKILL');
    };
    const view = await sandbox.azure.world.certificates.renewNow(vault, name);
    const n = { thumbprint: view.thumbprint, version: view.version };
    renewed = n;
    await until('the first extension write', () => crashed);
    counters.record = record;
    await kill(operator, 'SIGKILL');
    operator = await start();
    await until(
      'the rollover after the restart',
      () =>
        clusterReady(sandbox) &&
        clusterPair(sandbox)[0] === n.thumbprint &&
        clusterPair(sandbox)[1] === undefined &&
        scaleSets(sandbox).every(
          (s) =>
            s.extension[0] === n.thumbprint &&
            s.extension[1] === undefined &&
            s.secretUrls.every((u) => u.endsWith(`/${n.version}`)),
        ) &&
        phase(sandbox) === 'Steady',
    );
  } catch (err: unknown) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    if (operator !== undefined) await kill(operator, 'SIGTERM');
    log.end();
  }
  const counters = sandbox.azure.counters;
  const run: Run = {
    error,
    old,
    renewed,
    killedDuringExtensionRollout,
    declarations,
    cluster: clusterPair(sandbox),
    extensions: scaleSets(sandbox).map((s) => s.extension),
    secretUrls: scaleSets(sandbox).map((s) => s.secretUrls),
    writes: {
      cluster: counters.total({ service: 'arm', operation: /ServiceFabric\/clusters\/write/i }),
      scaleSets: counters.total({ service: 'arm', operation: /virtualMachineScaleSets\/write/i }),
    },
    rejected: counters
      .entries({ service: 'arm' })
      .filter((e) => e.status >= 400)
      .reduce((sum, e) => sum + e.count, 0),
    everUnavailable: sandbox.sim.availability.everUnavailable(sandbox.sim.listClusters()[0]?.name),
    operatorLog: await readFile(logPath, 'utf8').catch(() => ''),
  };
  await sandbox.close();
  return run;
}

let run: Run;

beforeAll(async () => {
  run = await runWithRestart();
}, TIMEOUT_MS + 30_000);

describe('Service Fabric mode Thumbprint: the operator is killed mid-rollover', () => {
  it('a fresh process finishes the rollover', () => {
    expect(run.error, run.operatorLog.split('\n').slice(-40).join('\n')).toBeUndefined();
    expect(run.killedDuringExtensionRollout).toBe(true);
    const n = run.renewed!;
    expect(run.cluster).toEqual([n.thumbprint, undefined]);
    expect(run.extensions).toEqual([
      [n.thumbprint, undefined],
      [n.thumbprint, undefined],
    ]);
    for (const urls of run.secretUrls) expect(urls).toHaveLength(1);
  });

  it('neither repeats nor skips a write, and Azure refused none', () => {
    const n = run.renewed!.thumbprint;
    expect(run.declarations).toEqual([
      [run.old, undefined],
      [run.old, n],
      [n, run.old],
      [n, undefined],
    ]);
    // 2 secrets added, 3 × 2 extension writes, 2 secrets removed; 3 cluster upgrades.
    expect(run.writes).toEqual({ cluster: 3, scaleSets: 10 });
    expect(run.rejected).toBe(0);
  });

  it('never lost availability', () => {
    expect(run.everUnavailable).toBe(false);
  });
});
