import { describe, expect, it } from 'vitest';
import { Hazard, Phase, Reason, Step, StepState } from '../../src/domain/names.js';
import {
  insideWindow,
  nextStartingStateUpgrade,
  planServiceFabric,
  renderPlanText,
} from '../../src/domain/plan/index.js';
import { NOW, cluster, daysFromNow, observation, spec, version, type Spec } from './fixtures.js';

describe('nextStartingStateUpgrade (azure.md §1.5)', () => {
  const G = 'G'.padEnd(40, '0').replace('G', 'A');
  const O1 = 'B'.padEnd(40, '1');
  const O2 = 'C'.padEnd(40, '2');
  // Which certificate the runtime presents first, by name.
  const newer = (order: string[]) => (a: string, b: string) => order.indexOf(a) < order.indexOf(b);
  const unknown = () => undefined;

  it.each([
    { state: 'TP: G', cur: { thumbprint: G }, cmp: unknown, expected: { kind: 'valid' } },
    {
      state: 'TP: G, Sec: O1, G newer',
      cur: { thumbprint: G, thumbprintSecondary: O1 },
      cmp: newer([G, O1]),
      expected: { kind: 'valid' },
    },
    {
      state: 'TP: O1, Sec: G, G newer',
      cur: { thumbprint: O1, thumbprintSecondary: G },
      cmp: newer([G, O1]),
      expected: { kind: 'valid' },
    },
    {
      state: 'TP: O1, G newer',
      cur: { thumbprint: O1 },
      cmp: newer([G, O1]),
      expected: { kind: 'upgrade', target: { thumbprint: O1, thumbprintSecondary: G } },
    },
    {
      state: 'TP: O1, O1 newer',
      cur: { thumbprint: O1 },
      cmp: newer([O1, G]),
      expected: { kind: 'upgrade', target: { thumbprint: G, thumbprintSecondary: O1 } },
    },
    {
      state: 'TP: O1, dates unknown',
      cur: { thumbprint: O1 },
      cmp: unknown,
      expected: { kind: 'upgrade', target: { thumbprint: G, thumbprintSecondary: O1 } },
    },
    {
      state: 'TP: O1, Sec: G, O1 newer',
      cur: { thumbprint: O1, thumbprintSecondary: G },
      cmp: newer([O1, G]),
      expected: { kind: 'upgrade', target: { thumbprint: G } },
    },
    {
      state: 'TP: G, Sec: O1, O1 newer',
      cur: { thumbprint: G, thumbprintSecondary: O1 },
      cmp: newer([O1, G]),
      expected: { kind: 'upgrade', target: { thumbprint: G } },
    },
    {
      state: 'TP: G, Sec: O1, unknown',
      cur: { thumbprint: G, thumbprintSecondary: O1 },
      cmp: unknown,
      expected: { kind: 'upgrade', target: { thumbprint: G } },
    },
    {
      state: 'TP: O1, Sec: O2, O2 newer',
      cur: { thumbprint: O1, thumbprintSecondary: O2 },
      cmp: newer([O2, O1, G]),
      expected: { kind: 'upgrade', target: { thumbprint: O2 } },
    },
    {
      state: 'TP: O1, Sec: O2, O1 newer',
      cur: { thumbprint: O1, thumbprintSecondary: O2 },
      cmp: newer([O1, O2, G]),
      expected: { kind: 'upgrade', target: { thumbprint: O1 } },
    },
    {
      state: 'TP: O1, Sec: O1 (duplicate)',
      cur: { thumbprint: O1, thumbprintSecondary: O1 },
      cmp: unknown,
      expected: { kind: 'upgrade', target: { thumbprint: O1 } },
    },
    {
      state: 'TP: G, Sec: G (duplicate)',
      cur: { thumbprint: G, thumbprintSecondary: G.toLowerCase() },
      cmp: unknown,
      expected: { kind: 'upgrade', target: { thumbprint: G } },
    },
  ])('$state', ({ cur, cmp, expected }) => {
    expect(nextStartingStateUpgrade(cur, G, cmp)).toMatchObject(expected);
  });
});

describe('insideWindow', () => {
  // 2026-06-01T12:00Z is a Monday.
  it.each([
    { w: { days: ['Mon'], start: '12:00', duration: '1m' }, inside: true },
    { w: { days: ['Mon'], start: '11:59', duration: '1m' }, inside: false },
    { w: { days: ['Mon'], start: '12:01', duration: '1h' }, inside: false },
    { w: { days: ['Tue'], start: '00:00', duration: '1d' }, inside: false },
    { w: { days: ['Sat'], start: '00:00', duration: '3d' }, inside: true },
    { w: { days: ['Sun'], start: '23:00', duration: '14h' }, inside: true },
    { w: { days: ['Sun'], start: '23:00', duration: '13h' }, inside: false },
    { w: { days: ['Mon'], start: '14:00', duration: '1h', timezone: 'Europe/Paris' }, inside: true },
    { w: { days: ['Mon'], start: '14:00', duration: '1h', timezone: 'Not/AZone' }, inside: false },
  ])('$w → $inside', ({ w, inside }) => {
    expect(insideWindow(w, NOW)).toBe(inside);
  });
});

