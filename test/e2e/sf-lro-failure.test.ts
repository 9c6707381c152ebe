// A scale-set write whose long-running
// operation fails (provisioningState Failed) must be re-sent, the failure shown in status meanwhile, and
// the conversion must converge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfHarness, WRITE, type Json } from './harness.js';

const LRO_FAILURE = { code: 'InternalExecutionError', message: 'An internal execution error occurred.' };
let harness: SfHarness;
const seen: Json[] = [];
let failure: string | undefined;

beforeAll(async () => {
  harness = await SfHarness.start();
  harness.sandbox.azure.faults.add({
    service: 'arm',
    operation: WRITE.scaleSet,
    times: 1,
    action: { type: 'failLro', ...LRO_FAILURE },
  });
  try {
    await harness.startOperator();
    await harness.waitFor(
      'convergence after a failed scale-set operation',
      () => {
        const summary = harness.statusSummary();
        if (JSON.stringify(seen.at(-1)) !== JSON.stringify(summary)) seen.push(summary);
        return harness.converged();
      },
      80_000,
    );
  } catch (err: unknown) {
    failure = err instanceof Error ? err.message.slice(0, 1500) : String(err);
  } finally {
    await Promise.all(harness.operators.map((o) => o.kill()));
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('a failed scale-set long-running operation', () => {
  it('is re-sent once, reported while it lasted, and the conversion converges', () => {
    expect(failure).toBeUndefined();
    // Two scale sets, one PATCH each, plus the one re-sent after the failure.
    expect(harness.accepted(WRITE.scaleSet)).toBe(3);
    expect(seen.some((s) => String(s.failures?.lastError ?? '').includes(LRO_FAILURE.message))).toBe(true);
  });
});
