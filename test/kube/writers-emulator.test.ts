// The status writer and the event recorder through client-node against the emulator: the wire shapes
// the API server accepts (merge-patch Content-Type, resourceVersion precondition, events.k8s.io/v1
// with series), and the 409 path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reason } from '../../src/domain/names.js';
import { FakeClock } from '../../src/kube/clock.js';
import { EventRecorder, kubeEventClient } from '../../src/kube/events.js';
import { StatusWriter, kubeStatusClient } from '../../src/kube/status-writer.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { KubeSandbox } from '../../src/sandbox/kube/index.js';
import {
  SERVICE_FABRIC_KIND,
  SF_RESOURCE,
  createRotation,
  kubeConfigFor,
  silent,
  startEmulator,
} from './emulator-helpers.js';

let kube: KubeSandbox;
beforeAll(async () => {
  kube = await startEmulator();
});
afterAll(async () => {
  await kube.close();
});

const sfType = () => kube.api.resolve('kvrollover.io', 'v1alpha1', 'servicefabriccertificaterotations')!;
const stored = (name: string): KubeObject => kube.api.get(sfType(), 'team-a', name);

describe('status writer against the emulator', () => {
  it('merge-patches only /status, and on a conflict re-reads and recomputes', async () => {
    const read = createRotation(kube, 'conflict');
    // Someone else writes status after our read: our resourceVersion is stale.
    kube.api.patch(sfType(), 'team-a', 'conflict', 'status', 'merge', {
      status: { message: 'other writer' },
    });
    kube.counters.reset();
    const seen: unknown[] = [];
    const writer = new StatusWriter(kubeStatusClient(kubeConfigFor(kube)));
    const res = await writer.write({
      kind: SERVICE_FABRIC_KIND,
      object: read,
      compute: (current) => {
        seen.push(current?.message);
        return { ...current, phase: 'Progressing' };
      },
    });
    expect(res.written).toBe(true);
    expect(seen).toEqual([undefined, 'other writer']);
    expect(stored('conflict').status).toMatchObject({
      phase: 'Progressing',
      message: 'other writer',
      observedGeneration: 1,
    });
    expect(kube.counters.count({ verb: 'patch', resource: `${SF_RESOURCE}/status` })).toBe(2);
    expect(kube.counters.count({ verb: 'get', resource: `${SF_RESOURCE}/status` })).toBe(1);

    // Removing a field is sent as null and takes effect.
    const again = await writer.write({
      kind: SERVICE_FABRIC_KIND,
      object: stored('conflict'),
      compute: () => ({ phase: 'Steady' }),
    });
    expect(again.written).toBe(true);
    expect(stored('conflict').status).toEqual({ phase: 'Steady', observedGeneration: 1 });
  });
});

describe('event recorder against the emulator', () => {
  it('creates events.k8s.io/v1 Events and aggregates repeats into a series the server accepts', async () => {
    const obj = createRotation(kube, 'events');
    const clock = new FakeClock(Date.now());
    const rec = new EventRecorder(kubeEventClient(kubeConfigFor(kube)), {
      clock,
      log: silent,
      controller: 'kvrollover.io/kv-rollover',
      instance: 'test-pod',
    });
    const events = rec.forObject(SERVICE_FABRIC_KIND, obj);
    for (let i = 0; i < 5; i++)
      events.warning(
        Reason.PermissionDenied,
        'GrantVaultAccess',
        'The operator may not write the vault access policy',
      );
    events.normal(Reason.StepExecuted, 'InstallGoalCertificate', 'Patched 2 VirtualMachineScaleSets');
    await clock.advance(30_000);
    await rec.flush();
    const evType = kube.api.resolve('events.k8s.io', 'v1', 'events')!;
    const list = kube.api.list(evType, { namespace: 'team-a' }).items as unknown as Record<string, unknown>[];
    const mine = list.filter((e) => (e.regarding as { name: string }).name === 'events');
    expect(mine).toHaveLength(2);
    const denied = mine.find((e) => e.reason === 'PermissionDenied')!;
    expect(denied).toMatchObject({
      type: 'Warning',
      action: 'GrantVaultAccess',
      reportingController: 'kvrollover.io/kv-rollover',
      reportingInstance: 'test-pod',
      series: { count: 5 },
      regarding: {
        kind: 'ServiceFabricCertificateRotation',
        apiVersion: 'kvrollover.io/v1alpha1',
        uid: obj.metadata.uid,
      },
    });
    expect(kube.counters.count({ verb: 'create', resource: 'events.events.k8s.io' })).toBe(2);
    rec.stop();
  });
});
