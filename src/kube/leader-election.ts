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
import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { leaderStatus } from '../observability/metrics.js';
import { sleep, type RuntimeClock } from './clock.js';
import { isConflict, isNotFound } from './errors.js';
import { microTime } from './events.js';
import { describeError } from './informer.js';

export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface StoredLease {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
}

export interface LeaseClient {
  get(namespace: string, name: string): Promise<StoredLease | undefined>;
  create(namespace: string, name: string, record: LeaseRecord): Promise<StoredLease>;
  update(namespace: string, name: string, record: LeaseRecord, resourceVersion: string): Promise<StoredLease>;
}

function timeString(v: unknown): string | undefined {
  if (v instanceof Date) return microTime(v.getTime());
  return typeof v === 'string' ? v : undefined;
}

function fromLease(lease: V1Lease): StoredLease {
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

function toLease(namespace: string, name: string, record: LeaseRecord, resourceVersion?: string): V1Lease {
  // MicroTime fields travel as strings; client-node's serializer passes them through unchanged.
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    spec: { ...record } as V1Lease['spec'],
  };
}

export function kubeLeaseClient(kc: KubeConfig): LeaseClient {
  const api = kc.makeApiClient(CoordinationV1Api);
  return {
    async get(namespace, name) {
      try {
        return fromLease(await api.readNamespacedLease({ namespace, name }));
      } catch (err: unknown) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(namespace, name, record) {
      return fromLease(
        await api.createNamespacedLease({ namespace, body: toLease(namespace, name, record) }),
      );
    },
    async update(namespace, name, record, resourceVersion) {
      return fromLease(
        await api.replaceNamespacedLease({
          namespace,
          name,
          body: toLease(namespace, name, record, resourceVersion),
        }),
      );
    },
  };
}

export interface LeaderElectionOptions {
  readonly namespace: string;
  readonly name: string;
  /** Unique per replica (pod name plus a random suffix). */
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly clock: RuntimeClock;
  readonly log: Logger;
  readonly releaseOnStop?: boolean;
  readonly random?: () => number;
}

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

export type LeadershipListener = (leading: boolean) => void;

export class LeaderElector {
  private leading = false;
  private observed: StoredLease | undefined;
  private observedTime = 0;
  private lastRenew = 0;
  private stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly listeners: LeadershipListener[] = [];
  private readonly random: () => number;
  private lastSeenLeader: string | undefined;

  constructor(
    private readonly client: LeaseClient,
    private readonly options: LeaderElectionOptions,
  ) {
    if (!(
      options.leaseDurationMs > options.renewDeadlineMs && options.renewDeadlineMs > options.retryPeriodMs
    )) {
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
    this.random = options.random ?? Math.random;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The identity of the current holder as last observed (maybe us). */
  currentLeader(): string | undefined {
    return this.observed?.record.holderIdentity || undefined;
  }

  onLeadershipChange(listener: LeadershipListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopController = new AbortController();
    leaderStatus.set(0);
    this.loop = this.run(this.stopController.signal);
  }

  /**
   * Stops campaigning; a leader releases the Lease (unless `releaseOnStop` is false, or `release: false`
   * is passed — which behaves like a crashed leader) and steps down.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.stopController.abort(new Error('leader election stopped'));
    await this.loop;
    this.loop = undefined;
    const release = options.release ?? this.options.releaseOnStop !== false;
    if (this.leading && release) await this.release();
    this.setLeading(false);
  }

  private async run(signal: AbortSignal): Promise<void> {
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
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        this.lastRenew = clock.now();
      } else if (clock.now() - this.lastRenew >= this.options.renewDeadlineMs) {
        this.options.log.error(
          { lease: this.leaseName(), renew_deadline_ms: this.options.renewDeadlineMs },
          'Failed to renew the leader Lease before the deadline; stepping down',
        );
        this.setLeading(false);
      }
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(this.options.clock, ms, signal);
    } catch {
      // stopped
    }
  }

  private leaseName(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  private setLeading(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    leaderStatus.set(leading ? 1 : 0);
    this.options.log.info(
      { lease: this.leaseName(), identity: this.options.identity },
      leading ? 'Became leader' : 'Stopped leading',
    );
    for (const l of this.listeners) l(leading);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, options } = this;
    const { namespace, name, identity, clock } = options;
    const now = clock.now();
    const durationSeconds = Math.max(1, Math.round(options.leaseDurationMs / 1000));
    try {
      const current = await client.get(namespace, name);
      if (current === undefined) {
        const record: LeaseRecord = {
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
      const record: LeaseRecord = {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: holder === identity ? (old.acquireTime ?? microTime(now)) : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: holder === identity ? (old.leaseTransitions ?? 0) : (old.leaseTransitions ?? 0) + 1,
      };
      this.observe(await client.update(namespace, name, record, current.resourceVersion), now);
      return true;
    } catch (err: unknown) {
      // 409: another candidate wrote first (or the Lease was created meanwhile); retry next period.
      if (!isConflict(err)) {
        this.options.log.warn(
          { lease: this.leaseName(), err: describeError(err) },
          'Could not read or write the leader Lease',
        );
      }
      return false;
    }
  }

  private observe(lease: StoredLease, now: number): void {
    const changed =
      this.observed === undefined || JSON.stringify(this.observed.record) !== JSON.stringify(lease.record);
    if (changed) this.observedTime = now;
    this.observed = lease;
    const holder = lease.record.holderIdentity || undefined;
    if (holder !== this.lastSeenLeader) {
      this.lastSeenLeader = holder;
      if (holder !== undefined && holder !== this.options.identity) {
        this.options.log.info({ lease: this.leaseName(), leader: holder }, 'Observed a new leader');
      }
    }
  }

  private async release(): Promise<void> {
    const { client, options } = this;
    if (this.observed === undefined) return;
    const now = options.clock.now();
    const record: LeaseRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: this.observed.record.leaseTransitions ?? 0,
    };
    try {
      this.observed = await client.update(
        options.namespace,
        options.name,
        record,
        this.observed.resourceVersion,
      );
      options.log.info({ lease: this.leaseName() }, 'Released the leader Lease');
    } catch (err: unknown) {
      options.log.warn(
        { lease: this.leaseName(), err: describeError(err) },
        'Could not release the leader Lease',
      );
    }
  }
}
