// `kv-rollover bench`: the real operator process against the sandbox with many Service Fabric rotations
// and, with --pools, Batch pool rotations (design §9). Zero-latency Azure with throttling off for the
// convergence run; the figures are read from the emulator's request counters, the operator's /metrics and
// /proc (CPU time, peak RSS), never from the operator's own logs. Timings are reported, never asserted.
// Detection is measured twice: by polling, and pushed by the sandbox's Event Grid emulator to the
// operator's webhook (`run --event-grid-bind-address`).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { packagePath } from '../../package-files.js';
import { parse as parseYaml } from 'yaml';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  API_GROUP,
  API_VERSION,
  ConditionType,
  PLURAL_BATCH_POOL,
  PLURAL_SERVICE_FABRIC,
  Phase,
} from '../../domain/names.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { seedScaleClusters, seedScalePools } from '../../sandbox/scenarios/scale.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './index.js';

/** Azure Resource Manager's subscription read budget: 25 tokens refilled per second [ARM-THR]. */
export const ARM_READ_REFILL_PER_SECOND = 25;
/** The operator's default resync period (`--resync-period`). */
export const DEFAULT_RESYNC_SECONDS = 600;
/** The operator's default `--azure-sync-period` (1 h): a Steady resource is re-read from ARM once per it. */
export const DEFAULT_AZURE_SYNC_SECONDS = 3600;
/** The design §9 size the budget share is projected to. */
export const DESIGN_CLUSTERS = 1000;
export const DESIGN_POOLS = 200;
/** Header the operator's webhook accepts the shared secret in (src/observability/eventgrid.ts). */
const EVENT_GRID_SECRET_HEADER = 'x-kvrollover-secret';

export interface BenchOptions {
  readonly clusters: number;
  /** Distinct vault certificates (default min(100, clusters / 10), at least 1), shared by clusters and pools. */
  readonly certificates?: number;
  readonly nodeTypes?: number;
  /** Batch pools (default 0), each with its BatchPoolCertificateRotation. */
  readonly pools?: number;
  /** Operator `--vault-poll-interval` in seconds (default 5). */
  readonly vaultPollSeconds?: number;
  /** Operator `--resync-period` during the run in seconds (default 15). */
  readonly resyncSeconds?: number;
  /** Operator `--azure-sync-period` in seconds (default 6 × resync, the ratio of the defaults 1 h / 10 m). */
  readonly azureSyncSeconds?: number;
  /**
   * Runtime environment of the operator process (NODE_OPTIONS, MALLOC_ARENA_MAX). Default: the
   * Deployment's (deploy/operator/deployment.yaml), so memory is measured with the limits it ships with.
   */
  readonly runtimeEnv?: Readonly<Record<string, string>>;
  /** Seconds between convergence and the steady-state window (default one resync period). */
  readonly settleSeconds?: number;
  /** Steady-state measurement window in seconds (default max(3 poll intervals, sync period + resync)). */
  readonly windowSeconds?: number;
  /** Virtual seconds per real second (default 600). */
  readonly clockSpeed?: number;
  /** Give up converging after this many real seconds (default 60 + 1.5 × (clusters + pools)). */
  readonly timeoutSeconds?: number;
  /** New vault versions whose detection by polling is measured (default 3). */
  readonly detectionSamples?: number;
  /** New vault versions whose detection by Event Grid is measured (default: detectionSamples). */
  readonly eventGridSamples?: number;
  readonly maxConcurrentReconciles?: number;
  /** The command that starts the operator (default: this CLI). */
  readonly operatorCommand?: readonly string[];
  readonly onProgress?: (line: string) => void;
  /** Keep the operator's log in this file (default: inside the sandbox's temporary directory). */
  readonly operatorLog?: string;
}

export interface KindSteadyState {
  readonly resources: number;
  readonly reconciles: number;
  /** No-op reconciles per resource per resync period (1 expected). */
  readonly reconcilesPerResourcePerResync: number;
  /** ARM reads attributed to this kind: Microsoft.Batch for pools, every other ARM read for clusters. */
  readonly armReads: number;
  readonly armReadsPerResourcePerHour: number;
  /** The same projected to the operator's defaults (see `armReadsPerResourcePerHourAtDefaults`). */
  readonly armReadsPerResourcePerHourAtDefaults: number;
}

export interface BatchSteadyState extends KindSteadyState {
  /** Batch data-plane requests (node and node-extension lists/gets; all reads). */
  readonly dataPlaneReads: number;
  readonly dataPlaneReadsPerPoolPerHour: number;
}

export type EventGridDetection =
  | {
      readonly measured: true;
      readonly seconds: readonly number[];
      /** Operator vault polls with trigger `event_grid` during the samples (from its /metrics). */
      readonly eventGridPolls: number;
      /**
       * Per sample, the `event_grid` polls during it: ≥ 1 means the push made the operator poll that
       * certificate (the only one renewed then). Each sample starts right after the interval poll that
       * detected the previous version, so the next interval poll of that certificate is 0.9 × the poll
       * interval away at the earliest (± 10 % jitter): a detection faster than that was the push's.
       */
      readonly eventGridPollsPerSample: readonly number[];
    }
  | { readonly measured: false; readonly note: string };

