// End to end: two operator replicas with leader election and distinct identities. The leader is crashed
// (SIGKILL, no Lease release) the instant Azure accepts the conversion's first scale-set write; the other
// replica takes the Lease over once it expires and finishes the conversion. Only the leader ever sends a
// change, and no write is repeated across the hand-over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorProcess } from '../../src/demo/operator-process.js';
import { SfHarness, WRITE, type SentChange } from './harness.js';

/** Short leases so the hand-over fits the test's bound (controller-runtime's defaults are 15s/10s/2s). */
const LEASE_ARGS = [
  '--leader-elect-lease-duration=4s',
  '--leader-elect-renew-deadline=3s',
  '--leader-elect-retry-period=1s',
];

let harness: SfHarness;
const replicas = new Map<string, OperatorProcess>();
let firstLeader: string | undefined;
let killedAt = 0;
let holderAfter: string | undefined;
let sent: SentChange[] = [];
let failure: string | undefined;

beforeAll(async () => {
  harness = await SfHarness.start();
  const counters = harness.sandbox.azure.counters;
  const record = counters.record.bind(counters);
  let armed = true;
  counters.record = (service, operation, status) => {
    record(service, operation, status);
    if (!armed || service !== 'arm' || operation !== WRITE.scaleSet || status < 200 || status >= 300) return;
    armed = false;
    firstLeader = harness.leaseHolder();
    killedAt = Date.now();
    replicas.get(firstLeader ?? '')?.child.kill('SIGKILL');
  };
  try {
    for (const identity of ['replica-a', 'replica-b']) {
      replicas.set(
        identity,
        await harness.startOperator({ identity, leaderElection: true, extraArgs: LEASE_ARGS }),
      );
    }
    await harness.waitFor('convergence after the hand-over', () => harness.converged(), 100_000);
    holderAfter = harness.leaseHolder();
    sent = await harness.sentChanges();
  } catch (err: unknown) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    counters.record = record;
    await Promise.all(harness.operators.map((o) => o.kill()));
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('the leader crashes mid-conversion', () => {
  it('the other replica takes over and converges, the cluster always available', () => {
    expect(failure).toBeUndefined();
    expect(firstLeader).toMatch(/^replica-[ab]$/);
    expect(replicas.get(firstLeader ?? '')?.exited).toBe(true);
    expect(holderAfter).toBeDefined();
    expect(holderAfter).not.toBe(firstLeader);
    expect(harness.converged()).toBe(true);
    expect(harness.everUnavailable()).toBe(false);
  });

  it('only the leader of the moment sends changes', () => {
    const before = sent.filter((c) => c.time <= killedAt);
    const after = sent.filter((c) => c.time > killedAt);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(before.map((c) => c.replica))).toEqual(new Set([firstLeader]));
    expect(new Set(after.map((c) => c.replica))).toEqual(new Set([holderAfter]));
  });

  it('repeats no write across the hand-over', () => {
    expect(harness.accepted(WRITE.accessPolicy) + harness.accepted(WRITE.roleAssignment)).toBe(1);
    expect(harness.accepted(WRITE.scaleSet)).toBe(2);
    expect(harness.scaleSetWrites()).toEqual({ nt1vm: 1, nt2vm: 1 });
    expect(harness.accepted(WRITE.cluster)).toBe(1);
    expect(harness.clusterUpgrades()).toBe(1);
  });
});
