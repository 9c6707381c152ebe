// The controller's guards before any Azure work: an invalid spec, a deleted resource, and the Azure
// sync period (a settled resource is not re-read from Azure until something it depends on changes).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  SERVICE_FABRIC_KIND,
  serviceFabricReconciler,
  type ControllerAzure,
} from '../../src/controllers/service-fabric/controller.js';
import type { ObjectStatus, ReconcileContext } from '../../src/controllers/reconciler.js';
import { AzureSyncMemo, syncInputs, untilVaultKnown } from '../../src/controllers/azure-sync.js';
import type { KubeObject } from '../../src/kube/types.js';

function fakeAzure(): ControllerAzure & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    clientsFor: () => {
      calls.push('clientsFor');
      return Promise.reject(new Error('no Azure in this test'));
    },
    vaultSourceFor: () => {
      calls.push('vaultSourceFor');
      throw new Error('no Azure in this test');
    },
    watch: () => calls.push('watch'),
    unwatch: () => calls.push('unwatch'),
  };
}

function context(object: KubeObject) {
  const written: ObjectStatus[] = [];
  const events: { type: string; reason: string; note: string }[] = [];
  const ctx: ReconcileContext = {
    kind: SERVICE_FABRIC_KIND,
    key: `${object.metadata.namespace}/${object.metadata.name}`,
    object,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    isLeader: () => true,
    events: {
      normal: (reason, _action, note) => events.push({ type: 'Normal', reason, note }),
      warning: (reason, _action, note) => events.push({ type: 'Warning', reason, note }),
    },
    status: {
      write: (compute) => {
        written.push(compute(object.status));
        return Promise.resolve({ written: true, object });
      },
    },
    cache: { get: () => undefined, list: () => [object] },
    now: () => Date.parse('2026-11-22T10:00:00Z'),
  };
  return { ctx, written, events };
}

const validSpec = {
  azure: { subscriptionId: '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60', resourceGroup: 'rg' },
  cluster: { name: 'sf', nodeTypes: [{ name: 'nt1', vmssName: 'nt1' }] },
  certificate: {
    vault: 'kv1',
    name: 'cluster-cert',
    commonName: 'cluster.contoso.com',
    issuerThumbprints: ['8A2F4C6E1B3D5F7A9C0E2B4D6F8A1C3E5B7D9F02'],
  },
  identity: {
    resourceId:
      '/subscriptions/5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/rotation-id',
  },
};

function resource(spec: unknown): KubeObject {
  return {
    apiVersion: 'kvrollover.io/v1alpha1',
    kind: 'ServiceFabricCertificateRotation',
    metadata: {
      name: 'r1',
      namespace: 'default',
      uid: 'u1',
      generation: 4,
      creationTimestamp: '2026-11-01T00:00:00Z',
    },
    spec,
  };
}

describe('ServiceFabricCertificateRotation controller guards', () => {
  it('stalls an invalid spec with a message naming the field and touches no Azure API', async () => {
    const azure = fakeAzure();
    const invalid = resource({
      ...validSpec,
      certificate: { ...validSpec.certificate, issuerThumbprints: ['not-a-thumbprint'] },
    });
    const { ctx, written, events } = context(invalid);
    const result = await serviceFabricReconciler({ azure }).reconcile(ctx.key, ctx);
    expect(result).toBeUndefined();
    expect(azure.calls).toEqual([]);
    expect(written).toHaveLength(1);
    const status = written[0] as {
      phase: string;
      conditions: { type: string; status: string; reason: string; message: string }[];
    };
    expect(status.phase).toBe('Stalled');
    const stalled = status.conditions.find((c) => c.type === 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(stalled?.message).toContain('spec.certificate.issuerThumbprints[0]');
    expect(events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'InvalidSpec' })]);
  });

  it('forgets the vault watch of a deleted resource', async () => {
    const azure = fakeAzure();
    const { ctx } = context(resource(validSpec));
    await serviceFabricReconciler({ azure }).reconcile(ctx.key, { ...ctx, object: undefined });
    expect(azure.calls).toEqual(['unwatch']);
  });
});