export interface BenchReport {
  readonly clusters: number;
  readonly nodeTypesPerCluster: number;
  readonly certificates: number;
  readonly pools: { readonly requested: number; readonly run: number; readonly batchAccounts: number };
  readonly config: {
    readonly vaultPollSeconds: number;
    readonly resyncSeconds: number;
    readonly azureSyncSeconds: number;
    /** NODE_OPTIONS of the operator process (the Deployment's by default). */
    /** NODE_OPTIONS and MALLOC_ARENA_MAX of the operator process (the Deployment's by default). */
    readonly runtimeEnv: Readonly<Record<string, string>>;
    readonly settleSeconds: number;
    readonly windowSeconds: number;
    readonly clockSpeed: number;
    readonly maxConcurrentReconciles: number;
    readonly throttling: false;
  };
  readonly convergence: {
    readonly converged: number;
    readonly total: number;
    readonly byKind: {
      readonly serviceFabric: { readonly converged: number; readonly total: number };
      readonly batchPool: { readonly converged: number; readonly total: number };
    };
    readonly realSeconds: number;
    readonly virtualSeconds: number;
    readonly timedOut: boolean;
  };
  readonly steadyState: {
    readonly windowSeconds: number;
    readonly keyVaultRequests: number;
    /** Key Vault requests / distinct certificates / poll intervals in the window (target ≤ 1). */
    readonly keyVaultRequestsPerCertificatePerInterval: number;
    /** Every ARM read (operations ending in /read, LRO polls included), all kinds. */
    readonly armReads: number;
    /** The same, by ARM operation (e.g. `Microsoft.ServiceFabric/clusters/read`). */
    readonly armReadsByOperation: Readonly<Record<string, number>>;
    /** Per resource (clusters + pools), measured with this run's resync and sync periods. */
    readonly armReadsPerResourcePerHour: number;
    readonly armReadBudgetShare: number;
    readonly armReadsPerNoopReconcile: number;
    /**
     * Projected to the operator's defaults. A Steady resource is re-read from ARM once per sync period
     * (resyncs in between read nothing), so the measured rate scales with the sync period: measured
     * × run sync period / 1 h. Without `--azure-sync-period` (an older operator) every resync reads ARM
     * and the rate scales with the resync period instead: measured × run resync / 10 min.
     */
    readonly armReadsPerResourcePerHourAtDefaults: number;
    /** Share of the 25/s read budget at the defaults, at this run's size. */
    readonly armReadBudgetShareAtDefaults: number;
    /** The same at the design size (1,000 clusters and 200 pools; pools only when this run had some). */
    readonly armReadBudgetShareAtDefaultsAtDesignSize: number;
    readonly armWrites: number;
    readonly reconciles: number;
    /** No-op reconciles per resource per resync period (1 expected). */
    readonly reconcilesPerResourcePerResync: number;
    readonly cpuSeconds: number | undefined;
    /** Milliseconds of operator CPU per reconcile in the window (every one a no-op). */
    readonly cpuMsPerNoopReconcile: number | undefined;
    readonly byKind: { readonly serviceFabric: KindSteadyState; readonly batchPool: BatchSteadyState };
  };
  readonly detection: {
    readonly pollingSeconds: readonly number[];
    readonly eventGrid: EventGridDetection;
  };
  readonly operator: { readonly peakRssMb: number | undefined; readonly exitCode: number | null };
  readonly notes: readonly string[];
}