describe('EnsureVaultCertificate', () => {
  const declared = (): Spec =>
    spec(
      {},
      {
        policy: {
          issuerName: 'DigiCert',
          enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
          keyType: 'RSA',
          reuseKey: false,
          exportable: true,
          contentType: 'application/x-pkcs12',
          validityInMonths: 12,
          lifetimeAction: { action: 'AutoRenew', lifetimePercentage: 80 },
        },
      },
    );
  const old = version('old', 0);

  it('is the first step and creates the certificate in an empty vault', () => {
    const o = observation({ versions: [], cluster: cluster(old.thumbprint) });
    const plan = planServiceFabric(declared(), o, NOW);
    expect(plan.steps[0]?.name).toBe(Step.EnsureVaultCertificate);
    expect(plan.currentStep).toBe(Step.EnsureVaultCertificate);
    expect(plan.steps[0]?.changes).toEqual([
      {
        op: 'CreateVaultCertificate',
        vault: 'kv1',
        certificateName: 'cluster-cert',
        policy: expect.objectContaining({
          issuerName: 'DigiCert',
          subject: 'CN=cluster.contoso.com',
          subjectAlternativeNames: { dnsNames: ['cluster.contoso.com'] },
        }),
      },
    ]);
  });

  it('waits for a pending operation, then corrects policy drift', () => {
    const base = observation({ versions: [version('v', 1)], cluster: cluster(old.thumbprint) });
    const pending = { ...base, vault: { ...base.vault, versions: [], pendingOperation: true } };
    expect(planServiceFabric(declared(), pending, NOW).steps[0]).toMatchObject({
      state: StepState.Current,
      reason: Reason.WaitingForVaultOperation,
    });
    const drifted = {
      ...base,
      vault: {
        ...base.vault,
        policy: {
          issuerName: 'Self',
          subject: 'CN=cluster.contoso.com',
          dnsNames: ['cluster.contoso.com'],
          validityInMonths: 24,
          autoRenew: true,
          lifetimePercentage: 80,
          daysBeforeExpiry: undefined,
          contentType: 'application/x-pkcs12',
          keyType: 'RSA',
          keySize: 2048,
          reuseKey: false,
          exportable: true,
          ekus: [],
        },
      },
    };
    const plan = planServiceFabric(declared(), drifted, NOW);
    expect(plan.steps[0]?.changes).toEqual([
      expect.objectContaining({
        op: 'UpdateVaultCertificatePolicy',
        drift: ['issuerName', 'validityInMonths'],
      }),
    ]);
    // Without drift the step is done and the conversion proceeds.
    const fine = {
      ...drifted,
      vault: {
        ...drifted.vault,
        policy: { ...drifted.vault.policy, issuerName: 'DigiCert', validityInMonths: 12 },
      },
    };
    const next = planServiceFabric(declared(), fine, NOW);
    expect(next.steps[0]?.state).toBe(StepState.Done);
    expect(next.hazards.map((h) => h.reason)).not.toContain(Hazard.NoAutoRenewPolicy);
  });
});

describe('renderPlanText', () => {
  it('shows phase, every step with its state and changes, and the hazards', () => {
    const o = observation({
      versions: [
        version('old', 0, { notBefore: daysFromNow(-300) }),
        version('goal', 1, { dnsNames: ['x.contoso.com'] }),
      ],
      cluster: cluster(version('old', 0).thumbprint),
      installed: [version('old', 0)],
    });
    const text = renderPlanText(planServiceFabric(spec(), o, NOW));
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `ServiceFabricCertificateRotation sf1 (mode CommonName): phase ${Phase.Progressing}, step InstallGoalCertificate`,
    );
    expect(text).toContain('[x] GrantVaultAccess');
    expect(text).toContain('[>] InstallGoalCertificate');
    expect(text).toContain(
      '-> vmss/nt0vm: add secret https://kv1.vault.azure.net/secrets/cluster-cert/goal (store My)',
    );
    expect(text).toContain('[ ] Steady');
    expect(text).toContain(`warning  ${Hazard.CommonNameNotInSan}:`);
  });
});
