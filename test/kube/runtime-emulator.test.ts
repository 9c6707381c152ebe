// The whole runtime against the sandbox Kubernetes emulator: status written once per reconcile and
// not at all when unchanged (counted at the server), and two replicas with one leader, a takeover
// when the leader shuts down (Lease released) and when it stops renewing (Lease expires).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerRegistration, ReconcileContext } from '../../src/controllers/reconciler.js';
import { ConditionType, Reason } from '../../src/domain/names.js';
import { systemRuntimeClock } from '../../src/kube/clock.js';
import { setConditions, type Condition } from '../../src/kube/conditions.js';
import { LeaderElector, kubeLeaseClient } from '../../src/kube/leader-election.js';
import { OperatorRuntime, kubeClients } from '../../src/kube/runtime.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { KubeSandbox } from '../../src/sandbox/kube/index.js';
import { registry } from '../../src/observability/metrics.js';
import {
  SERVICE_FABRIC_KIND,
  SF_RESOURCE,
  createRotation,
  kubeConfigFor,
  silent,
  startEmulator,
  waitFor,
} from './emulator-helpers.js';

let kube: KubeSandbox;
beforeAll(async () => {
  kube = await startEmulator();
});
afterAll(async () => {
  await kube.close();
});

const sfType = () => kube.api.resolve('kvrollover.io', 'v1alpha1', 'servicefabriccertificaterotations')!;
const stored = (ns: string, name: string): KubeObject => kube.api.get(sfType(), ns, name);
const statusPatches = (): number => kube.counters.count({ verb: 'patch', resource: `${SF_RESOURCE}/status` });

/** A reconciler whose status depends only on the spec: steady state means "no write". */
function steadyController(calls: Map<string, number>): ControllerRegistration {
  return {
    kind: SERVICE_FABRIC_KIND,
    reconciler: {
      async reconcile(key: string, ctx: ReconcileContext) {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        if (ctx.object === undefined) return;
        const spec = ctx.object.spec as { keyVaultExtension?: { pollingIntervalInS?: number } };
        await ctx.status.write((current) => ({
          ...current,
          phase: 'Steady',
          message: `polling every ${spec.keyVaultExtension?.pollingIntervalInS ?? 0}s`,
          conditions: setConditions(
            current?.conditions as Condition[] | undefined,
            [{ type: ConditionType.Ready, status: 'True', reason: Reason.Converged, message: 'Converged' }],
            { nowMs: ctx.now(), observedGeneration: ctx.object?.metadata.generation },
          ),
        }));
      },
    },
  };
}

function runtime(
  identity: string,
  controllers: ControllerRegistration[],
  leaderElection: boolean,
): OperatorRuntime {
  return new OperatorRuntime({
    clients: kubeClients(kubeConfigFor(kube)),
    log: silent,
    controllers,
    namespaces: ['team-a'],
    concurrency: 2,
    informer: { backoffBaseMs: 20, backoffMaxMs: 200, minWatchMs: 0 },
    leaderElection: {
      enabled: leaderElection,
      namespace: 'default',
      name: 'kv-rollover-test',
      identity,
      leaseDurationMs: 2_000,
      renewDeadlineMs: 1_500,
      retryPeriodMs: 200,
    },
    shutdownTimeoutMs: 2_000,
  });
}