interface Rotation {
  metadata: { name: string; namespace: string };
  spec: { certificate: { name: string } };
  status?: {
    phase?: string;
    currentStep?: string;
    conditions?: { type: string; status: string }[];
    certificates?: { vaultLatest?: { thumbprint?: string } };
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process, in seconds (Linux /proc; undefined elsewhere). */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    // USER_HZ is 100 on every Linux architecture Node supports.
    return Number.isFinite(utime + stime) ? (utime + stime) / 100 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM) in MB (Linux /proc; undefined elsewhere). */
export async function processPeakRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Sum of a Prometheus counter's samples in a text exposition, optionally only those whose labels include
 * every `labels` pair.
 */
export function sumMetric(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (wanted.length > 0) {
      const labelText = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
      const pairs = labelText.split(/,(?=[a-zA-Z_][a-zA-Z0-9_]*=")/);
      if (!wanted.every((w) => pairs.includes(w))) continue;
    }
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function rotations(sandbox: Sandbox, namespace: string, plural: string): Rotation[] {
  const api = sandbox.kube.api;
  const type = api.resolve(API_GROUP, API_VERSION, plural);
  if (type === undefined) return [];
  return api.list(type, { namespace }).items as unknown as Rotation[];
}

function allRotations(sandbox: Sandbox, namespace: string): Rotation[] {
  return [
    ...rotations(sandbox, namespace, PLURAL_SERVICE_FABRIC),
    ...rotations(sandbox, namespace, PLURAL_BATCH_POOL),
  ];
}

/** Converged: both controllers report `Steady` with `Ready=True` when nothing is left to do. */
function isSteady(r: Rotation): boolean {
  return (
    r.status?.phase === Phase.Steady &&
    r.status.conditions?.find((c) => c.type === ConditionType.Ready)?.status === 'True'
  );
}

function defaultOperatorCommand(): string[] {
  const bin = process.argv[1] ?? path.resolve('bin/kv-rollover.js');
  // Profiling hook, e.g. KVR_BENCH_OPERATOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (Node refuses
  // --cpu-prof in NODE_OPTIONS); the bench process itself is not profiled.
  const extra = (process.env.KVR_BENCH_OPERATOR_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return [process.execPath, ...extra, ...process.execArgv, bin];
}

/** deploy/operator/deployment.yaml of this package (the checkout it runs from). */
function deploymentManifest(): string {
  return packagePath('deploy', 'operator', 'deployment.yaml');
}

/** Environment variables of the shipped Deployment that shape the Node runtime's memory. */
export const RUNTIME_ENV_NAMES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX'] as const;

/** Those variables as the Deployment's operator container sets them (literal values only). */
export async function deploymentRuntimeEnv(file = deploymentManifest()): Promise<Record<string, string>> {
  const deployment = parseYaml(await readFile(file, 'utf8')) as {
    spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
  };
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  const env = containers.flatMap((c) => c.env ?? []);
  const picked: Record<string, string> = {};
  for (const e of env)
    if ((RUNTIME_ENV_NAMES as readonly string[]).includes(e.name) && e.value !== undefined)
      picked[e.name] = e.value;
  return picked;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const NAMESPACE = 'bench';
const ARM_READS = { service: 'arm' as const, operation: /\/read$/i };
const BATCH_ARM_READS = { service: 'arm' as const, operation: /^Microsoft\.Batch\/.*\/read$/i };
const ARM_WRITES = { service: 'arm' as const, operation: /\/(write|delete|action)$/i };

/** Until every rotation on `certificate` shows `thumbprint` as the vault's latest; seconds, or undefined. */
async function detection(
  sandbox: Sandbox,
  certificate: string,
  thumbprint: string,
  t0: number,
  limitMs: number,
): Promise<number | undefined> {
  const limit = t0 + limitMs;
  while (Date.now() < limit) {
    const users = allRotations(sandbox, NAMESPACE).filter((r) => r.spec.certificate.name === certificate);
    if (
      users.length > 0 &&
      users.every((r) => r.status?.certificates?.vaultLatest?.thumbprint === thumbprint)
    )
      return (Date.now() - t0) / 1000;
    await sleep(50);
  }
  return undefined;
}

/** Subscribes the operator's webhook, retrying while it is not listening yet (bounded). */
async function subscribeOperator(
  sandbox: Sandbox,
  vault: string,
  endpointUrl: string,
  secret: string,
): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const sub = await sandbox.azure.world.eventGrid.subscribe({
        vault,
        endpointUrl,
        deliveryHeaders: { [EVENT_GRID_SECRET_HEADER]: secret },
      });
      return sub.name;
    } catch (err: unknown) {
      last = err;
      await sleep(500);
    }
  }
  throw new Error(
    `could not subscribe the operator's Event Grid webhook: ${last instanceof Error ? last.message : String(last)}`,
  );
}

/** Runs one benchmark; always tears the operator and the sandbox down. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const clusters = options.clusters;
  const pools = options.pools ?? 0;
  const certificates = Math.max(1, options.certificates ?? Math.min(100, Math.ceil(clusters / 10)));
  const nodeTypes = options.nodeTypes ?? 3;
  const vaultPollSeconds = options.vaultPollSeconds ?? 5;
  const resyncSeconds = options.resyncSeconds ?? 15;
  const azureSyncSeconds =
    options.azureSyncSeconds ?? resyncSeconds * (DEFAULT_AZURE_SYNC_SECONDS / DEFAULT_RESYNC_SECONDS);
  // One full sync period (every resource re-read once) plus a resync of slack.
  const windowSeconds =
    options.windowSeconds ?? Math.max(3 * vaultPollSeconds, azureSyncSeconds + resyncSeconds);
  const clockSpeed = options.clockSpeed ?? 600;
  const settleSeconds = options.settleSeconds ?? resyncSeconds;
  const timeoutSeconds = options.timeoutSeconds ?? 60 + (clusters + pools) * 1.5;
  const concurrency = options.maxConcurrentReconciles ?? 4;
  const say = options.onProgress ?? ((): void => undefined);
  const notes: string[] = [];
  const operatorCommand = options.operatorCommand ?? defaultOperatorCommand();
  const runtimeEnv = options.runtimeEnv ?? (await deploymentRuntimeEnv());

  // Zero-latency Azure: no throttling, upgrade domains and model application instantaneous enough that
  // the operator, not the simulated resource provider, sets the pace.
  const sandbox = await startSandbox({
    throttling: false,
    clockSpeed,
    world: { upgradeDomainDurationMs: 10_000 },
  });
  let operator: ChildProcess | undefined;
  try {
    const issuerThumbprint = sandbox.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT;
    const vault = sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
    if (issuerThumbprint === undefined) throw new Error('the sandbox seeded no issuer');
    say(
      `seeding ${clusters} clusters × ${nodeTypes} node types, ${pools} pools, ${certificates} certificates`,
    );
    const ctx = {
      azure: sandbox.azure.world,
      sim: sandbox.sim,
      operatorObjectId: sandbox.azure.operator.objectId,
    };
    const seeded = await seedScaleClusters(ctx, {
      clusters,
      certificates,
      nodeTypes,
      nodesPerType: 1,
      issuerThumbprint,
      namespace: NAMESPACE,
    });
    const seededPools = seedScalePools(ctx, {
      pools,
      certificates: seeded.certificates,
      issuerThumbprint,
      namespace: NAMESPACE,
    });
    sandbox.kube.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    for (const resource of [...seeded.resources, ...seededPools.resources])
      sandbox.kube.createObject(resource);
    const total = clusters + pools;

    const metricsPort = await freePort();
    const eventGridPort = await freePort();
    const eventGridSecret = randomBytes(18).toString('base64url');
    const [command, ...args] = [
      ...operatorCommand,
      'run',
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      '--health-probe-bind-address=0',
      `--event-grid-bind-address=127.0.0.1:${eventGridPort}`,
      `--vault-poll-interval=${vaultPollSeconds}s`,
      '--step-poll-interval=1s',
      `--resync-period=${resyncSeconds}s`,
      `--azure-sync-period=${azureSyncSeconds}s`,
      `--max-concurrent-reconciles=${concurrency}`,
      `--namespaces=${NAMESPACE}`,
      '--log-level=warn',
    ];
    const logPath = options.operatorLog ?? path.join(sandbox.stateDir, 'operator.log');
    const log = createWriteStream(logPath);
    const started = Date.now();
    const virtualStart = sandbox.azure.clock.now().getTime();
    operator = spawn(command ?? process.execPath, args, {
      env: {
        ...process.env,
        ...sandbox.env,
        KVROLLOVER_EVENT_GRID_SECRET: eventGridSecret,
        // Exactly the Deployment's runtime variables: none inherited from the bench's own environment.
        NODE_OPTIONS: '',
        ...runtimeEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator.stdout?.pipe(log);
    operator.stderr?.pipe(log);
    const pid = operator.pid ?? 0;
    const alive = (): boolean => operator?.exitCode === null && operator.signalCode === null;

    // 1. Convergence of every rotation, both kinds.
    let converged = 0;
    let lastSaid = -1;
    const deadline = started + timeoutSeconds * 1000;
    const countSteady = (plural: string): number =>
      rotations(sandbox, NAMESPACE, plural).filter(isSteady).length;
    while (Date.now() < deadline && alive()) {
      converged = countSteady(PLURAL_SERVICE_FABRIC) + countSteady(PLURAL_BATCH_POOL);
      if (converged !== lastSaid) {
        say(`converged ${converged}/${total} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        lastSaid = converged;
      }
      if (converged === total) break;
      await sleep(500);
    }
    if (!alive()) throw new Error(`the operator exited early (see ${logPath})`);
    const convergence = {
      converged,
      total,
      byKind: {
        serviceFabric: { converged: countSteady(PLURAL_SERVICE_FABRIC), total: clusters },
        batchPool: { converged: countSteady(PLURAL_BATCH_POOL), total: pools },
      },
      realSeconds: (Date.now() - started) / 1000,
      virtualSeconds: (sandbox.azure.clock.now().getTime() - virtualStart) / 1000,
      timedOut: converged < total,
    };
    if (convergence.timedOut) {
      const states = new Map<string, number>();
      for (const r of allRotations(sandbox, NAMESPACE).filter((x) => !isSteady(x))) {
        const key = `${r.status?.phase ?? 'no status'}/${r.status?.currentStep ?? '-'}`;
        states.set(key, (states.get(key) ?? 0) + 1);
      }
      const summary = [...states].map(([k, n]) => `${n} ${k}`).join(', ');
      notes.push(`only ${converged}/${total} converged within ${timeoutSeconds} s (others: ${summary})`);
    }

    // 2. Steady state: every reconcile in the window is a no-op.
    const counters = sandbox.azure.counters;
    const sample = async () => {
      const metrics = await scrape(metricsPort);
      return {
        vault: counters.total({ service: 'vault' }),
        armReads: counters.total(ARM_READS),
        armReadsByOperation: counters.entries(ARM_READS),
        batchArmReads: counters.total(BATCH_ARM_READS),
        batchDataPlane: counters.total({ service: 'batch' }),
        armWrites: counters.total(ARM_WRITES),
        cpu: await processCpuSeconds(pid),
        reconciles: sumMetric(metrics, 'kvrollover_reconcile_total'),
        sfReconciles: sumMetric(metrics, 'kvrollover_reconcile_total', { controller: 'servicefabric' }),
        poolReconciles: sumMetric(metrics, 'kvrollover_reconcile_total', { controller: 'batchpool' }),
        at: Date.now(),
      };
    };
    // The reconciles that confirm each convergence (a step just completed is looked at again one step
    // poll later) and the work queue's backlog are not steady state: let one resync period pass first.
    say(`settling for ${settleSeconds} s, then a steady-state window of ${windowSeconds} s`);
    await sleep(settleSeconds * 1000);
    const before = await sample();
    await sleep(windowSeconds * 1000);
    const after = await sample();
    const window = (after.at - before.at) / 1000;
    const perHour = (count: number, resources: number): number =>
      resources === 0 ? 0 : (count / resources) * (3600 / window);
    // Steady-state ARM reads come once per sync period per resource (resyncs in between read nothing), so
    // they scale with it.
    const toDefaults = (rate: number): number => rate * (azureSyncSeconds / DEFAULT_AZURE_SYNC_SECONDS);
    const share = (readsPerHour: number): number => readsPerHour / 3600 / ARM_READ_REFILL_PER_SECOND;
    const keyVaultRequests = after.vault - before.vault;
    const armReads = after.armReads - before.armReads;
    const batchArmReads = after.batchArmReads - before.batchArmReads;
    const sfArmReads = armReads - batchArmReads;
    const reconciles = after.reconciles - before.reconciles;
    const sfReconciles = after.sfReconciles - before.sfReconciles;
    const poolReconciles = after.poolReconciles - before.poolReconciles;
    const dataPlaneReads = after.batchDataPlane - before.batchDataPlane;
    const cpuSeconds =
      before.cpu === undefined || after.cpu === undefined ? undefined : after.cpu - before.cpu;
    const perResourcePerHour = perHour(armReads, total);
    const atDefaults = toDefaults(perResourcePerHour);
    const resyncs = window / resyncSeconds;
    const kind = (resources: number, kindReconciles: number, kindArmReads: number): KindSteadyState => ({
      resources,
      reconciles: kindReconciles,
      reconcilesPerResourcePerResync: resources === 0 ? 0 : kindReconciles / resources / resyncs,
      armReads: kindArmReads,
      armReadsPerResourcePerHour: perHour(kindArmReads, resources),
      armReadsPerResourcePerHourAtDefaults: toDefaults(perHour(kindArmReads, resources)),
    });
    const serviceFabric = kind(clusters, sfReconciles, sfArmReads);
    const batchPool: BatchSteadyState = {
      ...kind(pools, poolReconciles, batchArmReads),
      dataPlaneReads,
      dataPlaneReadsPerPoolPerHour: perHour(dataPlaneReads, pools),
    };
    const armReadsByOperation: Record<string, number> = {};
    for (const e of after.armReadsByOperation) {
      const earlier = before.armReadsByOperation
        .filter((b) => b.operation === e.operation && b.status === e.status)
        .reduce((n, b) => n + b.count, 0);
      if (e.count > earlier)
        armReadsByOperation[e.operation] = (armReadsByOperation[e.operation] ?? 0) + e.count - earlier;
    }
    const steadyState = {
      armReadsByOperation,
      windowSeconds: window,
      keyVaultRequests,
      keyVaultRequestsPerCertificatePerInterval:
        keyVaultRequests / certificates / (window / vaultPollSeconds),
      armReads,
      armReadsPerResourcePerHour: perResourcePerHour,
      armReadBudgetShare: share(perResourcePerHour * total),
      armReadsPerNoopReconcile: reconciles > 0 ? armReads / reconciles : 0,
      armReadsPerResourcePerHourAtDefaults: atDefaults,
      armReadBudgetShareAtDefaults: share(atDefaults * total),
      armReadBudgetShareAtDefaultsAtDesignSize: share(
        serviceFabric.armReadsPerResourcePerHourAtDefaults * DESIGN_CLUSTERS +
          (pools > 0 ? batchPool.armReadsPerResourcePerHourAtDefaults * DESIGN_POOLS : 0),
      ),
      armWrites: after.armWrites - before.armWrites,
      reconciles,
      reconcilesPerResourcePerResync: reconciles / total / resyncs,
      cpuSeconds,
      cpuMsPerNoopReconcile:
        cpuSeconds === undefined || reconciles === 0 ? undefined : (cpuSeconds * 1000) / reconciles,
      byKind: { serviceFabric, batchPool },
    };

    // 3. Detection of a new vault version, until every rotation on that certificate shows it: first by
    // polling (no Event Grid subscription), then, right after that poll, pushed by Event Grid. The
    // interval poll that detected the first version is the latest one of that certificate, so the next
    // comes 0.9 × the interval later at the earliest: a detection before that was Event Grid's.
    const pollingSeconds: number[] = [];
    const eventGridSeconds: number[] = [];
    const eventGridPollsPerSample: number[] = [];
    const pollingSamples = convergence.timedOut ? 0 : Math.min(options.detectionSamples ?? 3, certificates);
    const eventGridSamples = convergence.timedOut
      ? 0
      : Math.min(options.eventGridSamples ?? options.detectionSamples ?? 3, certificates);
    const samples = Math.max(pollingSamples, eventGridSamples);
    const endpointUrl = `http://127.0.0.1:${eventGridPort}/api/eventgrid`;
    const eventGridPollCount = async (): Promise<number> =>
      sumMetric(await scrape(metricsPort), 'kvrollover_vault_polls_total', { trigger: 'event_grid' });
    const eventGridPollsBefore = await eventGridPollCount();
    for (let s = 0; s < samples && alive(); s++) {
      const name = seeded.certificates[s]!;
      // Renews the certificate and waits until every rotation on it shows the new version.
      const renewAndDetect = async (): Promise<number | undefined> => {
        const renewed = await sandbox.azure.world.certificates.renewNow(vault, name);
        return detection(sandbox, name, renewed.thumbprint, Date.now(), (vaultPollSeconds * 3 + 30) * 1000);
      };
      const polled = await renewAndDetect();
      if (s < pollingSamples && polled !== undefined) pollingSeconds.push(polled);
      say(`detection by polling ${s + 1}: ${polled?.toFixed(2) ?? 'not detected'} s`);
      if (s >= eventGridSamples || polled === undefined) continue;

      const subscription = await subscribeOperator(sandbox, vault, endpointUrl, eventGridSecret);
      try {
        const pollsBefore = await eventGridPollCount();
        const seconds = await renewAndDetect();
        if (seconds !== undefined) eventGridSeconds.push(seconds);
        eventGridPollsPerSample.push((await eventGridPollCount()) - pollsBefore);
        say(`detection by Event Grid ${s + 1}: ${seconds?.toFixed(2) ?? 'not detected'} s`);
      } finally {
        sandbox.azure.world.eventGrid.unsubscribe(subscription);
        await sandbox.azure.world.eventGrid.drain();
      }
    }
    const eventGridPolls = (await eventGridPollCount()) - eventGridPollsBefore;
    if (eventGridSamples > 0 && eventGridPolls === 0)
      notes.push('no vault poll with trigger event_grid: the Event Grid samples were detected by polling');

    const peakRssMb = await processPeakRssMb(pid);
    await stopProcess(operator);
    return {
      clusters,
      nodeTypesPerCluster: nodeTypes,
      certificates,
      pools: {
        requested: pools,
        run: convergence.byKind.batchPool.total,
        batchAccounts: seededPools.accounts.length,
      },
      config: {
        vaultPollSeconds,
        resyncSeconds,
        azureSyncSeconds,
        runtimeEnv,
        settleSeconds,
        windowSeconds,
        clockSpeed,
        maxConcurrentReconciles: concurrency,
        throttling: false,
      },
      convergence,
      steadyState,
      detection: {
        pollingSeconds,
        eventGrid:
          eventGridSamples > 0
            ? { measured: true, seconds: eventGridSeconds, eventGridPolls, eventGridPollsPerSample }
            : { measured: false, note: 'no Event Grid sample (convergence timed out, or 0 samples asked)' },
      },
      operator: { peakRssMb, exitCode: operator.exitCode },
      notes,
    };
  } finally {
    if (operator !== undefined) await stopProcess(operator);
    await sandbox.close();
  }
}

const fmt = (n: number | undefined, digits = 2): string => (n === undefined ? 'n/a' : n.toFixed(digits));

/** The human-readable table of one or more runs, with the design §9 target of each row. */
export function formatTable(reports: readonly BenchReport[]): string {
  const pooled = reports.some((r) => r.pools.run > 0);
  type Row = [string, string, (r: BenchReport) => string];
  const rows: Row[] = [
    ['clusters (× node types)', '', (r) => `${r.clusters} × ${r.nodeTypesPerCluster}`],
    ...(pooled
      ? ([['Batch pools (accounts)', '', (r) => `${r.pools.run} (${r.pools.batchAccounts})`]] satisfies Row[])
      : []),
    ['distinct certificates', '', (r) => String(r.certificates)],
    [
      'converged / time (real s)',
      'all',
      (r) => `${r.convergence.converged}/${r.convergence.total} in ${fmt(r.convergence.realSeconds, 1)}`,
    ],
    ...(pooled
      ? ([
          [
            '  clusters / pools converged',
            '',
            (r) =>
              `${r.convergence.byKind.serviceFabric.converged}/${r.convergence.byKind.serviceFabric.total}, ${r.convergence.byKind.batchPool.converged}/${r.convergence.byKind.batchPool.total}`,
          ],
        ] satisfies Row[])
      : []),
    ['  virtual time (s)', '', (r) => fmt(r.convergence.virtualSeconds, 0)],
    [
      'KV req / cert / poll interval',
      '≤ 1',
      (r) => fmt(r.steadyState.keyVaultRequestsPerCertificatePerInterval),
    ],
    ['ARM reads / resource / h (run)', '', (r) => fmt(r.steadyState.armReadsPerResourcePerHour, 1)],
    ['  share of 25/s read budget (run)', '', (r) => `${fmt(r.steadyState.armReadBudgetShare * 100, 1)} %`],
    ['ARM reads / no-op reconcile', '', (r) => fmt(r.steadyState.armReadsPerNoopReconcile)],
    ['reconciles / resource / resync', '1', (r) => fmt(r.steadyState.reconcilesPerResourcePerResync)],
    ...(pooled
      ? ([
          [
            '  clusters / pools',
            '1',
            (r) =>
              `${fmt(r.steadyState.byKind.serviceFabric.reconcilesPerResourcePerResync)} / ${fmt(r.steadyState.byKind.batchPool.reconcilesPerResourcePerResync)}`,
          ],
        ] satisfies Row[])
      : []),
    [
      'ARM reads / cluster / h (defaults)',
      '',
      (r) => fmt(r.steadyState.byKind.serviceFabric.armReadsPerResourcePerHourAtDefaults, 1),
    ],
    ...(pooled
      ? ([
          [
            'Microsoft.Batch reads / pool / h (run)',
            '',
            (r) => fmt(r.steadyState.byKind.batchPool.armReadsPerResourcePerHour, 1),
          ],
          [
            '  at the defaults',
            '',
            (r) => fmt(r.steadyState.byKind.batchPool.armReadsPerResourcePerHourAtDefaults, 1),
          ],
          [
            'Batch data-plane reads / pool / h (run)',
            '',
            (r) => fmt(r.steadyState.byKind.batchPool.dataPlaneReadsPerPoolPerHour, 1),
          ],
        ] satisfies Row[])
      : []),
    [
      '  share of budget (defaults, this N)',
      '',
      (r) => `${fmt(r.steadyState.armReadBudgetShareAtDefaults * 100, 2)} %`,
    ],
    [
      `  share of budget (defaults, ${DESIGN_CLUSTERS}${pooled ? ` + ${DESIGN_POOLS} pools` : ''})`,
      '≤ 10 %',
      (r) => `${fmt(r.steadyState.armReadBudgetShareAtDefaultsAtDesignSize * 100, 2)} %`,
    ],
    ['ARM writes in steady window', '0', (r) => String(r.steadyState.armWrites)],
    ['CPU ms / no-op reconcile', '≤ 2', (r) => fmt(r.steadyState.cpuMsPerNoopReconcile, 3)],
    [
      'detection by polling (s)',
      '≤ poll interval',
      (r) =>
        `${r.detection.pollingSeconds.map((s) => fmt(s, 1)).join(', ') || 'n/a'} (interval ${r.config.vaultPollSeconds})`,
    ],
    [
      'detection by Event Grid (s)',
      '≤ 2',
      (r) =>
        r.detection.eventGrid.measured
          ? `${r.detection.eventGrid.seconds.map((s) => fmt(s, 2)).join(', ') || 'n/a'} (${r.detection.eventGrid.eventGridPolls} event_grid polls)`
          : 'not measured',
    ],
    ['operator peak RSS (MB)', '≤ 200', (r) => fmt(r.operator.peakRssMb, 1)],
  ];
  const header = ['figure', 'target', ...reports.map((r) => `N=${r.clusters}`)];
  const table = [header, ...rows.map(([label, target, get]) => [label, target, ...reports.map(get)])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = [...new Set(reports.flatMap((r) => r.notes))];
  if (reports.length >= 2) {
    const first = reports[0]!;
    const last = reports[reports.length - 1]!;
    const ratio = (f: (r: BenchReport) => number | undefined): string => {
      const a = f(first);
      const b = f(last);
      return a === undefined || b === undefined || a === 0 ? 'n/a' : `× ${(b / a).toFixed(2)}`;
    };
    lines.push(
      '',
      `growth ${first.clusters} → ${last.clusters} (× ${(last.clusters / first.clusters).toFixed(1)} resources):`,
      `  convergence time ${ratio((r) => r.convergence.realSeconds)}, KV req/cert/interval ${ratio((r) => r.steadyState.keyVaultRequestsPerCertificatePerInterval)}, ARM reads/h ${ratio((r) => r.steadyState.armReadsPerResourcePerHour * r.clusters)}, CPU/reconcile ${ratio((r) => r.steadyState.cpuMsPerNoopReconcile)}, peak RSS ${ratio((r) => r.operator.peakRssMb)}`,
    );
  }
  lines.push(
    '',
    `ARM "defaults": --azure-sync-period ${DEFAULT_AZURE_SYNC_SECONDS / 3600} h (a Steady resource is re-read once per sync period): measured × run sync period / 1 h.`,
    `operator runtime (the Deployment's): ${
      Object.entries(reports[0]?.config.runtimeEnv ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '(none)'
    }`,
  );
  for (const n of notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function benchUsage(): string {
  return [
    'Usage: kv-rollover bench [--json] [--out FILE] [--clusters N[,N…]] [--pools N] [--certificates N]',
    '                         [--node-types N] [--vault-poll-interval S] [--resync-period S]',
    '                         [--azure-sync-period S] [--settle S] [--window S] [--clock-speed X] [--timeout S]',
    '                         [--detection-samples N] [--event-grid-samples N]',
    '                         [--max-concurrent-reconciles N] [--operator-log FILE]',
    '',
    'Runs the operator (`kv-rollover run`, a child process) against the sandbox with N Service Fabric',
    'rotations (default 20) and P Batch pool rotations (--pools, default 0) sharing the vault',
    'certificates, and prints the design §9 figures; the design figure is --clusters 1000 --pools 200.',
    'Detection is measured by polling and by Event Grid (the sandbox pushes CertificateNewVersionCreated',
    "to the operator's --event-grid-bind-address). The operator runs with --azure-sync-period",
    '(default 6 × --resync-period) and the window covers one sync period plus a resync.',
    'Several cluster counts (e.g. --clusters 100,1000) are run one after the other and the growth',
    'between the first and the last is printed.',
  ].join('\n');
}

function parseArgs(argv: string[]): {
  json: boolean;
  out?: string;
  counts: number[];
  options: Omit<BenchOptions, 'clusters'>;
} {
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new UsageError(benchUsage());
    if (!arg.startsWith('--')) throw new UsageError(`bench: unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`bench: --${name} needs a value`);
    values.set(name, value);
  }
  const known = new Set([
    'out',
    'operator-log',
    'clusters',
    'pools',
    'certificates',
    'node-types',
    'vault-poll-interval',
    'resync-period',
    'azure-sync-period',
    'window',
    'settle',
    'detection-samples',
    'event-grid-samples',
    'clock-speed',
    'timeout',
    'max-concurrent-reconciles',
  ]);
  for (const name of values.keys())
    if (!known.has(name)) throw new UsageError(`bench: unknown flag --${name}`);
  const num = (name: string, min: number): number | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw.replace(/s$/, ''));
    if (!Number.isFinite(n) || n < min) throw new UsageError(`bench: --${name} must be a number ≥ ${min}`);
    return n;
  };
  const counts = (values.get('clusters') ?? '20').split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new UsageError('bench: --clusters takes positive integers');
    return n;
  });
  const options: Record<string, number> = {};
  const set = (key: keyof BenchOptions, flag: string, min: number): void => {
    const n = num(flag, min);
    if (n !== undefined) options[key] = n;
  };
  set('pools', 'pools', 0);
  set('certificates', 'certificates', 1);
  set('nodeTypes', 'node-types', 1);
  set('vaultPollSeconds', 'vault-poll-interval', 1);
  set('resyncSeconds', 'resync-period', 1);
  set('azureSyncSeconds', 'azure-sync-period', 1);
  set('detectionSamples', 'detection-samples', 0);
  set('eventGridSamples', 'event-grid-samples', 0);
  set('windowSeconds', 'window', 1);
  set('settleSeconds', 'settle', 0);
  set('clockSpeed', 'clock-speed', 1);
  set('timeoutSeconds', 'timeout', 1);
  set('maxConcurrentReconciles', 'max-concurrent-reconciles', 1);
  const out = values.get('out');
  const operatorLog = values.get('operator-log');
  return {
    json,
    ...(out === undefined ? {} : { out }),
    counts,
    options: { ...options, ...(operatorLog === undefined ? {} : { operatorLog }) },
  };
}

export const benchCommand: Command = async (argv) => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (err: unknown) {
    if (err instanceof UsageError && err.message === benchUsage()) {
      console.log(benchUsage());
      return 0;
    }
    throw err;
  }
  const reports: BenchReport[] = [];
  for (const clusters of parsed.counts) {
    reports.push(
      await runBench({
        ...parsed.options,
        clusters,
        onProgress: (line) => process.stderr.write(`bench N=${clusters}: ${line}\n`),
      }),
    );
  }
  const document = { target: 'design §9', generatedAt: new Date().toISOString(), runs: reports };
  if (parsed.out !== undefined) await writeFile(parsed.out, `${JSON.stringify(document, null, 2)}\n`);
  if (parsed.json) console.log(JSON.stringify(document, null, 2));
  else console.log(formatTable(reports));
  return reports.every((r) => !r.convergence.timedOut) ? 0 : 1;
};
