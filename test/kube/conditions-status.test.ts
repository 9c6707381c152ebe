import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionType, Reason } from '../../src/domain/names.js';
import { metaTime, setCondition, setConditions } from '../../src/kube/conditions.js';
import { applyMergePatch, deepEqual, mergePatchDiff } from '../../src/kube/json-diff.js';
import { StatusWriter, type StatusClient } from '../../src/kube/status-writer.js';
import type { KubeObject, ResourceKind } from '../../src/kube/types.js';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0, 500);
const T1 = T0 + 60_000;

describe('setCondition', () => {
  it('stamps lastTransitionTime on creation, in whole seconds', () => {
    const [c] = setCondition(
      undefined,
      { type: ConditionType.Ready, status: 'False', reason: Reason.StepInProgress, message: 'm' },
      { nowMs: T0, observedGeneration: 3 },
    );
    expect(c).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'StepInProgress',
      message: 'm',
      observedGeneration: 3,
      lastTransitionTime: '2026-01-01T10:00:00Z',
    });
  });

  it('keeps lastTransitionTime when only reason or message change, moves it on a status flip', () => {
    const a = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: Reason.StepInProgress, message: 'x' },
      { nowMs: T0 },
    );
    const b = setCondition(
      a,
      { type: 'Ready', status: 'False', reason: Reason.WaitingForNodes, message: 'y' },
      { nowMs: T1, observedGeneration: 4 },
    );
    expect(b[0]).toMatchObject({
      reason: 'WaitingForNodes',
      message: 'y',
      observedGeneration: 4,
      lastTransitionTime: metaTime(T0),
    });
    const c = setCondition(
      b,
      { type: 'Ready', status: 'True', reason: Reason.Converged, message: 'ok' },
      { nowMs: T1 },
    );
    expect(c[0]!.lastTransitionTime).toBe(metaTime(T1));
    expect(a).toHaveLength(1); // inputs are not mutated
    expect(a[0]!.reason).toBe('StepInProgress');
  });

  it('keeps the order of existing conditions and appends new types', () => {
    const list = setConditions(
      undefined,
      [
        { type: 'Ready', status: 'False', reason: 'A', message: '' },
        { type: 'Reconciling', status: 'True', reason: 'B', message: '' },
      ],
      { nowMs: T0 },
    );
    const next = setConditions(
      list,
      [
        { type: 'Stalled', status: 'False', reason: 'C', message: '' },
        { type: 'Ready', status: 'True', reason: 'D', message: '' },
      ],
      { nowMs: T1 },
    );
    expect(next.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled']);
  });

  it('property: lastTransitionTime changes iff the status flips', () => {
    const status = fc.constantFrom('True' as const, 'False' as const, 'Unknown' as const);
    fc.assert(
      fc.property(status, status, fc.string(), (s1, s2, reason) => {
        const a = setCondition(
          undefined,
          { type: 'Ready', status: s1, reason: 'R', message: '' },
          { nowMs: T0 },
        );
        const b = setCondition(
          a,
          { type: 'Ready', status: s2, reason: reason || 'R', message: '' },
          { nowMs: T1 },
        );
        return (b[0]!.lastTransitionTime !== a[0]!.lastTransitionTime) === (s1 !== s2);
      }),
    );
  });
});

describe('merge patch diff', () => {
  it('sends only changes, nulls for removed fields, arrays whole', () => {
    const from = {
      phase: 'Progressing',
      step: { name: 'A', index: 1 },
      gone: 'x',
      conditions: [{ type: 'Ready' }],
    };
    const to = {
      phase: 'Progressing',
      step: { name: 'B', index: 1 },
      conditions: [{ type: 'Ready' }, { type: 'Stalled' }],
    };
    expect(mergePatchDiff(from, to)).toEqual({
      step: { name: 'B' },
      gone: null,
      conditions: [{ type: 'Ready' }, { type: 'Stalled' }],
    });
    expect(mergePatchDiff(from, structuredClone(from))).toBeUndefined();
  });

  it('property: applying the diff to the old value yields the new one', () => {
    const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null);
    const obj = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), json, { maxKeys: 5 });
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const strip = (v: unknown): unknown =>
          JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x)));
        const from = strip(a);
        const to = strip(b);
        const patch = mergePatchDiff(from, to);
        const result = patch === undefined ? from : applyMergePatch(from, patch);
        return deepEqual(result, to);
      }),
      { numRuns: 300 },
    );
  });
});

