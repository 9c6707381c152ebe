// `kv-rollover run`: the composition root of the operator process. Reads the configuration once,
// builds the Kubernetes client (--kubeconfig / KUBECONFIG / in-cluster), the runtime (caches, leader
// election, controllers) and the HTTP endpoints, then waits for SIGTERM/SIGINT and shuts down
// gracefully: no new reconciles, in-flight ones finish or are abandoned at the deadline, the Lease is
// released, exit status 0. A second signal exits at once (status 1).
import { delimiter } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { PooledKubeConfig } from '../../kube/kubeconfig.js';
import { packageVersion } from '../../package-files.js';
import type { ControllerRegistration } from '../../controllers/reconciler.js';
import {
  API_GROUP,
  API_VERSION,
  KIND_BATCH_POOL,
  KIND_SERVICE_FABRIC,
  PLURAL_BATCH_POOL,
  PLURAL_SERVICE_FABRIC,
} from '../../domain/names.js';
import { OperatorRuntime, kubeClients, type RuntimeClients } from '../../kube/runtime.js';
import type { ObjectKey, ResourceKind } from '../../kube/types.js';
import type { Check, CheckResult } from '../../observability/health.js';
import { startHandlerServer, startHttpServer, type RunningServer } from '../../observability/http-server.js';
import { createEventGridHandler } from '../../observability/eventgrid.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { buildInfo, registry } from '../../observability/metrics.js';
import {
  registerResourceCollector,
  rotationView,
  type ResourceCollector,
} from '../../observability/resource-collector.js';
import type { Rotation } from '../../api/index.js';
import { parseRunConfig, runUsage, type RunConfig } from '../config.js';
import { UsageError } from '../usage-error.js';
import { ROTATION_CONTROLLERS } from '../controllers.js';
import type { Command } from './index.js';

export const SERVICE_FABRIC_KIND: ResourceKind = {
  group: API_GROUP,
  version: API_VERSION,
  kind: KIND_SERVICE_FABRIC,
  plural: PLURAL_SERVICE_FABRIC,
};

export const BATCH_POOL_KIND: ResourceKind = {
  group: API_GROUP,
  version: API_VERSION,
  kind: KIND_BATCH_POOL,
  plural: PLURAL_BATCH_POOL,
};

/** What a controller factory gets to build its reconciler (Azure clients, vault watcher, …). */
export interface ControllerDeps {
  readonly config: RunConfig;
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  /** Queues a reconcile (e.g. when the vault watcher sees a new version); safe to call any time. */
  readonly enqueue: (kind: ResourceKind, key: ObjectKey) => void;
  /**
   * One instance per process for `name`, created on first use: how the controllers share things such
   * as the Azure context (credentials, client sets, the single vault watcher).
   */
  readonly shared: <T>(name: string, create: () => T) => T;
}

export interface ControllerPlugin {
  readonly registration: ControllerRegistration;
  /** Readiness of the leader also requires this (e.g. "ARM answers"); combined across plugins. */
  readonly azureProbe?: Check;
  /** Called during shutdown, after the workers stopped (e.g. stop the vault watcher's timers). */
  readonly stop?: () => Promise<void> | void;
  /** Event Grid pushes: poll this vault certificate now; false when nothing watches it. */
  readonly pollVaultNow?: (vault: string, certificate: string) => boolean;
}

export type ControllerFactory = (deps: ControllerDeps) => ControllerPlugin | Promise<ControllerPlugin>;

/**
 * The controllers `run` starts. The Service Fabric and Batch controllers plug in here with one line
 * each; with none, the runtime still runs (caches, leader election, probes, metrics) and says so.
 */
export const CONTROLLER_FACTORIES: readonly ControllerFactory[] = ROTATION_CONTROLLERS;

// Per-resource gauges are computed at scrape time from the informer caches (no stale series after a
// delete). prom-client allows one collector per metric name, so every runtime of this process (tests
// start several) feeds the one collector.
const liveRuntimes = new Set<OperatorRuntime>();
let resourceCollector: ResourceCollector | undefined;

function trackResourceMetrics(runtime: OperatorRuntime): void {
  liveRuntimes.add(runtime);
  resourceCollector ??= registerResourceCollector(
    () =>
      [...liveRuntimes].flatMap((r) =>
        [SERVICE_FABRIC_KIND, BATCH_POOL_KIND].flatMap((kind) =>
          r.cache.list(kind).map((o) => rotationView(o as unknown as Rotation)),
        ),
      ),
    { registry },
  );
}

function untrackResourceMetrics(runtime: OperatorRuntime): void {
  liveRuntimes.delete(runtime);
}

/** Loads the kube client configuration: an explicit file, KUBECONFIG (path list), in-cluster, ~/.kube/config. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new PooledKubeConfig();
  if (path !== undefined && !path.includes(delimiter)) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (kc.getCurrentCluster() === null) {
    throw new UsageError(
      'run: --kubeconfig: no Kubernetes cluster configured (set --kubeconfig or KUBECONFIG, or run in a pod)',
    );
  }
  return kc;
}

export interface RunDeps {
  readonly factories?: readonly ControllerFactory[];
  /** Replaces the real client-node transport (tests). */
  readonly clients?: RuntimeClients;
  readonly log?: Logger;
  readonly kubeConfig?: KubeConfig;
}

export interface RunningOperator {
  readonly runtime: OperatorRuntime;
  readonly servers: readonly RunningServer[];
  /** Graceful shutdown (idempotent); resolves with the exit status. */
  stop(): Promise<number>;
}

