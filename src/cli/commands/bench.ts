// `kv-rollover bench`: the real operator process against the sandbox with many Service Fabric rotations
// (design §9). Zero-latency Azure with throttling off for the convergence run; the figures are read from
// the emulator's request counters, the operator's /metrics and /proc (CPU time, peak RSS), never from
// the operator's own logs. Timings are reported, never asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC } from '../../domain/names.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { seedScaleClusters } from '../../sandbox/scenarios/scale.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './index.js';

/** Azure Resource Manager's subscription read budget: 25 tokens refilled per second [ARM-THR]. */
export const ARM_READ_REFILL_PER_SECOND = 25;
/** The operator's default resync period (`--resync-period`), used to project steady-state ARM reads. */
export const DEFAULT_RESYNC_SECONDS = 600;

export interface BenchOptions {
  readonly clusters: number;
  /** Distinct vault certificates (default min(100, clusters / 10), at least 1). */
  readonly certificates?: number;
  readonly nodeTypes?: number;
  /** Batch pools (not benchmarked yet: see the report's notes). */
  readonly pools?: number;
  /** Operator `--vault-poll-interval` in seconds (default 5). */
  readonly vaultPollSeconds?: number;
  /** Operator `--resync-period` during the run in seconds (default 15). */
  readonly resyncSeconds?: number;
  /** Steady-state measurement window in seconds (default max(3 poll intervals, 2 resyncs)). */
  readonly windowSeconds?: number;
  /** Virtual seconds per real second (default 600). */
  readonly clockSpeed?: number;
  /** Give up converging after this many real seconds (default 60 + clusters × 1.5). */
  readonly timeoutSeconds?: number;
  /** New vault versions whose detection latency is measured (default 3). */
  readonly detectionSamples?: number;
  readonly maxConcurrentReconciles?: number;
  /** The command that starts the operator (default: this CLI). */
  readonly operatorCommand?: readonly string[];
  readonly onProgress?: (line: string) => void;
  /** Keep the operator's log in this file (default: inside the sandbox's temporary directory). */
  readonly operatorLog?: string;
}

export interface BenchReport {
  readonly clusters: number;
  readonly nodeTypesPerCluster: number;
  readonly certificates: number;
  readonly pools: { readonly requested: number; readonly run: number; readonly note?: string };
  readonly config: {
    readonly vaultPollSeconds: number;
    readonly resyncSeconds: number;
    readonly windowSeconds: number;
    readonly clockSpeed: number;
    readonly maxConcurrentReconciles: number;
    readonly throttling: false;
  };
  readonly convergence: {
    readonly converged: number;
    readonly total: number;
    readonly realSeconds: number;
    readonly virtualSeconds: number;
    readonly timedOut: boolean;
  };
  readonly steadyState: {
    readonly windowSeconds: number;
    readonly keyVaultRequests: number;
    /** Key Vault requests / distinct certificates / poll intervals in the window (target ≤ 1). */
    readonly keyVaultRequestsPerCertificatePerInterval: number;
    readonly armReads: number;
    /** Measured with this run's resync period. */
    readonly armReadsPerResourcePerHour: number;
    readonly armReadBudgetShare: number;
    readonly armReadsPerNoopReconcile: number;
    /** Projected at the default resync period (10 m): the measured rate × run resync / 10 m. */
    readonly armReadsPerResourcePerHourAtDefaultResync: number;
    readonly armReadBudgetShareAtDefaultResync: number;
    readonly armWrites: number;
    readonly reconciles: number;
    /** No-op reconciles per resource per resync period (1 expected). */
    readonly reconcilesPerResourcePerResync: number;
    readonly cpuSeconds: number | undefined;
    /** Milliseconds of operator CPU per reconcile in the window (every one a no-op). */
    readonly cpuMsPerNoopReconcile: number | undefined;
  };
  readonly detection: {
    readonly pollingSeconds: readonly number[];
    readonly eventGrid: { readonly measured: false; readonly note: string };
  };
  readonly operator: { readonly peakRssMb: number | undefined; readonly exitCode: number | null };
  readonly notes: readonly string[];
}

