import { HealthChecks, cachedCheck } from '../observability/health.js';
import { setInformerReadinessSource } from '../observability/runtime-metrics.js';
import { InformerCache, kindId, kubeSourceFactory } from './cache.js';
import { systemRuntimeClock } from './clock.js';
import { Controller } from './controller.js';
import { EventRecorder, kubeEventClient } from './events.js';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_RENEW_DEADLINE_MS, DEFAULT_RETRY_PERIOD_MS, LeaderElector, kubeLeaseClient, } from './leader-election.js';
import { DEFAULT_RATE_LIMITER_OPTIONS } from './rate-limiter.js';
import { StatusWriter, kubeStatusClient } from './status-writer.js';
export function kubeClients(kc) {
    return {
        sources: kubeSourceFactory(kc),
        status: kubeStatusClient(kc),
        events: kubeEventClient(kc),
        leases: kubeLeaseClient(kc),
    };
}
export class OperatorRuntime {
    options;
    cache;
    health = new HealthChecks();
    events;
    controllers = [];
    elector;
    started = false;
    stopping;
    constructor(options) {
        this.options = options;
        const clock = options.clock ?? systemRuntimeClock;
        const log = options.log;
        this.cache = new InformerCache(options.clients.sources, options.namespaces, { ...options.informer, clock, log, resyncMs: options.resyncMs ?? 10 * 60_000 }, log);
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
        for (const kind of options.watchKinds ?? [])
            this.cache.ensureKind(kind);
        const statusWriter = new StatusWriter(options.clients.status);
        const seen = new Set();
        for (const reg of options.controllers) {
            const id = kindId(reg.kind);
            if (seen.has(id))
                throw new Error(`two controllers registered for ${id}`);
            seen.add(id);
            const name = reg.name ?? reg.kind.kind.toLowerCase();
            this.controllers.push(new Controller({
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
            }));
        }
        this.elector?.onLeadershipChange((leading) => {
            for (const c of this.controllers)
                c.setLeader(leading);
        });
        this.registerChecks();
    }
    get log() {
        return this.options.log;
    }
    isLeader() {
        return this.elector === undefined ? true : this.elector.isLeader();
    }
    currentLeader() {
        return this.elector === undefined ? this.options.leaderElection?.identity : this.elector.currentLeader();
    }
    /** Starts informers, leader election and workers; resolves once the caches have synced. */
    async start() {
        if (this.started)
            return;
        this.started = true;
        const { log } = this.options;
        if (this.controllers.length === 0) {
            log.warn('No controller is registered; watching only (caches, probes and metrics run)');
        }
        this.cache.start();
        this.elector?.start();
        await this.cache.waitForSync();
        if (this.stopping !== undefined)
            return;
        for (const c of this.controllers)
            c.start();
        log.info({ controllers: this.controllers.map((c) => c.name), leader_election: this.elector !== undefined }, 'Started runtime');
    }
    /** Queues a reconcile of `key` for `kind` (e.g. from the vault watcher); ignored for unknown kinds. */
    enqueue(kind, key) {
        this.controllers.find((c) => c.name === this.controllerName(kind))?.enqueue(key);
    }
    /**
     * Graceful shutdown: stop taking work, let in-flight reconciles finish within the deadline (then
     * abort and abandon them), flush Events, release the Lease, stop the informers. Idempotent.
     */
    shutdown() {
        this.stopping ??= this.doShutdown();
        return this.stopping;
    }
    async doShutdown() {
        const { log } = this.options;
        const deadline = this.options.shutdownTimeoutMs ?? 30_000;
        log.info({ deadline_ms: deadline }, 'Shutting down: no new reconciles');
        const results = await Promise.all(this.controllers.map((c) => c.stop(deadline)));
        const abandoned = results.reduce((n, r) => n + r.abandoned, 0);
        if (abandoned > 0)
            log.warn({ abandoned }, 'Abandoned in-flight reconciles at the shutdown deadline');
        await this.events.flush();
        this.events.stop();
        await this.elector?.stop();
        await this.cache.stop();
        log.info('Shut down');
    }
    controllerName(kind) {
        const reg = this.options.controllers.find((r) => kindId(r.kind) === kindId(kind));
        return reg === undefined ? undefined : (reg.name ?? reg.kind.kind.toLowerCase());
    }
    registerChecks() {
        this.health.addHealthzCheck('ping', () => ({ ok: true }));
        this.health.addReadyzCheck('informers', () => this.informersReady());
        const probe = this.options.leaderReadinessProbe;
        if (probe !== undefined) {
            const cached = cachedCheck(probe, 10_000, 5_000);
            this.health.addReadyzCheck('azure', () => this.isLeader() ? cached() : { ok: true, message: 'follower' });
        }
        this.health.addReadyzCheck('shutdown', () => this.stopping === undefined ? { ok: true } : { ok: false, message: 'shutting down' });
        setInformerReadinessSource(() => this.cache
            .statuses()
            .map(({ resource, status }) => ({ resource, ready: status.synced && status.healthy })));
    }
    informersReady() {
        const failing = this.cache
            .statuses()
            .filter(({ status }) => !(status.synced && status.healthy))
            .map(({ resource, status }) => status.synced
            ? `${resource}: failing (${status.lastError ?? 'unknown error'})`
            : `${resource}: not synced`);
        return failing.length === 0 ? { ok: true } : { ok: false, message: failing.join('; ') };
    }
}
//# sourceMappingURL=runtime.js.map