// Configuration of `kv-rollover run`, read ONCE from flags and environment (flag > env > default) and
// validated up front: a bad value stops the process with exit status 2 and a message naming the flag
// and its environment variable. Flag names follow controller-runtime / kubebuilder's cmd/main.go
// (--metrics-bind-address, --health-probe-bind-address, --leader-elect) so operators feel familiar.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolveAzureCloud, type AzureCloud } from '../azure/cloud.js';
import { LOG_LEVELS, type LogLevel } from '../observability/logger.js';
import { parseBindAddress, type BindAddress } from '../observability/http-server.js';
import { UsageError } from './usage-error.js';

export interface RunConfig {
  /** Explicit kubeconfig path; undefined = in-cluster when running in a pod, else ~/.kube/config. */
  readonly kubeconfig: string | undefined;
  /** undefined = disabled ("0"). */
  readonly metricsBindAddress: BindAddress | undefined;
  readonly healthProbeBindAddress: BindAddress | undefined;
  /** Event Grid webhook listener (Key Vault push notifications); undefined = disabled. */
  readonly eventGridBindAddress: BindAddress | undefined;
  readonly leaderElection: {
    readonly enabled: boolean;
    readonly name: string;
    readonly namespace: string;
    readonly identity: string;
    readonly leaseDurationMs: number;
    readonly renewDeadlineMs: number;
    readonly retryPeriodMs: number;
  };
  /** undefined = all namespaces. */
  readonly namespaces: readonly string[] | undefined;
  readonly azure: AzureCloud;
  readonly vaultPollIntervalMs: number;
  /** While a step runs: how often its operation and the settling of Azure are checked. */
  readonly stepPollIntervalMs: number;
  readonly concurrency: number;
  readonly reconcileTimeoutMs: number;
  readonly resyncPeriodMs: number;
  /** A converged resource is re-read from Azure at most this often; 0 = on every reconcile. */
  readonly azureSyncPeriodMs: number;
  readonly shutdownTimeoutMs: number;
  readonly backoff: {
    readonly baseMs: number;
    readonly maxMs: number;
    readonly qps: number;
    readonly burst: number;
  };
  readonly logLevel: LogLevel;
}

type FlagKind = 'string' | 'boolean' | 'duration' | 'integer' | 'number' | 'list';

export interface FlagSpec {
  readonly flag: string;
  readonly env: readonly string[];
  readonly kind: FlagKind;
  readonly default: string;
  readonly help: string;
}