interface Rotation {
  metadata: { name: string; namespace: string };
  spec: { certificate: { name: string } };
  status?: {
    phase?: string;
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

/** Sum of a Prometheus counter's samples in a text exposition. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function rotations(sandbox: Sandbox, namespace: string): Rotation[] {
  const api = sandbox.kube.api;
  const type = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
  if (type === undefined) return [];
  return api.list(type, { namespace }).items as unknown as Rotation[];
}

function isSteady(r: Rotation): boolean {
  return (
    r.status?.phase === 'Steady' && r.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
  );
}

function defaultOperatorCommand(): string[] {
  const bin = process.argv[1] ?? path.resolve('bin/kv-rollover.js');
  // Profiling hook, e.g. KVR_BENCH_OPERATOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (Node refuses
  // --cpu-prof in NODE_OPTIONS); the bench process itself is not profiled.
  const extra = (process.env.KVR_BENCH_OPERATOR_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return [process.execPath, ...extra, ...process.execArgv, bin];
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const NAMESPACE = 'bench';

/** Runs one benchmark; always tears the operator and the sandbox down. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const clusters = options.clusters;
  const certificates = Math.max(1, options.certificates ?? Math.min(100, Math.ceil(clusters / 10)));
  const nodeTypes = options.nodeTypes ?? 3;
  const vaultPollSeconds = options.vaultPollSeconds ?? 5;
  const resyncSeconds = options.resyncSeconds ?? 15;
  const windowSeconds = options.windowSeconds ?? Math.max(3 * vaultPollSeconds, 2 * resyncSeconds);
  const clockSpeed = options.clockSpeed ?? 600;
  const timeoutSeconds = options.timeoutSeconds ?? 60 + clusters * 1.5;
  const concurrency = options.maxConcurrentReconciles ?? 4;
  const say = options.onProgress ?? ((): void => undefined);
  const notes: string[] = [];
  const poolsRequested = options.pools ?? 0;
  const poolNote =
    'Batch pools are not benchmarked yet: the scale scenario seeds Service Fabric clusters only.';
  if (poolsRequested > 0) notes.push(poolNote);

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
    if (issuerThumbprint === undefined) throw new Error('the sandbox seeded no issuer');
    say(`seeding ${clusters} clusters × ${nodeTypes} node types, ${certificates} certificates`);
    const seeded = await seedScaleClusters(
      { azure: sandbox.azure.world, sim: sandbox.sim, operatorObjectId: sandbox.azure.operator.objectId },
      { clusters, certificates, nodeTypes, nodesPerType: 1, issuerThumbprint, namespace: NAMESPACE },
    );
    sandbox.kube.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    for (const resource of seeded.resources) sandbox.kube.createObject(resource);

    const metricsPort = await freePort();
    const [command, ...args] = [
      ...(options.operatorCommand ?? defaultOperatorCommand()),
      'run',
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
      '--health-probe-bind-address=0',
      `--vault-poll-interval=${vaultPollSeconds}s`,
      '--step-poll-interval=1s',
      `--resync-period=${resyncSeconds}s`,
      `--max-concurrent-reconciles=${concurrency}`,
      `--namespaces=${NAMESPACE}`,
      '--log-level=warn',
    ];
    const logPath = options.operatorLog ?? path.join(sandbox.stateDir, 'operator.log');
    const log = createWriteStream(logPath);
    const started = Date.now();
    const virtualStart = sandbox.azure.clock.now().getTime();
    operator = spawn(command ?? process.execPath, args, {
      env: { ...process.env, ...sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator.stdout?.pipe(log);
    operator.stderr?.pipe(log);
    const pid = operator.pid ?? 0;
    const alive = (): boolean => operator?.exitCode === null && operator.signalCode === null;

    // 1. Convergence of every conversion.
    let converged = 0;
    let lastSaid = -1;
    const deadline = started + timeoutSeconds * 1000;
    while (Date.now() < deadline && alive()) {
      converged = rotations(sandbox, NAMESPACE).filter(isSteady).length;
      if (converged !== lastSaid) {
        say(`converged ${converged}/${clusters} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        lastSaid = converged;
      }
      if (converged === clusters) break;
      await sleep(500);
    }
    if (!alive()) throw new Error(`the operator exited early (see ${logPath})`);
    const convergence = {
      converged,
      total: clusters,
      realSeconds: (Date.now() - started) / 1000,
      virtualSeconds: (sandbox.azure.clock.now().getTime() - virtualStart) / 1000,
      timedOut: converged < clusters,
    };
    if (convergence.timedOut) {
      const states = new Map<string, number>();
      for (const r of rotations(sandbox, NAMESPACE).filter((x) => !isSteady(x))) {
        const key = `${r.status?.phase ?? 'no status'}/${(r.status as { currentStep?: string } | undefined)?.currentStep ?? '-'}`;
        states.set(key, (states.get(key) ?? 0) + 1);
      }
      const summary = [...states].map(([k, n]) => `${n} ${k}`).join(', ');
      notes.push(`only ${converged}/${clusters} converged within ${timeoutSeconds} s (others: ${summary})`);
    }

    // 2. Steady state: every reconcile in the window is a no-op.
    say(`steady-state window of ${windowSeconds} s`);
    const counters = sandbox.azure.counters;
    const armReadFilter = { service: 'arm' as const, operation: /\/read$/i };
    const armWriteFilter = { service: 'arm' as const, operation: /\/(write|delete|action)$/i };
    const before = {
      vault: counters.total({ service: 'vault' }),
      armReads: counters.total(armReadFilter),
      armWrites: counters.total(armWriteFilter),
      cpu: await processCpuSeconds(pid),
      reconciles: sumMetric(await scrape(metricsPort), 'kvrollover_reconcile_total'),
      at: Date.now(),
    };
    await sleep(windowSeconds * 1000);
    const after = {
      vault: counters.total({ service: 'vault' }),
      armReads: counters.total(armReadFilter),
      armWrites: counters.total(armWriteFilter),
      cpu: await processCpuSeconds(pid),
      reconciles: sumMetric(await scrape(metricsPort), 'kvrollover_reconcile_total'),
      at: Date.now(),
    };
    const window = (after.at - before.at) / 1000;
    const keyVaultRequests = after.vault - before.vault;
    const armReads = after.armReads - before.armReads;
    const reconciles = after.reconciles - before.reconciles;
    const cpuSeconds =
      before.cpu === undefined || after.cpu === undefined ? undefined : after.cpu - before.cpu;
    const perResourcePerHour = (armReads / clusters) * (3600 / window);
    const readsPerReconcile = reconciles > 0 ? armReads / reconciles : 0;
    // Every steady-state ARM read is driven by the resync period (the runtime's resync and the controller's
    // steady requeue both use it), so the rate scales with it; vault polls are Key Vault, not ARM.
    const atDefault = perResourcePerHour * (resyncSeconds / DEFAULT_RESYNC_SECONDS);
    const steadyState = {
      windowSeconds: window,
      keyVaultRequests,
      keyVaultRequestsPerCertificatePerInterval:
        keyVaultRequests / certificates / (window / vaultPollSeconds),
      armReads,
      armReadsPerResourcePerHour: perResourcePerHour,
      armReadBudgetShare: (perResourcePerHour * clusters) / 3600 / ARM_READ_REFILL_PER_SECOND,
      armReadsPerNoopReconcile: readsPerReconcile,
      armReadsPerResourcePerHourAtDefaultResync: atDefault,
      armReadBudgetShareAtDefaultResync: (atDefault * clusters) / 3600 / ARM_READ_REFILL_PER_SECOND,
      armWrites: after.armWrites - before.armWrites,
      reconciles,
      reconcilesPerResourcePerResync: reconciles / clusters / (window / resyncSeconds),
      cpuSeconds,
      cpuMsPerNoopReconcile:
        cpuSeconds === undefined || reconciles === 0 ? undefined : (cpuSeconds * 1000) / reconciles,
    };

    // 3. Detection of a new vault version by polling: until every resource on that certificate shows it.
    const pollingSeconds: number[] = [];
    const samples = convergence.timedOut ? 0 : Math.min(options.detectionSamples ?? 3, certificates);
    for (let s = 0; s < samples && alive(); s++) {
      const name = seeded.certificates[s]!;
      const renewed = await sandbox.azure.world.certificates.renewNow(
        sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '',
        name,
      );
      const t0 = Date.now();
      const limit = t0 + (vaultPollSeconds * 3 + 30) * 1000;
      while (Date.now() < limit) {
        const users = rotations(sandbox, NAMESPACE).filter((r) => r.spec.certificate.name === name);
        if (
          users.length > 0 &&
          users.every((r) => r.status?.certificates?.vaultLatest?.thumbprint === renewed.thumbprint)
        ) {
          pollingSeconds.push((Date.now() - t0) / 1000);
          break;
        }
        await sleep(100);
      }
      say(`detection sample ${s + 1}: ${pollingSeconds.at(-1)?.toFixed(2) ?? 'not detected'} s`);
    }

    const peakRssMb = await processPeakRssMb(pid);
    await stopProcess(operator);
    return {
      clusters,
      nodeTypesPerCluster: nodeTypes,
      certificates,
      pools: { requested: poolsRequested, run: 0, ...(poolsRequested > 0 ? { note: poolNote } : {}) },
      config: {
        vaultPollSeconds,
        resyncSeconds,
        windowSeconds,
        clockSpeed,
        maxConcurrentReconciles: concurrency,
        throttling: false,
      },
      convergence,
      steadyState,
      detection: {
        pollingSeconds,
        eventGrid: {
          measured: false,
          note: '`kv-rollover run` does not mount the Event Grid handler (src/observability/eventgrid.ts) yet',
        },
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
  const rows: [string, string, (r: BenchReport) => string][] = [
    ['clusters (× node types)', '', (r) => `${r.clusters} × ${r.nodeTypesPerCluster}`],
    ['distinct certificates', '', (r) => String(r.certificates)],
    [
      'converged / time (real s)',
      'all',
      (r) => `${r.convergence.converged}/${r.convergence.total} in ${fmt(r.convergence.realSeconds, 1)}`,
    ],
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
    [
      'ARM reads / resource / h (10m resync)',
      '',
      (r) => fmt(r.steadyState.armReadsPerResourcePerHourAtDefaultResync, 1),
    ],
    [
      '  share of budget (10m resync)',
      '≤ 10 %',
      (r) => `${fmt(r.steadyState.armReadBudgetShareAtDefaultResync * 100, 1)} %`,
    ],
    ['ARM writes in steady window', '0', (r) => String(r.steadyState.armWrites)],
    ['CPU ms / no-op reconcile', '≤ 2', (r) => fmt(r.steadyState.cpuMsPerNoopReconcile, 3)],
    [
      'detection by polling (s)',
      '≤ poll interval',
      (r) =>
        `${r.detection.pollingSeconds.map((s) => fmt(s, 1)).join(', ') || 'n/a'} (interval ${r.config.vaultPollSeconds})`,
    ],
    ['detection by Event Grid (s)', '≤ 2', () => 'not measured'],
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
  lines.push('', 'Event Grid push: not measured — `kv-rollover run` does not mount the webhook yet.');
  for (const n of notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function benchUsage(): string {
  return [
    'Usage: kv-rollover bench [--json] [--out FILE] [--clusters N[,N…]] [--pools N] [--certificates N]',
    '                         [--node-types N] [--vault-poll-interval S] [--resync-period S] [--window S]',
    '                         [--clock-speed X] [--timeout S] [--max-concurrent-reconciles N]',
    '',
    'Runs the operator (`kv-rollover run`, a child process) against the sandbox with N Service Fabric',
    'rotations (default 20, a CI-sized run of about 90 s; the design figure is --clusters 1000)',
    'and prints the design §9 figures. Several cluster counts (e.g. --clusters 100,1000) are run',
    'one after the other and the growth between the first and the last is printed.',
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
    'window',
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
  set('windowSeconds', 'window', 1);
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
