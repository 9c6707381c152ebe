import { describe, expect, it } from 'vitest';
import { Phase, Reason, Step, StepState } from '../../src/domain/names.js';
import { planServiceFabric, renderPlanText, type Change, type Plan } from '../../src/domain/plan/index.js';
import { NOW, cluster, daysFromNow, observation, settle, spec, version, withCluster } from './fixtures.js';
import { drive, violations } from './invariants.js';

const v1 = version('v1', 0, { notBefore: daysFromNow(-300), created: daysFromNow(-300) });
const v2 = version('v2', 1, { notBefore: daysFromNow(-2), created: daysFromNow(-2) });
const tpSpec = spec({ mode: 'Thumbprint' });

function active(plan: Plan) {
  return plan.steps.find((s) => s.state === StepState.Current || s.state === StepState.Blocked)!;
}

function short(c: Change): string {
  switch (c.op) {
    case 'PatchCluster':
      return `Patch ${c.certificate.thumbprint.slice(0, 4)}/${c.certificate.thumbprintSecondary?.slice(0, 4) ?? '-'}`;
    case 'AddScaleSetSecret':
      return `Add ${c.vmss} ${c.certificateUrl.split('/').at(-1)}`;
    case 'RemoveScaleSetSecret':
      return `Remove ${c.vmss} ${c.certificateUrls.map((u) => u.split('/').at(-1)).join(',')}`;
    case 'SetServiceFabricExtensionCertificate':
      return `Ext ${c.vmss} ${c.certificate.thumbprint.slice(0, 4)}/${c.certificateSecondary?.thumbprint.slice(0, 4) ?? '-'}`;
    default:
      return c.op;
  }
}

const n = (v: typeof v1) => v.thumbprint!.slice(0, 4);