/** Every flag of `run`, in help order; the docs table is generated from this list too. */
export const RUN_FLAGS = [
  {
    flag: 'kubeconfig',
    env: ['KUBECONFIG'],
    kind: 'string',
    default: '',
    help: 'Path to a kubeconfig; empty = in-cluster config in a pod, else ~/.kube/config.',
  },
  {
    flag: 'metrics-bind-address',
    env: ['KVROLLOVER_METRICS_BIND_ADDRESS'],
    kind: 'string',
    default: ':8080',
    help: 'Address of /metrics (host:port, :port; 0 disables).',
  },
  {
    flag: 'health-probe-bind-address',
    env: ['KVROLLOVER_HEALTH_PROBE_BIND_ADDRESS'],
    kind: 'string',
    default: ':8081',
    help: 'Address of /healthz and /readyz (0 disables).',
  },
  {
    flag: 'event-grid-bind-address',
    env: ['KVROLLOVER_EVENT_GRID_BIND_ADDRESS'],
    kind: 'string',
    default: '0',
    help: 'Address of the Event Grid webhook that triggers immediate vault polls (0 disables).',
  },
  {
    flag: 'leader-elect',
    env: ['KVROLLOVER_LEADER_ELECT'],
    kind: 'boolean',
    default: 'true',
    help: 'Elect a leader with a Lease; only the leader mutates Azure.',
  },
  {
    flag: 'leader-election-id',
    env: ['KVROLLOVER_LEADER_ELECTION_ID'],
    kind: 'string',
    default: 'kv-rollover-leader',
    help: 'Name of the coordination.k8s.io/v1 Lease.',
  },
  {
    flag: 'leader-election-namespace',
    env: ['KVROLLOVER_LEADER_ELECTION_NAMESPACE', 'POD_NAMESPACE'],
    kind: 'string',
    default: '',
    help: "Namespace of the Lease; default: the pod's namespace (in-cluster), else 'default'.",
  },
  {
    flag: 'leader-elect-lease-duration',
    env: ['KVROLLOVER_LEADER_ELECT_LEASE_DURATION'],
    kind: 'duration',
    default: '15s',
    help: 'How long followers wait after the last renewal before taking over.',
  },
  {
    flag: 'leader-elect-renew-deadline',
    env: ['KVROLLOVER_LEADER_ELECT_RENEW_DEADLINE'],
    kind: 'duration',
    default: '10s',
    help: 'How long the leader retries renewing before stepping down (< lease duration).',
  },
  {
    flag: 'leader-elect-retry-period',
    env: ['KVROLLOVER_LEADER_ELECT_RETRY_PERIOD'],
    kind: 'duration',
    default: '2s',
    help: 'Interval between acquire/renew attempts (< renew deadline).',
  },
  {
    flag: 'identity',
    env: ['POD_NAME'],
    kind: 'string',
    default: '',
    help: 'This replica in the Lease and in Events; default: hostname plus a random suffix.',
  },
  {
    flag: 'namespaces',
    env: ['KVROLLOVER_NAMESPACES'],
    kind: 'list',
    default: '',
    help: 'Comma-separated namespaces to watch; empty = all namespaces.',
  },
  {
    flag: 'azure-cloud',
    env: ['AZURE_CLOUD'],
    kind: 'string',
    default: 'AzurePublicCloud',
    help: 'AzurePublicCloud (public), AzureUSGovernment (usgov) or AzureChinaCloud (china).',
  },
  {
    flag: 'azure-resource-manager-endpoint',
    env: ['AZURE_RESOURCE_MANAGER_ENDPOINT'],
    kind: 'string',
    default: '',
    help: "ARM endpoint override (https) for sovereign or private clouds; default: the cloud's.",
  },
  {
    flag: 'azure-resource-manager-audience',
    env: ['AZURE_RESOURCE_MANAGER_AUDIENCE'],
    kind: 'string',
    default: '',
    help: 'Audience of ARM tokens; default: the endpoint override, else the cloud preset.',
  },
  {
    flag: 'vault-poll-interval',
    env: ['KVROLLOVER_VAULT_POLL_INTERVAL'],
    kind: 'duration',
    default: '5m',
    help: 'How often each distinct vault certificate is polled for new versions.',
  },
  {
    flag: 'step-poll-interval',
    env: ['KVROLLOVER_STEP_POLL_INTERVAL'],
    kind: 'duration',
    default: '10s',
    help: 'While a step runs, how often its Azure operation and the settling of the cluster, scale sets or pool are checked.',
  },
  {
    flag: 'max-concurrent-reconciles',
    env: ['KVROLLOVER_MAX_CONCURRENT_RECONCILES'],
    kind: 'integer',
    default: '4',
    help: 'Workers per controller (a key is never reconciled by two at once).',
  },
  {
    flag: 'reconcile-timeout',
    env: ['KVROLLOVER_RECONCILE_TIMEOUT'],
    kind: 'duration',
    default: '5m',
    help: 'Per-reconcile deadline (its AbortSignal fires).',
  },
  {
    flag: 'resync-period',
    env: ['KVROLLOVER_RESYNC_PERIOD'],
    kind: 'duration',
    default: '10m',
    help: 'Every object is reconciled at least this often (0 disables).',
  },
  {
    flag: 'azure-sync-period',
    env: ['KVROLLOVER_AZURE_SYNC_PERIOD'],
    kind: 'duration',
    default: '1h',
    help: 'A converged resource is re-read from Azure (drift check) at most this often; reconciles in between read nothing unless its spec or vault versions changed (0: every reconcile reads).',
  },
  {
    flag: 'shutdown-timeout',
    env: ['KVROLLOVER_SHUTDOWN_TIMEOUT'],
    kind: 'duration',
    default: '20s',
    help: 'On SIGTERM, how long in-flight reconciles may finish before being abandoned (keep it below the pod grace period, 30s).',
  },
  {
    flag: 'requeue-backoff-base',
    env: ['KVROLLOVER_REQUEUE_BACKOFF_BASE'],
    kind: 'duration',
    default: '5ms',
    help: 'First retry delay after an error; doubles per failure.',
  },
  {
    flag: 'requeue-backoff-max',
    env: ['KVROLLOVER_REQUEUE_BACKOFF_MAX'],
    kind: 'duration',
    default: '1000s',
    help: 'Cap of the per-key retry delay.',
  },
  {
    flag: 'requeue-qps',
    env: ['KVROLLOVER_REQUEUE_QPS'],
    kind: 'number',
    default: '10',
    help: 'Global retry rate limit (token bucket refill per second).',
  },
  {
    flag: 'requeue-burst',
    env: ['KVROLLOVER_REQUEUE_BURST'],
    kind: 'integer',
    default: '100',
    help: 'Global retry rate limit (token bucket size).',
  },
  {
    flag: 'log-level',
    env: ['KVROLLOVER_LOG_LEVEL', 'LOG_LEVEL'],
    kind: 'string',
    default: 'info',
    help: `One of ${LOG_LEVELS.join(', ')}.`,
  },
] as const satisfies readonly FlagSpec[];

