// End to end, `mode: Thumbprint`: the real operator process (`kv-rollover run`, configured only from the
// sandbox's env file) keeps the seed scenario's thumbprint-declared cluster on thumbprints; when the vault
// renews the certificate it installs the new version on every node type, adds it as the secondary, swaps,
// removes the old thumbprint and then the old secret (azure.md §1.3 [SF-UPD]), bringing every node type's
// Service Fabric extension along. Outcomes are observed in the simulated world and on the Azure resources.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC, Reason, Step } from '../../src/domain/names.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const operatorCommand = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];
const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };
const TIMEOUT_MS = 150_000;

interface Declaration {
  readonly primary: string | undefined;
  readonly secondary: string | undefined;
}

interface ScaleSetView {
  readonly name: string;
  readonly secretUrls: string[];
  readonly extension: Declaration & { readonly commonNames: unknown };
}

/** When (real ms since the renewal) each milestone of the rollover was first seen. */
interface Milestones {
  installed?: number;
  addedSecondary?: number;
  extensionSecondary?: number;
  swapped?: number;
  extensionSwapped?: number;
  removedOld?: number;
  extensionNewOnly?: number;
  removedOldSecret?: number;
}

interface Run {
  readonly error: string | undefined;
  readonly old: { thumbprint: string; version: string };
  readonly renewed: { thumbprint: string; version: string } | undefined;
  /** Every distinct cluster declaration seen, in order. */
  readonly declarations: Declaration[];
  readonly milestones: Milestones;
  readonly cluster: Declaration & { readonly commonNames: unknown; readonly state: string };
  readonly scaleSets: ScaleSetView[];
  readonly presented: (string | undefined)[];
  readonly everUnavailable: boolean;
  readonly evaluations: number;
  readonly status: Record<string, unknown> | undefined;
  readonly executedSteps: string[];
  /** Requests the sandbox's Azure answered with 4xx/5xx, by operation and status. */
  readonly rejected: { operation: string; status: number; count: number }[];
  /** Accepted ARM writes of the cluster and of the scale sets. */
  readonly writes: { cluster: number; scaleSets: number };
  readonly operatorLog: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function sameTp(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** What the tests look at in the simulated world, read the way ARM returns it. */
class Observer {
  constructor(private readonly sandbox: Sandbox) {}

  private clusterSim() {
    const cluster = this.sandbox.sim.listClusters()[0];
    if (cluster === undefined) throw new Error('the scenario seeded no cluster');
    return cluster;
  }

  cluster(): Run['cluster'] {
    const c = this.clusterSim();
    const props = c.properties();
    return {
      primary: props.certificate?.thumbprint ?? undefined,
      secondary: props.certificate?.thumbprintSecondary ?? undefined,
      commonNames: props.certificateCommonNames ?? undefined,
      state: c.clusterState(),
    };
  }

  scaleSets(): ScaleSetView[] {
    return this.sandbox.sim.clusterScaleSets(this.clusterSim()).map((s) => {
      const profile = record(record(s.resource.properties).virtualMachineProfile);
      const groups = (record(profile.osProfile).secrets ?? []) as { vaultCertificates?: unknown[] }[];
      const secretUrls = groups.flatMap((g) =>
        (g.vaultCertificates ?? []).flatMap((v) => str(record(v).certificateUrl) ?? []),
      );
      const extensions = (record(profile.extensionProfile).extensions ?? []) as unknown[];
      const sf = extensions
        .map((e) => record(record(e).properties))
        .find((p) => p.type === 'ServiceFabricNode');
      const settings = record(sf?.settings);
      return {
        name: s.name,
        secretUrls,
        extension: {
          primary: str(record(settings.certificate).thumbprint),
          secondary: str(record(settings.certificateSecondary).thumbprint),
          commonNames: record(settings.certificate).commonNames,
        },
      };
    });
  }

  presented(): (string | undefined)[] {
    return Object.values(this.sandbox.sim.availableNow(this.clusterSim()).presented);
  }

  status(): Record<string, unknown> | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
    if (type === undefined) return undefined;
    try {
      return record(api.get(type, RESOURCE.namespace, RESOURCE.name).status);
    } catch {
      return undefined;
    }
  }

  /**
   * The step of each change the operator sent to Azure, in order: its StepExecuted Events, without the
   * ones that report an operation `completed`.
   */
  executedSteps(): string[] {
    const api = this.sandbox.kube.api;
    const type = api.resolve('events.k8s.io', 'v1', 'events');
    if (type === undefined) return [];
    return api
      .list(type, { namespace: RESOURCE.namespace })
      .items.map((e) => record(e))
      .filter((e) => e.reason === Reason.StepExecuted && !/ completed\.$/.test(str(e.note) ?? ''))
      .map((e) => ({ at: Date.parse(str(e.eventTime) ?? ''), name: str(record(e.metadata).name) ?? '', e }))
      .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name))
      .flatMap(({ e }) => str(e.action) ?? []);
  }

  everUnavailable(): boolean {
    return this.sandbox.sim.availability.everUnavailable(this.clusterSim().name);
  }
}

