// Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm
// (tools/leaderelection/leaderelection.go, resourcelock/leaselock.go):
// - a candidate reads the Lease; it may take it when it is absent, released (no holder), or when the
//   record has not changed for `leaseDurationSeconds` as measured on the candidate's OWN clock since
//   it last saw the record change (no trust in other replicas' clocks);
// - every write is an optimistic update carrying the resourceVersion read, so two candidates cannot
//   both win (the loser gets 409);
// - the leader renews every `retryPeriod`; if it cannot renew within `renewDeadline` (< leaseDuration)
//   it steps down BEFORE anyone else may take over;
// - on shutdown the leader releases the Lease (holder cleared, duration 1s) so a follower takes over
//   at its next retry instead of waiting out the lease (controller-runtime's
//   LeaderElectionReleaseOnCancel).
// Defaults are controller-runtime's: 15s / 10s / 2s (pkg/manager/internal.go).
import { CoordinationV1Api } from '@kubernetes/client-node';
import { leaderStatus } from '../observability/metrics.js';
import { sleep } from './clock.js';
import { isConflict, isNotFound } from './errors.js';
import { microTime } from './events.js';
import { describeError } from './informer.js';
function timeString(v) {
    if (v instanceof Date)
        return microTime(v.getTime());
    return typeof v === 'string' ? v : undefined;
}
function fromLease(lease) {
    const spec = lease.spec ?? {};
    return {
        resourceVersion: lease.metadata?.resourceVersion ?? '',
        record: {
            holderIdentity: spec.holderIdentity ?? undefined,
            leaseDurationSeconds: spec.leaseDurationSeconds ?? undefined,
            acquireTime: timeString(spec.acquireTime),
            renewTime: timeString(spec.renewTime),
            leaseTransitions: spec.leaseTransitions ?? undefined,
        },
    };
}
function toLease(namespace, name, record, resourceVersion) {
    // MicroTime fields travel as strings; client-node's serializer passes them through unchanged.
    return {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
        spec: { ...record },
    };
}
export function kubeLeaseClient(kc) {
    const api = kc.makeApiClient(CoordinationV1Api);
    return {
        async get(namespace, name) {
            try {
                return fromLease(await api.readNamespacedLease({ namespace, name }));
            }
            catch (err) {
                if (isNotFound(err))
                    return undefined;
                throw err;
            }
        },
        async create(namespace, name, record) {
            return fromLease(await api.createNamespacedLease({ namespace, body: toLease(namespace, name, record) }));
        },
        async update(namespace, name, record, resourceVersion) {
            return fromLease(await api.replaceNamespacedLease({
                namespace,
                name,
                body: toLease(namespace, name, record, resourceVersion),
            }));
        },
    };
}
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
export class LeaderElector {
    client;
    options;
    leading = false;
    observed;
    observedTime = 0;
    lastRenew = 0;
    stopController = new AbortController();
    loop;
    listeners = [];
    random;
    lastSeenLeader;
    constructor(client, options) {
        this.client = client;
        this.options = options;
        if (!(options.leaseDurationMs > options.renewDeadlineMs && options.renewDeadlineMs > options.retryPeriodMs)) {
            throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
        }
        this.random = options.random ?? Math.random;
    }
    isLeader() {
        return this.leading;
    }
    /** The identity of the current holder as last observed (maybe us). */
    currentLeader() {
        return this.observed?.record.holderIdentity || undefined;
    }
    onLeadershipChange(listener) {
        this.listeners.push(listener);
    }
    start() {
        if (this.loop !== undefined)
            return;
        this.stopController = new AbortController();
        leaderStatus.set(0);
        this.loop = this.run(this.stopController.signal);
    }
    /**
     * Stops campaigning; a leader releases the Lease (unless `releaseOnStop` is false, or `release: false`
     * is passed — which behaves like a crashed leader) and steps down.
     */
    async stop(options = {}) {
        this.stopController.abort(new Error('leader election stopped'));
        await this.loop;
        this.loop = undefined;
        const release = options.release ?? this.options.releaseOnStop !== false;
        if (this.leading && release)
            await this.release();
        this.setLeading(false);
    }
    async run(signal) {
        const { clock, retryPeriodMs } = this.options;
        while (!signal.aborted) {
            if (!this.leading) {
                if (await this.tryAcquireOrRenew()) {
                    this.lastRenew = clock.now();
                    this.setLeading(true);
                    continue;
                }
                await this.pause(retryPeriodMs * (1 + 0.2 * this.random()), signal);
                continue;
            }
            await this.pause(retryPeriodMs, signal);
            if (signal.aborted)
                break;
            if (await this.tryAcquireOrRenew()) {
                this.lastRenew = clock.now();
            }
            else if (clock.now() - this.lastRenew >= this.options.renewDeadlineMs) {
                this.options.log.error({ lease: this.leaseName(), renew_deadline_ms: this.options.renewDeadlineMs }, 'Failed to renew the leader Lease before the deadline; stepping down');
                this.setLeading(false);
            }
        }
    }
    async pause(ms, signal) {
        try {
            await sleep(this.options.clock, ms, signal);
        }
        catch {
            // stopped
        }
    }
    leaseName() {
        return `${this.options.namespace}/${this.options.name}`;
    }
    setLeading(leading) {
        if (this.leading === leading)
            return;
        this.leading = leading;
        leaderStatus.set(leading ? 1 : 0);
        this.options.log.info({ lease: this.leaseName(), identity: this.options.identity }, leading ? 'Became leader' : 'Stopped leading');
        for (const l of this.listeners)
            l(leading);
    }
    async tryAcquireOrRenew() {
        const { client, options } = this;
        const { namespace, name, identity, clock } = options;
        const now = clock.now();
        const durationSeconds = Math.max(1, Math.round(options.leaseDurationMs / 1000));
        try {
            const current = await client.get(namespace, name);
            if (current === undefined) {
                const record = {
                    holderIdentity: identity,
                    leaseDurationSeconds: durationSeconds,
                    acquireTime: microTime(now),
                    renewTime: microTime(now),
                    leaseTransitions: 0,
                };
                this.observe(await client.create(namespace, name, record), now);
                return true;
            }
            this.observe(current, now);
            const old = current.record;
            const holder = old.holderIdentity ?? '';
            const held = holder !== '' && holder !== identity;
            if (held && this.observedTime + (old.leaseDurationSeconds ?? durationSeconds) * 1000 > now)
                return false;
            const record = {
                holderIdentity: identity,
                leaseDurationSeconds: durationSeconds,
                acquireTime: holder === identity ? (old.acquireTime ?? microTime(now)) : microTime(now),
                renewTime: microTime(now),
                leaseTransitions: holder === identity ? (old.leaseTransitions ?? 0) : (old.leaseTransitions ?? 0) + 1,
            };
            this.observe(await client.update(namespace, name, record, current.resourceVersion), now);
            return true;
        }
        catch (err) {
            // 409: another candidate wrote first (or the Lease was created meanwhile); retry next period.
            if (!isConflict(err)) {
                this.options.log.warn({ lease: this.leaseName(), err: describeError(err) }, 'Could not read or write the leader Lease');
            }
            return false;
        }
    }
    observe(lease, now) {
        const changed = this.observed === undefined || JSON.stringify(this.observed.record) !== JSON.stringify(lease.record);
        if (changed)
            this.observedTime = now;
        this.observed = lease;
        const holder = lease.record.holderIdentity || undefined;
        if (holder !== this.lastSeenLeader) {
            this.lastSeenLeader = holder;
            if (holder !== undefined && holder !== this.options.identity) {
                this.options.log.info({ lease: this.leaseName(), leader: holder }, 'Observed a new leader');
            }
        }
    }
    async release() {
        const { client, options } = this;
        if (this.observed === undefined)
            return;
        const now = options.clock.now();
        const record = {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: this.observed.record.leaseTransitions ?? 0,
        };
        try {
            this.observed = await client.update(options.namespace, options.name, record, this.observed.resourceVersion);
            options.log.info({ lease: this.leaseName() }, 'Released the leader Lease');
        }
        catch (err) {
            options.log.warn({ lease: this.leaseName(), err: describeError(err) }, 'Could not release the leader Lease');
        }
    }
}
//# sourceMappingURL=leader-election.js.map