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

/** A tiny model of Azure applying each Batch change (the real emulator is in the sandbox tests). */
interface ModelPool {
  readonly body: Record<string, unknown>;
  readonly running: number;
}

function createdPool(body: {
  identity?: unknown;
  properties?: Record<string, unknown>;
}): Record<string, unknown> {
  const properties = structuredClone(body.properties ?? {});
  const fixed = (
    properties['scaleSettings'] as { fixedScale?: { targetDedicatedNodes?: number } } | undefined
  )?.fixedScale;
  return {
    name: 'pool1',
    identity: body.identity,
    properties: {
      ...properties,
      provisioningState: 'Succeeded',
      allocationState: 'Steady',
      currentDedicatedNodes: fixed?.targetDedicatedNodes ?? 0,
      currentLowPriorityNodes: 0,
    },
  };
}

function nodesOf(pool: ModelPool) {
  const count = (pool.body['properties'] as { currentDedicatedNodes: number }).currentDedicatedNodes;
  return nodesBody(
    Array.from({ length: count }, (_, i) => ({
      id: `tvm-${i}`,
      running: i === 0 ? pool.running : 0,
      extension: 'Succeeded' as const,
    })),
  );
}

describe('driving the Batch planner with a model of Azure', () => {
  it('reaches Steady from drifted or absent pools, and never resizes or deletes a busy pool', () => {
    fc.assert(
      fc.property(
        fc.record({
          start: fc.constantFrom('absent', 'matching', 'versioned', 'noIdentity', 'windowsType'),
          busyRounds: fc.integer({ min: 0, max: 3 }),
          canRead: fc.boolean(),
          withBody: fc.boolean(),
        }),
        ({ start, busyRounds, canRead, withBody }) => {
          const base = batchSpec();
          const spec = batchSpec({
            pool: withBody ? base.pool : { name: base.pool.name },
            policy: { ...base.policy, recreate: 'WhenIdle' },
          });
          const extensions: Record<string, unknown[]> = {
            matching: [kvExtension()],
            versioned: [kvExtension({ observed: [`${SECRET_URL}/0123456789abcdef0123456789abcdef`] })],
            noIdentity: [kvExtension()],
            windowsType: [kvExtension({ type: 'KeyVaultForWindows' })],
          };
          let pool: ModelPool | undefined =
            start === 'absent'
              ? undefined
              : {
                  body: poolBody({
                    extensions: extensions[start],
                    identities: start === 'noIdentity' ? [] : [IDENTITY_ID],
                  }) as unknown as Record<string, unknown>,
                  running: busyRounds > 0 ? 1 : 0,
                };
          let access = canRead;
          let kept: { identity?: unknown; properties?: Record<string, unknown> } | undefined;
          let phase = '';
          for (let round = 0; round < 12; round++) {
            const busy = pool !== undefined && pool.running > 0;
            const plan = planBatchPool(
              spec,
              batchObservation({
                pool: pool?.body,
                nodes: pool === undefined ? undefined : nodesOf(pool),
                canRead: access,
              }),
              NOW,
              kept === undefined ? {} : { recreateBody: kept },
            );
            phase = plan.phase;
            if (phase === 'Steady') break;
            const change = plan.steps.flatMap((s) => s.changes)[0];
            if (busy) expect(change?.op === 'ResizePool' || change?.op === 'DeletePool').toBe(false);
            if (pool !== undefined && round + 1 >= busyRounds) pool = { ...pool, running: 0 };
            if (change === undefined) continue;
            switch (change.op) {
              case 'GrantVaultAccess':
                access = true;
                break;
              case 'CreatePool':
                expect(pool).toBeUndefined();
                pool = { body: createdPool(change.body), running: 0 };
                kept = undefined;
                break;
              case 'ResizePool': {
                kept = change.recreateBody;
                const props = structuredClone(pool!.body['properties']) as Record<string, unknown>;
                props['scaleSettings'] = { fixedScale: { targetDedicatedNodes: 0 } };
                props['currentDedicatedNodes'] = 0;
                pool = { body: { ...pool!.body, properties: props }, running: 0 };
                break;
              }
              case 'DeletePool':
                kept = change.recreateBody;
                pool = undefined;
                break;
              default:
                throw new Error(`unexpected ${change.op}`);
            }
          }
          if (start === 'absent' && !withBody) {
            // Nothing to create the pool from: stalled, and nothing was created.
            expect(phase).toBe('Stalled');
            expect(pool).toBeUndefined();
            return;
          }
          expect(phase).toBe('Steady');
          // The pool created from the planner's own body reads back as matching the spec, with the
          // original scale settings (2 dedicated nodes) preserved across a recreation.
          const props = pool!.body['properties'] as { currentDedicatedNodes: number };
          expect(props.currentDedicatedNodes).toBe(2);
        },
      ),
      { numRuns: 150 },
    );
  });
});