function combineProbes(probes: readonly Check[]): Check | undefined {
  if (probes.length === 0) return undefined;
  return async (): Promise<CheckResult> => {
    const results = await Promise.all(probes.map(async (p) => p()));
    const failed = results.filter((r) => !r.ok);
    return failed.length === 0
      ? { ok: true }
      : { ok: false, message: failed.map((r) => r.message ?? 'not ok').join('; ') };
  };
}

/** Starts the operator process (without signal handling; `runCommand` adds that). */
export async function startOperator(config: RunConfig, deps: RunDeps = {}): Promise<RunningOperator> {
  const log =
    deps.log ?? createLogger({ level: config.logLevel, base: { replica: config.leaderElection.identity } });
  const kubeConfig = deps.kubeConfig ?? loadKubeConfig(config.kubeconfig);
  buildInfo.set({ version: packageVersion() }, 1);
  // Factories may enqueue before the runtime exists (e.g. a vault watcher firing early): buffer those.
  const ref: { runtime?: OperatorRuntime } = {};
  const early: [ResourceKind, ObjectKey][] = [];
  const singletons = new Map<string, unknown>();
  const controllerDeps: ControllerDeps = {
    config,
    kubeConfig,
    log,
    shared: <T>(name: string, create: () => T): T => {
      if (!singletons.has(name)) singletons.set(name, create());
      return singletons.get(name) as T;
    },
    enqueue: (kind, key) =>
      ref.runtime === undefined ? early.push([kind, key]) : ref.runtime.enqueue(kind, key),
  };
  const plugins = await Promise.all(
    (deps.factories ?? CONTROLLER_FACTORIES).map(async (f) => f(controllerDeps)),
  );
  if (plugins.length === 0) {
    log.info(
      'No controller is registered: the runtime watches both kinds and serves probes and metrics only',
    );
  }
  const runtime = (ref.runtime = new OperatorRuntime({
    clients: deps.clients ?? kubeClients(kubeConfig),
    log,
    controllers: plugins.map((p) => p.registration),
    watchKinds: [SERVICE_FABRIC_KIND, BATCH_POOL_KIND],
    namespaces: config.namespaces,
    concurrency: config.concurrency,
    reconcileTimeoutMs: config.reconcileTimeoutMs,
    resyncMs: config.resyncPeriodMs,
    rateLimiter: {
      baseDelayMs: config.backoff.baseMs,
      maxDelayMs: config.backoff.maxMs,
      qps: config.backoff.qps,
      burst: config.backoff.burst,
    },
    leaderElection: config.leaderElection,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    leaderReadinessProbe: combineProbes(
      plugins.flatMap((p) => (p.azureProbe === undefined ? [] : [p.azureProbe])),
    ),
  }));
  for (const [kind, key] of early.splice(0)) runtime.enqueue(kind, key);
  trackResourceMetrics(runtime);

  const servers: RunningServer[] = [];
  const m = config.metricsBindAddress;
  const h = config.healthProbeBindAddress;
  const sameAddress =
    m !== undefined && h !== undefined && m.host === h.host && m.port === h.port && m.port !== 0;
  try {
    if (sameAddress) servers.push(await startHttpServer(m, { registry, health: runtime.health }));
    else {
      if (m !== undefined) servers.push(await startHttpServer(m, { registry }));
      if (h !== undefined) servers.push(await startHttpServer(h, { health: runtime.health }));
    }
    if (config.eventGridBindAddress !== undefined) {
      const pollers = plugins.flatMap((p) => (p.pollVaultNow === undefined ? [] : [p.pollVaultNow]));
      const secret = process.env.KVROLLOVER_EVENT_GRID_SECRET;
      const handler = createEventGridHandler({
        pollNow: (vault, certificate) => pollers.some((poll) => poll(vault, certificate)),
        ...(secret === undefined || secret === '' ? {} : { sharedSecret: secret }),
        onRejected: (reason) => log.warn({ reason }, 'Event Grid request rejected'),
      });
      servers.push(await startHandlerServer(config.eventGridBindAddress, handler));
    }
  } catch (err: unknown) {
    await Promise.all(servers.map((s) => s.close()));
    throw new UsageError(`run: cannot listen: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const s of servers)
    log.info({ address: `${s.address.host}:${s.address.port}` }, 'Serving HTTP endpoints');

  const started = runtime.start().catch((err: unknown) => {
    log.error({ err }, 'Runtime failed to start');
  });
  let stopping: Promise<number> | undefined;
  return {
    runtime,
    servers,
    stop: () =>
      (stopping ??= (async () => {
        untrackResourceMetrics(runtime);
        await runtime.shutdown();
        await started;
        for (const p of plugins) await p.stop?.();
        await Promise.all(servers.map((s) => s.close()));
        return 0;
      })()),
  };
}

export const runCommand: Command = async (argv) => {
  const parsed = parseRunConfig(argv);
  if (parsed.help) {
    console.log(runUsage());
    return 0;
  }
  const operator = await startOperator(parsed.config);
  const log = operator.runtime.log;
  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        log.warn({ signal }, 'Second signal: exiting without waiting');
        process.exit(1);
      }
      signalled = true;
      log.info({ signal }, 'Received signal; shutting down');
      const exit = (code: number): void => {
        // Everything is closed; a stray keep-alive socket must not hold the process past this.
        setTimeout(() => process.exit(code), 2000).unref();
        resolve(code);
      };
      operator.stop().then(exit, (err: unknown) => {
        log.error({ err }, 'Shutdown failed');
        exit(1);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
};
