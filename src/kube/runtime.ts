// The operator runtime (controller-runtime's Manager): one informer cache, one controller per
// registered kind, leader election, the event recorder and the status writer, health checks, and an
// orderly shutdown. Transport is injectable (tests), the default is @kubernetes/client-node.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ControllerRegistration } from '../controllers/reconciler.js';
import { HealthChecks, cachedCheck, type Check, type CheckResult } from '../observability/health.js';
import { setInformerReadinessSource } from '../observability/runtime-metrics.js';
import { InformerCache, kindId, kubeSourceFactory, type SourceFactory } from './cache.js';
import { systemRuntimeClock, type RuntimeClock } from './clock.js';
import { Controller } from './controller.js';
import { EventRecorder, kubeEventClient, type EventClient } from './events.js';
import type { InformerOptions } from './informer.js';
import {
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  LeaderElector,
  kubeLeaseClient,
  type LeaseClient,
} from './leader-election.js';
import { DEFAULT_RATE_LIMITER_OPTIONS, type RateLimiterOptions } from './rate-limiter.js';
import { StatusWriter, kubeStatusClient, type StatusClient } from './status-writer.js';
import type { ObjectKey, ResourceKind } from './types.js';

export interface LeaderElectionConfig {
  readonly enabled: boolean;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export interface RuntimeClients {
  readonly sources: SourceFactory;
  readonly status: StatusClient;
  readonly events: EventClient;
  readonly leases: LeaseClient;
}

export function kubeClients(kc: KubeConfig): RuntimeClients {
  return {
    sources: kubeSourceFactory(kc),
    status: kubeStatusClient(kc),
    events: kubeEventClient(kc),
    leases: kubeLeaseClient(kc),
  };
}

export interface RuntimeOptions {
  readonly clients: RuntimeClients;
  readonly log: Logger;
  readonly controllers: readonly ControllerRegistration[];
  /** Kinds cached (and reported in readiness) even without a controller. */
  readonly watchKinds?: readonly ResourceKind[];
  /** `undefined`/empty = all namespaces. */
  readonly namespaces?: readonly string[];
  readonly concurrency?: number;
  readonly reconcileTimeoutMs?: number;
  readonly resyncMs?: number;
  readonly rateLimiter?: RateLimiterOptions;
  readonly informer?: Omit<InformerOptions, 'clock' | 'log' | 'resyncMs'>;
  readonly leaderElection?: LeaderElectionConfig;
  /** How long shutdown waits for in-flight reconciles before abandoning them. */
  readonly shutdownTimeoutMs?: number;
  /** Readiness of the leader also requires this (e.g. Azure Resource Manager reachable). */
  readonly leaderReadinessProbe?: Check;
  /** `reportingController` of Events. */
  readonly eventController?: string;
  readonly clock?: RuntimeClock;
}

export class OperatorRuntime {
  readonly cache: InformerCache;
  readonly health = new HealthChecks();
  readonly events: EventRecorder;
  private readonly controllers: Controller[] = [];
  private readonly elector: LeaderElector | undefined;
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: RuntimeOptions) {
    const clock = options.clock ?? systemRuntimeClock;
    const log = options.log;
    this.cache = new InformerCache(
      options.clients.sources,
      options.namespaces,
      { ...options.informer, clock, log, resyncMs: options.resyncMs ?? 10 * 60_000 },
      log,
    );
    const identity = options.leaderElection?.identity ?? 'kv-rollover';
    this.events = new EventRecorder(options.clients.events, {
      clock,
      log,
      controller: options.eventController ?? 'kvrollover.io/kv-rollover',
      instance: identity,
    });
    const le = options.leaderElection;
    if (le?.enabled === true) {
      this.elector = new LeaderElector(options.clients.leases, {
        namespace: le.namespace,
        name: le.name,
        identity: le.identity,
        leaseDurationMs: le.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
        renewDeadlineMs: le.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS,
        retryPeriodMs: le.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS,
        clock,
        log,
      });
    }
    for (const kind of options.watchKinds ?? []) this.cache.ensureKind(kind);
    const statusWriter = new StatusWriter(options.clients.status);
    const seen = new Set<string>();
    for (const reg of options.controllers) {
      const id = kindId(reg.kind);
      if (seen.has(id)) throw new Error(`two controllers registered for ${id}`);
      seen.add(id);
      const name = reg.name ?? reg.kind.kind.toLowerCase();
      this.controllers.push(
        new Controller({
          name,
          kind: reg.kind,
          reconciler: reg.reconciler,
          cache: this.cache,
          statusWriter,
          events: this.events,
          clock,
          log: log.child({ controller: name }),
          concurrency: options.concurrency ?? 2,
          reconcileTimeoutMs: options.reconcileTimeoutMs ?? 5 * 60_000,
          rateLimiter: options.rateLimiter ?? DEFAULT_RATE_LIMITER_OPTIONS,
          isLeader: () => this.isLeader(),
        }),
      );
    }
    this.elector?.onLeadershipChange((leading) => {
      for (const c of this.controllers) c.setLeader(leading);
    });
    this.registerChecks();
  }