describe('runtime against the Kubernetes emulator', () => {
  it('writes status once per reconcile, never when unchanged, and keeps lastTransitionTime across spec changes', async () => {
    const calls = new Map<string, number>();
    const rt = runtime('solo', [steadyController(calls)], false);
    kube.counters.reset();
    createRotation(kube, 'status-a');
    await rt.start();
    await waitFor('status written', () => stored('team-a', 'status-a').status?.observedGeneration === 1);
    expect(statusPatches()).toBe(1);
    const first = stored('team-a', 'status-a').status!;
    expect(first).toMatchObject({ phase: 'Steady', message: 'polling every 3600s', observedGeneration: 1 });

    // More reconciles (our own status write's watch event, explicit enqueues): nothing to write.
    for (let i = 0; i < 3; i++) {
      const before = calls.get('team-a/status-a') ?? 0;
      rt.enqueue(SERVICE_FABRIC_KIND, 'team-a/status-a');
      await waitFor('another reconcile', () => (calls.get('team-a/status-a') ?? 0) > before);
    }
    expect(statusPatches()).toBe(1);

    // A spec change: one more write, with the new generation; Ready did not flip.
    kube.api.patch(sfType(), 'team-a', 'status-a', undefined, 'merge', {
      spec: { keyVaultExtension: { pollingIntervalInS: 600 } },
    });
    await waitFor(
      'status for generation 2',
      () => stored('team-a', 'status-a').status?.observedGeneration === 2,
    );
    const second = stored('team-a', 'status-a').status!;
    expect(second.message).toBe('polling every 600s');
    expect(statusPatches()).toBe(2);
    const ready = (s: typeof first) => (s.conditions as Condition[]).find((c) => c.type === 'Ready')!;
    expect(ready(second).lastTransitionTime).toBe(ready(first).lastTransitionTime);
    expect(ready(second).observedGeneration).toBe(2);
    expect(stored('team-a', 'status-a').spec).toMatchObject({
      keyVaultExtension: { pollingIntervalInS: 600 },
    });
    await rt.shutdown();
  });

  it('runs one leader among two replicas; the follower is ready and takes over when the leader shuts down', async () => {
    createRotation(kube, 'ha-1');
    createRotation(kube, 'ha-2');
    const callsA = new Map<string, number>();
    const callsB = new Map<string, number>();
    const a = runtime('replica-a', [steadyController(callsA)], true);
    await a.start();
    await waitFor('replica-a to lead', () => a.isLeader());
    const b = runtime('replica-b', [steadyController(callsB)], true);
    await b.start();
    await waitFor(
      'replica-a to reconcile both',
      () => callsA.has('team-a/ha-1') && callsA.has('team-a/ha-2'),
    );
    await waitFor('replica-b to observe the leader', () => b.currentLeader() === 'replica-a');
    expect(b.isLeader()).toBe(false);
    expect((await b.health.readyz()).ok).toBe(true); // follower: caches warm, ready
    expect(callsB.size).toBe(0);

    await a.shutdown(); // releases the Lease
    const lease = await kubeLeaseClient(kubeConfigFor(kube)).get('default', 'kv-rollover-test');
    expect(lease?.record.holderIdentity === '' || lease?.record.holderIdentity === 'replica-b').toBe(true);
    await waitFor('replica-b to lead', () => b.isLeader());
    await waitFor(
      'replica-b to reconcile everything',
      () => callsB.has('team-a/ha-1') && callsB.has('team-a/ha-2'),
    );
    const after = await kubeLeaseClient(kubeConfigFor(kube)).get('default', 'kv-rollover-test');
    expect(after?.record).toMatchObject({ holderIdentity: 'replica-b' });
    expect(after?.record.leaseTransitions).toBeGreaterThanOrEqual(1);
    await b.shutdown();
  });

  it('hands the Lease to a follower when the leader stops renewing (crash), only after the lease duration', async () => {
    const leases = kubeLeaseClient(kubeConfigFor(kube));
    const options = {
      namespace: 'default',
      name: 'kv-rollover-crash',
      leaseDurationMs: 2_000,
      renewDeadlineMs: 1_500,
      retryPeriodMs: 100,
      clock: systemRuntimeClock,
      log: silent,
    };
    const a = new LeaderElector(leases, { ...options, identity: 'crashy' });
    const b = new LeaderElector(leases, { ...options, identity: 'patient' });
    a.start();
    await waitFor('crashy to lead', () => a.isLeader());
    b.start();
    await waitFor('patient to observe the leader', () => b.currentLeader() === 'crashy');
    await a.stop({ release: false }); // stops renewing, Lease left in place
    // Well inside the 2 s lease the follower must still wait (it measures the lease on its own clock).
    await new Promise((r) => setTimeout(r, 300));
    expect(b.isLeader()).toBe(false);
    expect((await leases.get('default', 'kv-rollover-crash'))?.record.holderIdentity).toBe('crashy');
    await waitFor('patient to take over', () => b.isLeader());
    expect((await leases.get('default', 'kv-rollover-crash'))?.record).toMatchObject({
      holderIdentity: 'patient',
      leaseTransitions: 1,
    });
    await b.stop();
  });

  it('retries a throttled status write (429 with Retry-After) through the queue until it lands', async () => {
    const calls = new Map<string, number>();
    const rt = runtime('throttled', [steadyController(calls)], false);
    const throttle = kube.faults.inject({
      verb: 'patch',
      resource: `${SF_RESOURCE}/status`,
      name: 'throttled-a',
      times: 2,
      action: { status: 429, retryAfterSeconds: 0 },
    });
    createRotation(kube, 'throttled-a');
    await rt.start();
    await waitFor(
      'status written after the throttling',
      () => stored('team-a', 'throttled-a').status?.phase === 'Steady',
    );
    expect(throttle.hits).toBe(2);
    expect(calls.get('team-a/throttled-a')).toBeGreaterThanOrEqual(3);
    const errors = await registry.getSingleMetric('kvrollover_reconcile_errors_total')!.get();
    expect(
      errors.values.find(
        (v) =>
          v.labels.controller === 'servicefabriccertificaterotation' &&
          v.labels.reason === 'KubernetesApiError',
      )?.value,
    ).toBeGreaterThanOrEqual(2);
    await rt.shutdown();
  });
});