type FlagName = (typeof RUN_FLAGS)[number]['flag'];

export function runUsage(): string {
  const lines = RUN_FLAGS.map((f) => {
    const value = f.kind === 'boolean' ? '[=true|false]' : ` <${f.kind}>`;
    const dflt = f.default === '' ? '' : ` (default ${f.default})`;
    return `  --${f.flag}${value}\n      ${f.help}${dflt} [env ${f.env.join(', ')}]`;
  });
  return `Usage: kv-rollover run [options]\n\nRuns the operator.\n\nOptions:\n${lines.join('\n')}\n  -h, --help\n`;
}

export type ParsedRunArgs = { readonly help: true } | { readonly help: false; readonly config: RunConfig };

/** Reads flags and environment once; throws UsageError (exit 2) naming the offending flag. */
export function parseRunConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): ParsedRunArgs {
  const flags = new Map<string, string>();
  const specs = new Map<string, FlagSpec>(RUN_FLAGS.map((f) => [f.flag, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { help: true };
    if (!arg.startsWith('--')) throw new UsageError(`run: unexpected argument '${arg}' (see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.get(name);
    if (spec === undefined) throw new UsageError(`run: unknown flag --${name} (see --help)`);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      const next = argv[i + 1];
      if (spec.kind === 'boolean' && (next === undefined || !/^(true|false)$/i.test(next))) value = 'true';
      else if (next === undefined) throw new UsageError(`run: --${name} needs a value`);
      else value = argv[++i]!;
    }
    if (flags.has(name)) throw new UsageError(`run: --${name} given more than once`);
    flags.set(name, value);
  }

  const raw = (flag: FlagName): { value: string; source: string } => {
    const spec = specs.get(flag)!;
    const fromFlag = flags.get(flag);
    if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag}` };
    for (const name of spec.env) {
      const v = env[name];
      if (v !== undefined && v !== '') return { value: v, source: `--${flag} (from ${name})` };
    }
    return { value: spec.default, source: `--${flag}` };
  };
  const fail = (source: string, message: string): never => {
    throw new UsageError(`run: ${source}: ${message}`);
  };
  const duration = (flag: FlagName, min = 0): number => {
    const { value, source } = raw(flag);
    const ms = parseDuration(value);
    if (ms === undefined)
      return fail(source, `expected a duration like 500ms, 15s, 5m or 1h30m, got '${value}'`);
    if (ms < min) return fail(source, `must be at least ${min}ms, got '${value}'`);
    return ms;
  };
  const integer = (flag: FlagName, min: number, max: number): number => {
    const { value, source } = raw(flag);
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      return fail(source, `expected an integer from ${min} to ${max}, got '${value}'`);
    return n;
  };
  const bool = (flag: FlagName): boolean => {
    const { value, source } = raw(flag);
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    return fail(source, `expected true or false, got '${value}'`);
  };
  const bind = (flag: FlagName): BindAddress | undefined => {
    const { value, source } = raw(flag);
    try {
      return parseBindAddress(value);
    } catch (err: unknown) {
      return fail(source, err instanceof Error ? err.message : String(err));
    }
  };

  const kubeconfig = raw('kubeconfig').value.trim();
  // KUBECONFIG may be a path list (':'-separated); client-node's default loading handles that, so an
  // env value is only used as an explicit path when it names one file.
  const kubeconfigPath = kubeconfig === '' ? undefined : kubeconfig;

  const namespacesRaw = raw('namespaces');
  const namespaces = namespacesRaw.value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const ns of namespaces) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns))
      fail(namespacesRaw.source, `'${ns}' is not a valid namespace name`);
  }

  const leaseDurationMs = duration('leader-elect-lease-duration', 1000);
  const renewDeadlineMs = duration('leader-elect-renew-deadline', 1);
  const retryPeriodMs = duration('leader-elect-retry-period', 1);
  if (!(renewDeadlineMs < leaseDurationMs)) {
    fail(raw('leader-elect-renew-deadline').source, 'must be shorter than --leader-elect-lease-duration');
  }
  if (!(retryPeriodMs < renewDeadlineMs)) {
    fail(raw('leader-elect-retry-period').source, 'must be shorter than --leader-elect-renew-deadline');
  }
  const leaseName = raw('leader-election-id');
  if (!/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/.test(leaseName.value)) {
    fail(leaseName.source, `'${leaseName.value}' is not a valid object name`);
  }
  const leaseNamespace =
    raw('leader-election-namespace').value.trim() ||
    (env.KUBERNETES_SERVICE_HOST ? inClusterNamespace() : 'default');

  const logLevel = raw('log-level');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel.value)) {
    fail(logLevel.source, `expected one of ${LOG_LEVELS.join(', ')}, got '${logLevel.value}'`);
  }

  let azure: AzureCloud;
  const cloud = raw('azure-cloud');
  const armEndpoint = raw('azure-resource-manager-endpoint');
  const armAudience = raw('azure-resource-manager-audience');
  try {
    azure = resolveAzureCloud(
      {
        ...env,
        AZURE_RESOURCE_MANAGER_ENDPOINT: armEndpoint.value || undefined,
        AZURE_RESOURCE_MANAGER_AUDIENCE: armAudience.value || undefined,
      },
      cloud.value,
    );
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    const source = /AUDIENCE/.test(message)
      ? armAudience.source
      : /ENDPOINT/.test(message)
        ? armEndpoint.source
        : cloud.source;
    return fail(source, message);
  }

  const backoffBase = duration('requeue-backoff-base', 1);
  const backoffMax = duration('requeue-backoff-max', 1);
  if (backoffMax < backoffBase)
    fail(raw('requeue-backoff-max').source, 'must not be shorter than --requeue-backoff-base');
  const qpsRaw = raw('requeue-qps');
  const qps = Number(qpsRaw.value);
  if (!Number.isFinite(qps) || qps <= 0)
    fail(qpsRaw.source, `expected a positive number, got '${qpsRaw.value}'`);

  const identity = raw('identity').value.trim() || `${hostname()}_${randomBytes(4).toString('hex')}`;

  const config: RunConfig = {
    kubeconfig: kubeconfigPath,
    metricsBindAddress: bind('metrics-bind-address'),
    healthProbeBindAddress: bind('health-probe-bind-address'),
    eventGridBindAddress: bind('event-grid-bind-address'),
    leaderElection: {
      enabled: bool('leader-elect'),
      name: leaseName.value,
      namespace: leaseNamespace,
      identity,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs,
    },
    namespaces: namespaces.length === 0 ? undefined : [...new Set(namespaces)],
    azure,
    vaultPollIntervalMs: duration('vault-poll-interval', 1000),
    stepPollIntervalMs: duration('step-poll-interval', 100),
    concurrency: integer('max-concurrent-reconciles', 1, 64),
    reconcileTimeoutMs: duration('reconcile-timeout', 1000),
    resyncPeriodMs: duration('resync-period', 0),
    azureSyncPeriodMs: duration('azure-sync-period', 0),
    shutdownTimeoutMs: duration('shutdown-timeout', 0),
    backoff: { baseMs: backoffBase, maxMs: backoffMax, qps, burst: integer('requeue-burst', 1, 100_000) },
    logLevel: logLevel.value as LogLevel,
  };
  return { help: false, config };
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The pod's namespace from its service-account mount (in-cluster); 'default' when unreadable. */
function inClusterNamespace(): string {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

/** Go-style durations: `300ms`, `15s`, `5m`, `1h30m`, `0`; also a bare number of seconds. */
export function parseDuration(value: string): number | undefined {
  const v = value.trim();
  if (v === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(v)) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, , u] of v.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * unit[u!]!;
  return Math.round(total);
}