  get log(): Logger {
    return this.options.log;
  }

  isLeader(): boolean {
    return this.elector === undefined ? true : this.elector.isLeader();
  }

  currentLeader(): string | undefined {
    return this.elector === undefined ? this.options.leaderElection?.identity : this.elector.currentLeader();
  }

  /** Starts informers, leader election and workers; resolves once the caches have synced. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { log } = this.options;
    if (this.controllers.length === 0) {
      log.warn('No controller is registered; watching only (caches, probes and metrics run)');
    }
    this.cache.start();
    this.elector?.start();
    await this.cache.waitForSync();
    if (this.stopping !== undefined) return;
    for (const c of this.controllers) c.start();
    log.info(
      { controllers: this.controllers.map((c) => c.name), leader_election: this.elector !== undefined },
      'Started runtime',
    );
  }

  /** Queues a reconcile of `key` for `kind` (e.g. from the vault watcher); ignored for unknown kinds. */
  enqueue(kind: ResourceKind, key: ObjectKey): void {
    this.controllers.find((c) => c.name === this.controllerName(kind))?.enqueue(key);
  }

  /**
   * Graceful shutdown: stop taking work, let in-flight reconciles finish within the deadline (then
   * abort and abandon them), flush Events, release the Lease, stop the informers. Idempotent.
   */
  shutdown(): Promise<void> {
    this.stopping ??= this.doShutdown();
    return this.stopping;
  }

  private async doShutdown(): Promise<void> {
    const { log } = this.options;
    const deadline = this.options.shutdownTimeoutMs ?? 30_000;
    log.info({ deadline_ms: deadline }, 'Shutting down: no new reconciles');
    const results = await Promise.all(this.controllers.map((c) => c.stop(deadline)));
    const abandoned = results.reduce((n, r) => n + r.abandoned, 0);
    if (abandoned > 0) log.warn({ abandoned }, 'Abandoned in-flight reconciles at the shutdown deadline');
    await this.events.flush();
    this.events.stop();
    await this.elector?.stop();
    await this.cache.stop();
    log.info('Shut down');
  }

  private controllerName(kind: ResourceKind): string | undefined {
    const reg = this.options.controllers.find((r) => kindId(r.kind) === kindId(kind));
    return reg === undefined ? undefined : (reg.name ?? reg.kind.kind.toLowerCase());
  }

  private registerChecks(): void {
    this.health.addHealthzCheck('ping', () => ({ ok: true }));
    this.health.addReadyzCheck('informers', () => this.informersReady());
    const probe = this.options.leaderReadinessProbe;
    if (probe !== undefined) {
      const cached = cachedCheck(probe, 10_000, 5_000);
      this.health.addReadyzCheck('azure', () =>
        this.isLeader() ? cached() : { ok: true, message: 'follower' },
      );
    }
    this.health.addReadyzCheck('shutdown', () =>
      this.stopping === undefined ? { ok: true } : { ok: false, message: 'shutting down' },
    );
    setInformerReadinessSource(() =>
      this.cache
        .statuses()
        .map(({ resource, status }) => ({ resource, ready: status.synced && status.healthy })),
    );
  }

  private informersReady(): CheckResult {
    const failing = this.cache
      .statuses()
      .filter(({ status }) => !(status.synced && status.healthy))
      .map(({ resource, status }) =>
        status.synced
          ? `${resource}: failing (${status.lastError ?? 'unknown error'})`
          : `${resource}: not synced`,
      );
    return failing.length === 0 ? { ok: true } : { ok: false, message: failing.join('; ') };
  }
}