describe('ServiceFabricCertificateRotation controller: Azure sync period', () => {
  const NOW = Date.parse('2026-11-22T10:00:00Z');
  const settledStatus = {
    observedGeneration: 4,
    phase: 'Steady',
    currentStep: 'Steady',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Converged',
        message: '',
        lastTransitionTime: '2026-11-22T09:00:00Z',
      },
    ],
  };

  function settled(overrides: { generation?: number; status?: Record<string, unknown> } = {}): KubeObject {
    const base = resource(validSpec);
    return {
      ...base,
      metadata: { ...base.metadata, generation: overrides.generation ?? 4 },
      status: overrides.status ?? settledStatus,
    };
  }

  function withVault(state: string): ControllerAzure & { calls: string[] } {
    return { ...fakeAzure(), vaultState: () => state };
  }

  it('skips Azure for a settled resource whose generation, annotations and vault versions are unchanged', async () => {
    const object = settled();
    const sync = new AzureSyncMemo(60 * 60_000);
    sync.recordFullRead('default/r1', syncInputs(object, 'v2|v1:true,v2:true'), true, NOW - 10 * 60_000);
    const azure = withVault('v2|v1:true,v2:true');
    const { ctx, written } = context(object);
    const result = await serviceFabricReconciler({ azure, sync }).reconcile(ctx.key, ctx);
    expect(written).toEqual([]);
    expect(azure.calls).toEqual(['watch']);
    expect(written).toEqual([]);
    // Due again when the period runs out (50 min left), not later.
    expect(result?.requeueAfterMs).toBeLessThanOrEqual(50 * 60_000 + 1000);
  });

  it.each([
    ['the vault has a new version', {}, 'v3|v1:true,v2:true,v3:true', 10],
    ['the period ran out', {}, 'v2|v1:true,v2:true', 61],
    ['the spec changed (generation)', { generation: 5 }, 'v2|v1:true,v2:true', 10],
    [
      'the status is not Steady',
      { status: { ...settledStatus, phase: 'Progressing' } },
      'v2|v1:true,v2:true',
      10,
    ],
  ])('reads Azure when %s', async (_label, overrides, vaultNow, minutesSince) => {
    const recorded = settled();
    const sync = new AzureSyncMemo(60 * 60_000);
    sync.recordFullRead(
      'default/r1',
      syncInputs(recorded, 'v2|v1:true,v2:true'),
      true,
      NOW - minutesSince * 60_000,
    );
    const azure = withVault(vaultNow);
    const { ctx } = context(settled(overrides));
    await serviceFabricReconciler({ azure, sync })
      .reconcile(ctx.key, ctx)
      .catch(() => undefined);
    expect(azure.calls).toContain('clientsFor');
  });

  it('never skips before the vault watcher has polled, nor with the period 0', () => {
    const object = settled();
    expect(syncInputs(object, undefined)).toBeUndefined();
    const off = new AzureSyncMemo(0);
    off.recordFullRead('default/r1', syncInputs(object, 'v'), true, NOW);
    expect(off.canSkip('default/r1', object, syncInputs(object, 'v'), NOW)).toBe(false);
  });

  it('looks again soon after a reconcile made before the vault watcher first polled', () => {
    expect(untilVaultKnown({ requeueAfterMs: 30 * 60_000 }, undefined, 1000, true)).toEqual({
      requeueAfterMs: 1000,
    });
    expect(untilVaultKnown({}, undefined, 1000, true)).toEqual({ requeueAfterMs: 1000 });
    expect(untilVaultKnown({ requeueAfterMs: 30 * 60_000 }, 'known', 1000, true)).toEqual({
      requeueAfterMs: 30 * 60_000,
    });
    // Without a vault watcher nothing will become known: the steady requeue stands.
    expect(untilVaultKnown({ requeueAfterMs: 30 * 60_000 }, undefined, 1000, false)).toEqual({
      requeueAfterMs: 30 * 60_000,
    });
  });
});
