// Property tests of the Batch planner over arbitrary pools, nodes, vault access and policies: the steps
// keep their order with one current step, a blocking hazard stops every change, a busy (or unobserved)
// pool is never resized or deleted, `recreate: Never` never recreates, and a pool is only created absent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBatchPool } from '../../../src/domain/batch/index.js';
import { BATCH_POOL_STEPS, Severity, Step, StepState } from '../../../src/domain/names.js';
import {
  CLIENT_ID,
  IDENTITY_ID,
  NOW,
  OTHER_ISSUER,
  SECRET_URL,
  batchObservation,
  batchSpec,
  kvExtension,
  nodesBody,
  poolBody,
  version,
} from './fixtures.js';

const extensionArb = fc.constantFrom(
  () => [kvExtension()],
  () => [kvExtension({ observed: [`${SECRET_URL}/0123456789abcdef0123456789abcdef`] })],
  () => [kvExtension({ type: 'KeyVaultForWindows' })],
  () => [kvExtension({ requireInitialSync: false })],
  () => [],
);

const nodeArb = fc.record({
  running: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
  ),
  extension: fc.constantFrom('Succeeded', 'Failed', 'Creating', undefined),
});

const worldArb = fc.record({
  poolPresent: fc.boolean(),
  identityAssigned: fc.boolean(),
  extensions: extensionArb,
  allocationState: fc.constantFrom('Steady', 'Resizing'),
  provisioningState: fc.constantFrom('Succeeded', 'Succeeded', 'Deleting'),
  target: fc.integer({ min: 0, max: 3 }),
  current: fc.integer({ min: 0, max: 3 }),
  nodes: fc.option(fc.array(nodeArb, { maxLength: 3 }), { nil: undefined }),
  canRead: fc.boolean(),
  grant: fc.boolean(),
  recreate: fc.constantFrom('Never' as const, 'WhenIdle' as const),
  suspend: fc.boolean(),
  manual: fc.boolean(),
  approved: fc.boolean(),
  withBody: fc.boolean(),
  kept: fc.boolean(),
  unpinnedLatest: fc.boolean(),
  quarantine: fc.boolean(),
});

type WorldInput = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(w: WorldInput) {
  const base = batchSpec();
  const spec = batchSpec({
    pool: w.withBody ? base.pool : { name: base.pool.name },
    identity: { resourceId: IDENTITY_ID, clientId: CLIENT_ID, grantVaultAccess: w.grant },
    policy: {
      ...base.policy,
      recreate: w.recreate,
      suspend: w.suspend,
      approval: w.manual ? 'Manual' : 'Automatic',
      quarantineUntrustedVersions: w.quarantine,
    },
  });
  const nodes = w.nodes?.map((n, i) => ({ id: `tvm-${i}`, ...n }));
  const observed = batchObservation({
    pool: w.poolPresent
      ? poolBody({
          identities: w.identityAssigned ? [IDENTITY_ID] : [],
          extensions: w.extensions(),
          allocationState: w.allocationState,
          provisioningState: w.provisioningState,
          target: w.target,
          current: nodes?.length ?? w.current,
        })
      : undefined,
    nodes: w.poolPresent && nodes !== undefined ? nodesBody(nodes) : undefined,
    canRead: w.canRead,
    versions: [version('v1', 0), ...(w.unpinnedLatest ? [version('v2', 1, { issuer: OTHER_ISSUER })] : [])],
  });
  const plan = planBatchPool(spec, observed, NOW, {
    ...(w.approved ? { approvedStep: Step.EnsurePool } : {}),
    ...(w.kept ? { recreateBody: { properties: { vmSize: 'KEPT' } } } : {}),
  });
  const busyOrUnknown =
    w.poolPresent && (nodes === undefined ? w.current > 0 : nodes.some((n) => n.running > 0));
  return { plan, busyOrUnknown };
}

describe('planBatchPool properties', () => {
  it('holds its invariants on arbitrary worlds', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { plan, busyOrUnknown } = build(w);
        // Steps: an ordered subsequence of the Batch steps, Steady last, exactly one current or blocked.
        const names = plan.steps.map((s) => s.name);
        const order = names.map((n) => (BATCH_POOL_STEPS as readonly string[]).indexOf(n));
        expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
        expect(names.at(-1)).toBe(Step.Steady);
        const active = plan.steps.filter(
          (s) => s.state === StepState.Current || s.state === StepState.Blocked,
        );
        expect(active).toHaveLength(1);
        const at = plan.steps.indexOf(active[0]!);
        expect(plan.steps.slice(0, at).every((s) => s.state === StepState.Done)).toBe(true);
        expect(plan.steps.slice(at + 1).every((s) => s.state === StepState.Pending)).toBe(true);
        expect(plan.currentStep).toBe(active[0]!.name);

        const changes = plan.steps.flatMap((s) => s.changes);
        // Only the current step carries changes.
        expect(plan.steps.filter((s) => s !== active[0]).every((s) => s.changes.length === 0)).toBe(true);
        // A blocking hazard stops every change.
        if (plan.hazards.some((h) => h.severity === Severity.Blocking)) expect(changes).toEqual([]);
        // A busy pool, or one whose nodes were not observed, is never resized or deleted.
        const recreating = changes.filter((c) => c.op === 'ResizePool' || c.op === 'DeletePool');
        if (busyOrUnknown) expect(recreating).toEqual([]);
        if (w.recreate === 'Never') expect(recreating).toEqual([]);
        // A pool is created only when absent; nothing is ever created over an existing one.
        if (w.poolPresent) expect(changes.filter((c) => c.op === 'CreatePool')).toEqual([]);
        // Suspended: nothing runs.
        if (w.suspend) expect(changes).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
