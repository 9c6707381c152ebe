import { describe, expect, it } from 'vitest';
import { conflictingClaim, invalidSpecPlan } from '../../src/controllers/claims.js';
import { rotationStatus, type PlanSummary } from '../../src/controllers/rotation-status.js';
import type { KubeObject } from '../../src/kube/types.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');

function plan(over: Partial<PlanSummary> = {}): PlanSummary {
  return {
    phase: 'Progressing',
    mode: 'CommonName',
    currentStep: 'InstallGoalCertificate',
    steps: [
      { name: 'GrantVaultAccess', state: 'done', reason: 'Done' },
      {
        name: 'InstallGoalCertificate',
        state: 'current',
        reason: 'WaitingForScaleSetUpgrade',
        message: '2/6 instances',
      },
      { name: 'Steady', state: 'pending', reason: 'Pending' },
    ],
    hazards: [],
    ...over,
  };
}

function condition(status: ReturnType<typeof rotationStatus>, type: string) {
  return status.conditions?.find((c) => c.type === type);
}

describe('rotationStatus (kstatus-compatible conditions)', () => {
  it('a running step is Reconciling=True, Ready=False, Stalled=False (kstatus: InProgress)', () => {
    const s = rotationStatus({ plan: plan(), previous: undefined, generation: 3, nowMs: T0 });
    expect(s.observedGeneration).toBe(3);
    expect(condition(s, 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'WaitingForScaleSetUpgrade',
      observedGeneration: 3,
    });
    expect(condition(s, 'Ready')).toMatchObject({ status: 'False' });
    expect(condition(s, 'Stalled')).toMatchObject({ status: 'False' });
    expect(s.currentStep).toBe('InstallGoalCertificate');
    expect(s.currentStepIndex).toBe(1);
    expect(s.stepStartedAt).toBe('2026-11-22T10:00:00Z');
  });

  it('a blocking hazard is Stalled=True with the hazard as reason (kstatus: Failed)', () => {
    const blocked = plan({
      phase: 'Blocked',
      hazards: [{ reason: 'IssuerNotPinned', severity: 'blocking', message: 'issuer X is not pinned' }],
    });
    const s = rotationStatus({ plan: blocked, previous: undefined, generation: 1, nowMs: T0 });
    expect(condition(s, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'IssuerNotPinned',
      message: 'issuer X is not pinned',
    });
    expect(condition(s, 'Ready')).toMatchObject({ status: 'False', reason: 'IssuerNotPinned' });
    expect(condition(s, 'Reconciling')?.status).toBe('False');
    expect(condition(s, 'HazardsClear')).toMatchObject({ status: 'False', reason: 'IssuerNotPinned' });
  });

  it('converged is Ready=True and nothing else abnormal (kstatus: Current)', () => {
    const steady = plan({
      phase: 'Steady',
      currentStep: 'Steady',
      steps: [{ name: 'Steady', state: 'current', reason: 'Converged' }],
    });
    const s = rotationStatus({
      plan: steady,
      previous: undefined,
      generation: 1,
      nowMs: T0,
      nodes: { converged: 6, total: 6 },
    });
    expect(condition(s, 'Ready')).toMatchObject({ status: 'True', reason: 'Converged' });
    expect(condition(s, 'Reconciling')?.status).toBe('False');
    expect(condition(s, 'Stalled')?.status).toBe('False');
    expect(condition(s, 'NodesConverged')).toMatchObject({ status: 'True' });
  });

  it('keeps lastTransitionTime and stepStartedAt until their subject changes', () => {
    const first = rotationStatus({ plan: plan(), previous: undefined, generation: 1, nowMs: T0 });
    const later = rotationStatus({ plan: plan(), previous: first, generation: 1, nowMs: T0 + 60_000 });
    expect(later.stepStartedAt).toBe(first.stepStartedAt);
    expect(condition(later, 'Reconciling')?.lastTransitionTime).toBe(
      condition(first, 'Reconciling')?.lastTransitionTime,
    );
    const next = rotationStatus({
      plan: plan({ currentStep: 'Steady', phase: 'Steady' }),
      previous: later,
      generation: 1,
      nowMs: T0 + 120_000,
    });
    expect(next.stepStartedAt).toBe('2026-11-22T10:02:00Z');
    expect(condition(next, 'Ready')?.lastTransitionTime).toBe('2026-11-22T10:02:00Z');
  });

  it('counts failures across reconciles and forgets them on success', () => {
    const failure = { reason: 'AzureThrottled', message: 'ARM answered 429' };
    const one = rotationStatus({ plan: plan(), previous: undefined, generation: 1, nowMs: T0, failure });
    const two = rotationStatus({ plan: plan(), previous: one, generation: 1, nowMs: T0 + 1000, failure });
    expect(two.failures).toMatchObject({ count: 2, lastError: 'ARM answered 429' });
    expect(condition(two, 'Reconciling')).toMatchObject({ status: 'True', reason: 'AzureThrottled' });
    expect(
      rotationStatus({ plan: plan(), previous: two, generation: 1, nowMs: T0 + 2000 }).failures,
    ).toBeUndefined();
  });
});

describe('invalidSpecPlan', () => {
  it('blocks the first step with InvalidSpec and proposes nothing', () => {
    const p = invalidSpecPlan('CommonName', [
      { field: 'spec.certificate.issuerThumbprints', type: 'FieldValueRequired', message: 'Required value' },
    ]);
    expect(p.phase).toBe('Stalled');
    expect(p.steps[0]).toMatchObject({ name: 'GrantVaultAccess', state: 'blocked', reason: 'InvalidSpec' });
    expect(p.steps.slice(1).every((s) => s.state === 'pending')).toBe(true);
    expect(p.hazards[0]?.message).toContain('spec.certificate.issuerThumbprints');
    const s = rotationStatus({ plan: p, previous: undefined, generation: 2, nowMs: T0 });
    expect(condition(s, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
  });
});

describe('conflictingClaim', () => {
  const obj = (name: string, created: string, cluster: string): KubeObject => ({
    metadata: { name, namespace: 'ns', uid: name, creationTimestamp: created },
    spec: { cluster },
  });
  const target = (o: KubeObject) => ['sub', (o.spec as { cluster: string }).cluster];

  it('lets the oldest claim act and names it to the others', () => {
    const a = obj('a', '2026-01-01T00:00:00Z', 'c1');
    const b = obj('b', '2026-02-01T00:00:00Z', 'C1');
    const c = obj('c', '2026-01-15T00:00:00Z', 'c2');
    expect(conflictingClaim(a, [a, b, c], target)).toBeUndefined();
    expect(conflictingClaim(b, [a, b, c], target)).toBe('ns/a');
    expect(conflictingClaim(c, [a, b, c], target)).toBeUndefined();
  });
});