/**
 * The harness: sandbox (servicefabric scenario) → the sample resource with `mode: Thumbprint` → the real
 * operator → Steady → vault renewal → the rollover, watched until the end state or the deadline.
 * Always kills the operator and closes the sandbox.
 */
async function runThumbprintRollover(): Promise<Run> {
  const started = Date.now();
  const deadline = started + TIMEOUT_MS;
  const sandbox = await startSandbox({ scenario: 'servicefabric', clockSpeed: 600 });
  const observe = new Observer(sandbox);
  const vault = sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  const name = sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
  const oldVersion = sandbox.azure.world.vaults.getCertificate(vault, name)?.versions.at(-1);
  const old = { thumbprint: oldVersion?.thumbprint ?? '', version: oldVersion?.version ?? '' };
  const logPath = path.join(sandbox.stateDir, 'operator.log');
  const declarations: Declaration[] = [];
  const milestones: Milestones = {};
  let renewed: Run['renewed'];
  let operator: ChildProcess | undefined;
  let error: string | undefined;
  let operatorLog = '';

  const track = () => {
    const c = observe.cluster();
    const last = declarations.at(-1);
    if (last === undefined || last.primary !== c.primary || last.secondary !== c.secondary)
      declarations.push({ primary: c.primary, secondary: c.secondary });
    if (renewed === undefined) return;
    const n = renewed;
    const at = Date.now() - started;
    const sets = observe.scaleSets();
    const mark = (key: keyof Milestones, holds: boolean) => {
      if (holds && milestones[key] === undefined) milestones[key] = at;
    };
    mark(
      'installed',
      sets.every((s) => s.secretUrls.some((u) => u.endsWith(`/${n.version}`))),
    );
    mark('addedSecondary', sameTp(c.primary, old.thumbprint) && sameTp(c.secondary, n.thumbprint));
    mark(
      'extensionSecondary',
      sets.every(
        (s) => sameTp(s.extension.primary, old.thumbprint) && sameTp(s.extension.secondary, n.thumbprint),
      ),
    );
    mark('swapped', sameTp(c.primary, n.thumbprint) && sameTp(c.secondary, old.thumbprint));
    mark(
      'extensionSwapped',
      sets.every(
        (s) => sameTp(s.extension.primary, n.thumbprint) && sameTp(s.extension.secondary, old.thumbprint),
      ),
    );
    mark('removedOld', sameTp(c.primary, n.thumbprint) && c.secondary === undefined);
    mark(
      'extensionNewOnly',
      sets.every((s) => sameTp(s.extension.primary, n.thumbprint) && s.extension.secondary === undefined),
    );
    mark(
      'removedOldSecret',
      sets.every((s) => !s.secretUrls.some((u) => u.endsWith(`/${old.version}`))),
    );
  };

  const until = async (what: string, done: () => boolean): Promise<void> => {
    while (Date.now() < deadline) {
      if (operator?.exitCode !== null && operator?.exitCode !== undefined)
        throw new Error(`the operator exited with status ${operator.exitCode} during ${what}`);
      track();
      if (done()) return;
      await sleep(50);
    }
    throw new Error(`timed out during ${what}`);
  };

  const steady = () => {
    const status = observe.status();
    const ready = (status?.conditions as { type: string; status: string }[] | undefined)?.find(
      (x) => x.type === 'Ready',
    );
    return status?.phase === 'Steady' && ready?.status === 'True';
  };

  try {
    const samplePath = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'));
    if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
    const resource = record(parseYaml(await readFile(samplePath, 'utf8')));
    sandbox.kube.createObject({ ...resource, spec: { ...record(resource.spec), mode: 'Thumbprint' } });

    const metricsPort = await freePort();
    const probePort = await freePort();
    const [command, ...args] = [
      ...operatorCommand,
      'run',
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      '--vault-poll-interval=2s',
      '--step-poll-interval=1s',
      '--log-level=info',
    ];
    const log = createWriteStream(logPath);
    operator = spawn(command ?? process.execPath, args, {
      env: { ...process.env, ...sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator.stdout?.pipe(log);
    operator.stderr?.pipe(log);

    // The seeded cluster already declares the vault's only version: nothing to do but report Steady.
    await until('the first Steady', steady);
    const view = await sandbox.azure.world.certificates.renewNow(vault, name);
    renewed = { thumbprint: view.thumbprint, version: view.version };
    const n = renewed;
    await until('the rollover', () => {
      const c = observe.cluster();
      const status = observe.status();
      const latest = record(record(status?.certificates).vaultLatest).thumbprint;
      return (
        c.state === 'Ready' &&
        sameTp(c.primary, n.thumbprint) &&
        c.secondary === undefined &&
        milestones.removedOldSecret !== undefined &&
        milestones.extensionNewOnly !== undefined &&
        sameTp(str(latest), n.thumbprint) &&
        steady()
      );
    });
  } catch (err: unknown) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    if (operator !== undefined) await stop(operator);
    operatorLog = await readFile(logPath, 'utf8').catch(() => '');
  }
  const rejected = sandbox.azure.counters
    .entries({ service: 'arm' })
    .filter((e) => e.status >= 400)
    .map((e) => ({ operation: e.operation, status: e.status, count: e.count }));
  const writes = {
    cluster: sandbox.azure.counters.total({ service: 'arm', operation: /ServiceFabric\/clusters\/write/i }),
    scaleSets: sandbox.azure.counters.total({
      service: 'arm',
      operation: /virtualMachineScaleSets\/write/i,
    }),
  };
  const run: Run = {
    writes,
    error,
    old,
    renewed,
    declarations,
    milestones,
    cluster: observe.cluster(),
    scaleSets: observe.scaleSets(),
    presented: observe.presented(),
    everUnavailable: observe.everUnavailable(),
    evaluations: sandbox.sim.availability.evaluationCount(),
    status: observe.status(),
    executedSteps: observe.executedSteps(),
    rejected,
    operatorLog,
  };
  await sandbox.close();
  return run;
}

let run: Run;

beforeAll(async () => {
  run = await runThumbprintRollover();
}, TIMEOUT_MS + 30_000);

describe('Service Fabric mode Thumbprint: a vault renewal rolled over end to end', () => {
  it('converges within the time bound', () => {
    expect(run.error, run.operatorLog.split('\n').slice(-40).join('\n')).toBeUndefined();
    expect(run.renewed).toBeDefined();
    expect(run.renewed?.thumbprint).not.toBe(run.old.thumbprint);
  });

  it('changes the cluster only by documented add → swap → remove upgrades', () => {
    const n = run.renewed!.thumbprint;
    const o = run.old.thumbprint;
    expect(run.declarations).toEqual([
      { primary: o, secondary: undefined },
      { primary: o, secondary: n },
      { primary: n, secondary: o },
      { primary: n, secondary: undefined },
    ]);
    // The resource provider refused no cluster write (no invalid transition, none while upgrading).
    expect(run.rejected.filter((r) => /ServiceFabric/i.test(r.operation))).toEqual([]);
  });

  it('performs install → add secondary → swap → remove old → remove old secret, in that order', () => {
    const m = run.milestones;
    const order = [
      m.installed,
      m.addedSecondary,
      m.extensionSecondary,
      m.swapped,
      m.extensionSwapped,
      m.removedOld,
      m.extensionNewOnly,
      m.removedOldSecret,
    ];
    expect(order.every((t) => t !== undefined)).toBe(true);
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThanOrEqual(order[i - 1]!);
    // One change per node type for the secrets; each cluster step is the cluster write followed by one
    // Service Fabric extension write per node type. Nothing is sent twice.
    expect(run.executedSteps).toEqual([
      ...Array<string>(2).fill(Step.InstallNewVersion),
      ...Array<string>(3).fill(Step.AddSecondaryThumbprint),
      ...Array<string>(3).fill(Step.SwapThumbprints),
      ...Array<string>(3).fill(Step.RemoveOldThumbprint),
      ...Array<string>(2).fill(Step.RemoveOldSecret),
    ]);
    expect(run.writes).toEqual({ cluster: 3, scaleSets: 2 + 6 + 2 });
  });

  it('ends with only the new certificate declared, installed and named by every Service Fabric extension', () => {
    const n = run.renewed!;
    expect(run.cluster).toMatchObject({
      primary: n.thumbprint,
      secondary: undefined,
      commonNames: undefined,
      state: 'Ready',
    });
    expect(run.scaleSets).toHaveLength(2);
    for (const ss of run.scaleSets) {
      expect(ss.secretUrls).toEqual([
        expect.stringMatching(new RegExp(`/secrets/cluster-cert/${n.version}$`)),
      ]);
      expect(ss.extension).toEqual({ primary: n.thumbprint, secondary: undefined, commonNames: undefined });
    }
    expect(run.presented.length).toBeGreaterThan(0);
    expect(run.presented.every((t) => sameTp(t, n.thumbprint))).toBe(true);
  });

  it('never lost availability', () => {
    expect(run.evaluations).toBeGreaterThan(0);
    expect(run.everUnavailable).toBe(false);
  });

  it('reports a Ready, Steady status with the Thumbprint plan in order', () => {
    const plan = record(run.status?.plan);
    const steps = (plan.steps ?? []) as { name: string; state: string }[];
    expect(run.status?.phase).toBe('Steady');
    expect(steps.map((s) => s.name)).toEqual([
      Step.InstallNewVersion,
      Step.AddSecondaryThumbprint,
      Step.SwapThumbprints,
      Step.RemoveOldThumbprint,
      Step.RemoveOldSecret,
      Step.Steady,
    ]);
    expect(steps.every((s) => s.state === (s.name === Step.Steady ? 'current' : 'done'))).toBe(true);
  });
});