const KIND: ResourceKind = {
  group: 'kvrollover.io',
  version: 'v1alpha1',
  kind: 'ServiceFabricCertificateRotation',
  plural: 'servicefabriccertificaterotations',
};

class FakeStatusClient implements StatusClient {
  stored: KubeObject;
  patches: unknown[] = [];
  gets = 0;
  conflictsLeft = 0;
  constructor(obj: KubeObject) {
    this.stored = structuredClone(obj);
  }
  getStatus(): Promise<KubeObject> {
    this.gets++;
    return Promise.resolve(structuredClone(this.stored));
  }
  patchStatus(_k: ResourceKind, _ns: string, _n: string, patch: unknown): Promise<KubeObject> {
    this.patches.push(patch);
    const p = patch as { metadata: { resourceVersion: string }; status: unknown };
    if (this.conflictsLeft > 0 || p.metadata.resourceVersion !== this.stored.metadata.resourceVersion) {
      this.conflictsLeft = Math.max(0, this.conflictsLeft - 1);
      return Promise.reject(
        Object.assign(new Error('Conflict'), { code: 409, body: '{"reason":"Conflict"}' }),
      );
    }
    this.stored.status = applyMergePatch(this.stored.status ?? {}, p.status) as Record<string, unknown>;
    this.stored.metadata.resourceVersion = String(Number(this.stored.metadata.resourceVersion) + 1);
    return Promise.resolve(structuredClone(this.stored));
  }
}

function object(status?: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'a', namespace: 'ns', resourceVersion: '10', generation: 2 },
    spec: { x: 1 },
    ...(status ? { status } : {}),
  };
}

describe('StatusWriter', () => {
  it('writes once with observedGeneration and never touches spec', async () => {
    const client = new FakeStatusClient(object());
    const res = await new StatusWriter(client).write({
      kind: KIND,
      object: object(),
      compute: () => ({ phase: 'Progressing' }),
    });
    expect(res.written).toBe(true);
    expect(client.patches).toEqual([
      { metadata: { resourceVersion: '10' }, status: { phase: 'Progressing', observedGeneration: 2 } },
    ]);
    expect(client.stored.spec).toEqual({ x: 1 });
  });

  it('sends nothing when the computed status equals the stored one', async () => {
    const stored = object({
      phase: 'Steady',
      observedGeneration: 2,
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    const client = new FakeStatusClient(stored);
    const res = await new StatusWriter(client).write({
      kind: KIND,
      object: stored,
      compute: (cur) => ({ ...cur, conditions: [{ type: 'Ready', status: 'True' }] }),
    });
    expect(res.written).toBe(false);
    expect(client.patches).toHaveLength(0);
  });

  it('on 409 re-reads and recomputes from the fresh status', async () => {
    const client = new FakeStatusClient(object({ counter: 5 }));
    client.stored.metadata.resourceVersion = '11'; // someone wrote after our read
    client.stored.status = { counter: 6 };
    const seen: unknown[] = [];
    const res = await new StatusWriter(client).write({
      kind: KIND,
      object: object({ counter: 5 }),
      compute: (cur) => {
        seen.push(cur?.counter);
        return { counter: (cur?.counter as number) + 1 };
      },
    });
    expect(res.written).toBe(true);
    expect(seen).toEqual([5, 6]);
    expect(client.gets).toBe(1);
    expect(client.stored.status).toEqual({ counter: 7, observedGeneration: 2 });
  });

  it('gives up with a TransientError after repeated conflicts', async () => {
    const client = new FakeStatusClient(object());
    client.conflictsLeft = 100;
    await expect(
      new StatusWriter(client, 2).write({ kind: KIND, object: object(), compute: () => ({ phase: 'X' }) }),
    ).rejects.toMatchObject({ name: 'TransientError' });
    expect(client.patches).toHaveLength(3);
  });
});