describe('Thumbprint mode: one rollover per new vault version', () => {
  it('installs, adds secondary, swaps, removes the old thumbprint, then the old secret', () => {
    const start = observation({ versions: [v1, v2], cluster: cluster(v1.thumbprint), installed: [v1] });
    const result = drive(tpSpec, start, NOW);
    expect(result.violations).toEqual([]);
    // Each cluster step first changes the cluster, then (once it is Ready) the Service Fabric extension of
    // every node type, so nodes created or reimaged later look for the thumbprints the cluster declares.
    expect(result.plans.map((p) => p.currentStep)).toEqual([
      Step.InstallNewVersion,
      Step.AddSecondaryThumbprint,
      Step.AddSecondaryThumbprint,
      Step.SwapThumbprints,
      Step.SwapThumbprints,
      Step.RemoveOldThumbprint,
      Step.RemoveOldThumbprint,
      Step.RemoveOldSecret,
      Step.Steady,
    ]);
    expect(result.executed.map(short)).toEqual([
      'Add nt0vm v2',
      'Add nt1vm v2',
      `Patch ${n(v1)}/${n(v2)}`,
      `Ext nt0vm ${n(v1)}/${n(v2)}`,
      `Ext nt1vm ${n(v1)}/${n(v2)}`,
      `Patch ${n(v2)}/${n(v1)}`,
      `Ext nt0vm ${n(v2)}/${n(v1)}`,
      `Ext nt1vm ${n(v2)}/${n(v1)}`,
      `Patch ${n(v2)}/-`,
      `Ext nt0vm ${n(v2)}/-`,
      `Ext nt1vm ${n(v2)}/-`,
      'Remove nt0vm v1',
      'Remove nt1vm v1',
    ]);
    for (const ss of result.final.scaleSets) {
      expect(ss.serviceFabricExtension).toMatchObject({
        certificateThumbprint: v2.thumbprint,
        certificateSecondaryThumbprint: undefined,
        x509StoreName: 'My',
      });
    }
    const last = result.plans.at(-1)!;
    expect(last.phase).toBe(Phase.Steady);
    expect(last.steps.map((s) => s.name)).toEqual([
      Step.InstallNewVersion,
      Step.AddSecondaryThumbprint,
      Step.SwapThumbprints,
      Step.RemoveOldThumbprint,
      Step.RemoveOldSecret,
      Step.Steady,
    ]);
    expect(result.final.cluster.certificate).toEqual({
      thumbprint: v2.thumbprint,
      thumbprintSecondary: undefined,
      x509StoreName: 'My',
    });
    expect(result.final.cluster.certificateCommonNames).toBeUndefined();
  });

  it('rolls again for the next version', () => {
    const v3 = version('v3', 2, { notBefore: daysFromNow(-1), created: daysFromNow(-1) });
    const once = drive(
      tpSpec,
      observation({ versions: [v1, v2], cluster: cluster(v1.thumbprint), installed: [v1] }),
      NOW,
    ).final;
    const renewed = { ...once, vault: { ...once.vault, versions: [v1, v2, v3] } };
    const result = drive(tpSpec, renewed, NOW);
    expect(result.violations).toEqual([]);
    expect(result.final.cluster.certificate?.thumbprint).toBe(v3.thumbprint);
    expect(result.final.scaleSets.map((s) => s.secrets.map((x) => x.version))).toEqual([['v3'], ['v3']]);
  });

  it('is Steady when the cluster already uses the latest version', () => {
    const plan = planServiceFabric(
      tpSpec,
      observation({ versions: [v1, v2], cluster: cluster(v2.thumbprint), installed: [v2] }),
      NOW,
    );
    expect(plan.phase).toBe(Phase.Steady);
    expect(plan.steps.every((s) => s.state === StepState.Done || s.name === Step.Steady)).toBe(true);
  });

  it.each([
    { name: 'old secondary next to the old primary', p: 'v1', s: 'v0', first: 'Patch' },
    { name: 'the same thumbprint twice', p: 'v1', s: 'v1', first: 'Patch' },
    { name: 'new version already primary with the old as secondary', p: 'v2', s: 'v1', first: 'Patch' },
  ])('resumes from $name without an invalid transition', ({ p, s }) => {
    const v0 = version('v0', 0, { notBefore: daysFromNow(-400), created: daysFromNow(-400) });
    const all = { v0, v1, v2 };
    const pick = (k: string) => all[k as keyof typeof all];
    const start = observation({
      versions: [v0, v1, v2],
      cluster: cluster(pick(p).thumbprint, pick(s).thumbprint),
      installed: [pick(p), pick(s)],
    });
    const result = drive(tpSpec, start, NOW);
    expect(result.violations).toEqual([]);
    expect(result.final.cluster.certificate).toMatchObject({
      thumbprint: v2.thumbprint,
      thumbprintSecondary: undefined,
    });
  });

  it('waits for clusterState Ready between upgrades', () => {
    const o = withCluster(
      observation({
        versions: [v1, v2],
        cluster: cluster(v1.thumbprint, v2.thumbprint),
        installed: [v1, v2],
      }),
      {
        clusterState: 'UpdatingUserCertificate',
      },
    );
    const plan = planServiceFabric(tpSpec, o, NOW);
    expect(active(plan)).toMatchObject({
      name: Step.AddSecondaryThumbprint,
      reason: Reason.WaitingForClusterReady,
      changes: [],
    });
    expect(violations(tpSpec, o, plan)).toEqual([]);
  });

  it('never removes a secret the cluster still declares', () => {
    // Rolled back by hand: v1 primary again after the v2 secret was added everywhere.
    const o = observation({
      versions: [v1, v2],
      cluster: cluster(v2.thumbprint, v1.thumbprint),
      installed: [v1, v2],
    });
    const plan = planServiceFabric(tpSpec, o, NOW);
    // The extension still names only v2: it is brought to the cluster's pair before v1 is removed.
    expect(active(plan).name).toBe(Step.SwapThumbprints);
    expect(plan.steps.flatMap((s) => s.changes).some((c) => c.op === 'RemoveScaleSetSecret')).toBe(false);
    const result = drive(tpSpec, o, NOW);
    expect(result.violations).toEqual([]);
    const removed = result.executed.findIndex((c) => c.op === 'RemoveScaleSetSecret');
    const lastPatch = result.executed.findLastIndex((c) => c.op === 'PatchCluster');
    const lastExtension = result.executed.findLastIndex(
      (c) => c.op === 'SetServiceFabricExtensionCertificate',
    );
    expect(removed).toBeGreaterThan(lastPatch);
    expect(removed).toBeGreaterThan(lastExtension);
  });

  it('never removes a secret the Service Fabric extension still declares', () => {
    // The cluster already dropped v1, but nt0vm's extension still names it (e.g. edited by hand, or a
    // write that failed): the extension is fixed first, and only then is v1's secret removed.
    const base = observation({ versions: [v1, v2], cluster: cluster(v2.thumbprint), installed: [v1, v2] });
    const o = {
      ...base,
      scaleSets: base.scaleSets.map((ss) =>
        ss.name === 'nt0vm'
          ? {
              ...ss,
              serviceFabricExtension: {
                ...ss.serviceFabricExtension!,
                certificateThumbprint: v1.thumbprint,
              },
            }
          : ss,
      ),
    };
    const plan = planServiceFabric(tpSpec, o, NOW);
    expect(active(plan).name).toBe(Step.RemoveOldThumbprint);
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([
      {
        op: 'SetServiceFabricExtensionCertificate',
        vmss: 'nt0vm',
        extensionName: 'ServiceFabricNodeVmExt_nt0vm',
        certificate: { thumbprint: v2.thumbprint, x509StoreName: 'My' },
        certificateSecondary: null,
      },
    ]);
    expect(renderPlanText(plan)).toContain(
      `-> vmss/nt0vm: ServiceFabricNodeVmExt_nt0vm certificate thumbprint ${v2.thumbprint}, no secondary`,
    );
    const result = drive(tpSpec, o, NOW);
    expect(result.violations).toEqual([]);
    expect(result.executed.map(short)).toEqual([
      `Ext nt0vm ${n(v2)}/-`,
      'Remove nt0vm v1',
      'Remove nt1vm v1',
    ]);
  });

  it('declares on the extension only certificates installed on that node type', () => {
    // The cluster declares v1 and v2; nt1vm's model lost the v1 secret (a hand edit): its extension gets
    // v2 alone, nt0vm's gets both.
    const base = observation({
      versions: [v1, v2],
      cluster: cluster(v1.thumbprint, v2.thumbprint),
      installed: [v1, v2],
    });
    const o = {
      ...base,
      scaleSets: base.scaleSets.map((ss) =>
        ss.name === 'nt1vm' ? { ...ss, secrets: ss.secrets.filter((x) => x.version === 'v2') } : ss,
      ),
    };
    const plan = planServiceFabric(tpSpec, o, NOW);
    expect(active(plan).name).toBe(Step.AddSecondaryThumbprint);
    expect(plan.steps.flatMap((s) => s.changes).map(short)).toEqual([
      `Ext nt0vm ${n(v1)}/${n(v2)}`,
      `Ext nt1vm ${n(v2)}/-`,
    ]);
    expect(violations(tpSpec, o, plan)).toEqual([]);
  });

  it('proposes nothing while a scale set is still applying the extension change', () => {
    const o = observation({
      versions: [v1, v2],
      cluster: cluster(v1.thumbprint, v2.thumbprint),
      installed: [v1, v2],
    });
    const applying = {
      ...o,
      scaleSets: o.scaleSets.map((ss) => ({
        ...ss,
        provisioningState: 'Updating',
        serviceFabricExtension: {
          ...ss.serviceFabricExtension!,
          certificateThumbprint: v1.thumbprint,
          certificateSecondaryThumbprint: v2.thumbprint,
        },
      })),
    };
    const plan = planServiceFabric(tpSpec, applying, NOW);
    // Completion is judged on the scale sets (every instance on the latest model), never assumed.
    expect(active(plan)).toMatchObject({ reason: Reason.WaitingForScaleSetUpgrade, changes: [] });
    expect(plan.steps.flatMap((s) => s.changes)).toEqual([]);
    const settled = planServiceFabric(tpSpec, settle(applying), NOW);
    expect(active(settled).name).toBe(Step.SwapThumbprints);
    expect(active(settled).changes.map(short)).toEqual([`Patch ${n(v2)}/${n(v1)}`]);
  });
});
