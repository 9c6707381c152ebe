// End to end: Azure misbehaves during the conversion — scale-set writes are throttled (429 with
// Retry-After) and the cluster write answers 500 more often than the SDK retries — and the real operator
// retries with backoff and converges. (A failed scale-set long-running operation is not covered here: the
// planner waits forever on a scale set left `provisioningState: Failed`; see the SF-E2E report.)
// Attempts are counted at the emulator's front door; the failures must show in status while they last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultHandle } from '../../src/sandbox/azure/faults.js';
import { SfHarness, WRITE, type Json } from './harness.js';

/** More than the SDK's own retries (3 by default), so one failure reaches the controller. */
const CLUSTER_500S = 5;

let harness: SfHarness;
let throttle: FaultHandle;
let serverErrors: FaultHandle;
/** Every distinct status seen while the operator ran. */
const seen: Json[] = [];
let failure: string | undefined;

beforeAll(async () => {
  harness = await SfHarness.start();
  const faults = harness.sandbox.azure.faults;
  throttle = faults.add({
    service: 'arm',
    operation: WRITE.scaleSet,
    times: 2,
    action: { type: 'throttle', retryAfterSeconds: 1 },
  });
  serverErrors = faults.add({
    service: 'arm',
    operation: WRITE.cluster,
    times: CLUSTER_500S,
    action: { type: 'status', status: 500, code: 'InternalServerError', message: 'Injected server error.' },
  });
  failure = await harness.story(async () => {
    await harness.startOperator();
    const record = (): boolean => {
      const summary = harness.statusSummary();
      const last = seen.at(-1);
      if (last === undefined || JSON.stringify(last) !== JSON.stringify(summary)) seen.push(summary);
      return harness.converged();
    };
    await harness.waitFor('convergence despite the faults', record, 105_000);
  });
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('throttling, server errors and a failed long-running operation', () => {
  it('converges, and the cluster stays available', () => {
    expect(failure).toBeUndefined();
    expect(harness.converged()).toBe(true);
    expect(harness.everUnavailable()).toBe(false);
    // One process throughout: nothing crashed it.
    expect(harness.operators).toHaveLength(1);
  });

  it('waits out the 429s and retries the scale-set write', () => {
    expect(throttle.hits()).toBe(2);
    expect(harness.answered(WRITE.scaleSet, 429)).toBe(2);
    // The SDK honours Retry-After itself: one accepted PATCH per scale set, nothing repeated.
    expect(harness.accepted(WRITE.scaleSet)).toBe(2);
    expect(harness.scaleSetWrites()).toEqual({ nt1vm: 1, nt2vm: 1 });
  });

  it('retries the cluster write through the 500s with one accepted write, surfacing the error meanwhile', () => {
    expect(serverErrors.hits()).toBe(CLUSTER_500S);
    expect(harness.answered(WRITE.cluster, 500)).toBe(CLUSTER_500S);
    expect(harness.accepted(WRITE.cluster)).toBe(1);
    expect(harness.clusterUpgrades()).toBe(1);
    expect(
      seen.some(
        (s) => (s.failures?.count ?? 0) >= 1 && /500|server error/i.test(String(s.failures?.lastError)),
      ),
    ).toBe(true);
  });

  it('clears the failures once converged', () => {
    expect(harness.status()?.failures).toBeUndefined();
  });
});
