import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../../src/kube/clock.js';
import { EventRecorder, type EventBody, type EventClient } from '../../src/kube/events.js';
import {
  LeaderElector,
  type LeaseClient,
  type LeaseRecord,
  type StoredLease,
} from '../../src/kube/leader-election.js';
import type { KubeObject, ResourceKind } from '../../src/kube/types.js';
import { Reason } from '../../src/domain/names.js';

const log = pino({ level: 'silent' });
const KIND: ResourceKind = {
  group: 'kvrollover.io',
  version: 'v1alpha1',
  kind: 'BatchPoolCertificateRotation',
  plural: 'batchpoolcertificaterotations',
};
const OBJ: KubeObject = { metadata: { name: 'pool-a', namespace: 'ns', uid: 'u-1', resourceVersion: '5' } };

class FakeEvents implements EventClient {
  created: EventBody[] = [];
  patches: { name: string; series: { count: number; lastObservedTime: string } }[] = [];
  create(_ns: string, body: EventBody): Promise<void> {
    this.created.push(body);
    return Promise.resolve();
  }
  patchSeries(_ns: string, name: string, series: { count: number; lastObservedTime: string }): Promise<void> {
    this.patches.push({ name, series });
    return Promise.resolve();
  }
}

describe('EventRecorder', () => {
  it('creates an events.k8s.io/v1 Event regarding the object', async () => {
    const clock = new FakeClock();
    const client = new FakeEvents();
    const rec = new EventRecorder(client, {
      clock,
      log,
      controller: 'kvrollover.io/kv-rollover',
      instance: 'pod-1',
    });
    rec.forObject(KIND, OBJ).warning(Reason.PermissionDenied, 'GrantVaultAccess', 'denied');
    await rec.flush();
    expect(client.created).toHaveLength(1);
    expect(client.created[0]).toMatchObject({
      type: 'Warning',
      reason: 'PermissionDenied',
      action: 'GrantVaultAccess',
      note: 'denied',
      reportingController: 'kvrollover.io/kv-rollover',
      reportingInstance: 'pod-1',
      regarding: {
        apiVersion: 'kvrollover.io/v1alpha1',
        kind: 'BatchPoolCertificateRotation',
        name: 'pool-a',
        namespace: 'ns',
        uid: 'u-1',
      },
    });
    expect(client.created[0]!.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('aggregates repeats into a series written on the heartbeat, not one request per repeat', async () => {
    const clock = new FakeClock();
    const client = new FakeEvents();
    const rec = new EventRecorder(client, {
      clock,
      log,
      controller: 'c',
      instance: 'i',
      heartbeatMs: 30_000,
    });
    const ev = rec.forObject(KIND, OBJ);
    for (let i = 0; i < 10; i++) {
      ev.normal(Reason.WaitingForNodes, 'VerifyNodes', 'waiting for 3 nodes');
      await clock.advance(1000);
    }
    ev.normal(Reason.StepExecuted, 'EnsurePool', 'different reason: its own event');
    await clock.advance(30_000);
    await rec.flush();
    expect(client.created.map((e) => e.reason)).toEqual(['WaitingForNodes', 'StepExecuted']);
    expect(client.patches).toHaveLength(1);
    expect(client.patches[0]!.series.count).toBe(10);
    expect(client.patches[0]!.name).toBe(client.created[0]!.metadata.name);
  });

  it('starts a new Event after the series window', async () => {
    const clock = new FakeClock();
    const client = new FakeEvents();
    const rec = new EventRecorder(client, {
      clock,
      log,
      controller: 'c',
      instance: 'i',
      seriesWindowMs: 60_000,
    });
    const ev = rec.forObject(KIND, OBJ);
    ev.normal(Reason.Converged, 'Reconcile', 'ok');
    await clock.advance(61_000);
    ev.normal(Reason.Converged, 'Reconcile', 'ok');
    await rec.flush();
    expect(client.created).toHaveLength(2);
    expect(client.created[0]!.metadata.name).not.toBe(client.created[1]!.metadata.name);
  });
});

/** An in-memory Lease store with optimistic concurrency, shared by several electors. */
class FakeLeases implements LeaseClient {
  lease: StoredLease | undefined;
  private rv = 0;
  failing = false;
  get(): Promise<StoredLease | undefined> {
    if (this.failing) return Promise.reject(new Error('apiserver down'));
    return Promise.resolve(this.lease === undefined ? undefined : structuredClone(this.lease));
  }
  create(_ns: string, _n: string, record: LeaseRecord): Promise<StoredLease> {
    if (this.lease !== undefined)
      return Promise.reject(Object.assign(new Error('exists'), { code: 409, body: 'AlreadyExists' }));
    this.lease = { record, resourceVersion: String(++this.rv) };
    return Promise.resolve(structuredClone(this.lease));
  }
  update(_ns: string, _n: string, record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    if (this.failing) return Promise.reject(new Error('apiserver down'));
    if (this.lease?.resourceVersion !== resourceVersion)
      return Promise.reject(Object.assign(new Error('conflict'), { code: 409 }));
    this.lease = { record, resourceVersion: String(++this.rv) };
    return Promise.resolve(structuredClone(this.lease));
  }
}

function elector(leases: LeaseClient, clock: FakeClock, identity: string): LeaderElector {
  return new LeaderElector(leases, {
    namespace: 'kv-rollover-system',
    name: 'kv-rollover-leader',
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    log,
    random: () => 0,
  });
}

describe('LeaderElector', () => {
  it('elects exactly one leader; the follower takes over only after the lease expires on its own clock', async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = elector(leases, clock, 'a');
    const b = elector(leases, clock, 'b');
    a.start();
    await settle();
    b.start();
    await settle();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(leases.lease?.record).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    await clock.advance(20_000); // a keeps renewing
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    // a crashes: it stops renewing without releasing.
    await a.stop({ release: false });
    await clock.advance(14_000);
    expect(b.isLeader()).toBe(false); // not yet: 15s since b last saw the record change
    await clock.advance(4_000);
    expect(b.isLeader()).toBe(true);
    expect(leases.lease?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop();
  });

  it('releases the Lease on stop so a follower takes over at its next retry', async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = elector(leases, clock, 'a');
    const b = elector(leases, clock, 'b');
    const changes: boolean[] = [];
    a.onLeadershipChange((l) => changes.push(l));
    a.start();
    await settle();
    b.start();
    await settle();
    await a.stop();
    expect(changes).toEqual([true, false]);
    expect(leases.lease?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await clock.advance(2_000);
    expect(b.isLeader()).toBe(true);
    await b.stop();
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    const clock = new FakeClock();
    const leases = new FakeLeases();
    const a = elector(leases, clock, 'a');
    a.start();
    await settle();
    expect(a.isLeader()).toBe(true);
    leases.failing = true;
    await clock.advance(8_000);
    expect(a.isLeader()).toBe(true);
    await clock.advance(2_000);
    expect(a.isLeader()).toBe(false); // 10s without a renewal, before the 15s lease could be taken
    await a.stop();
  });

  it('rejects inconsistent durations', () => {
    expect(
      () =>
        new LeaderElector(new FakeLeases(), {
          namespace: 'n',
          name: 'l',
          identity: 'a',
          leaseDurationMs: 10_000,
          renewDeadlineMs: 10_000,
          retryPeriodMs: 2_000,
          clock: new FakeClock(),
          log,
        }),
    ).toThrow(RangeError);
  });
});
