import { describe, expect, it } from 'vitest';
import { Hazard, Phase, Reason, Step, StepState } from '../../src/domain/names.js';
import type { ServiceFabricObservation, VaultVersionObservation } from '../../src/domain/observed/index.js';
import { planServiceFabric, type Change, type Plan } from '../../src/domain/plan/index.js';
import {
  CLIENT_ID,
  CN,
  IDENTITY_ID,
  ISSUER,
  NOW,
  PRINCIPAL_ID,
  apply,
  cluster,
  daysFromNow,
  observation,
  settle,
  spec,
  version,
  withCluster,
  withScaleSets,
} from './fixtures.js';
import { drive, violations } from './invariants.js';

function current(plan: Plan) {
  const step = plan.steps.find((s) => s.state === StepState.Current || s.state === StepState.Blocked);
  if (!step) throw new Error('no current step');
  return step;
}

function ops(plan: Plan): string[] {
  return plan.steps.flatMap((s) => s.changes.map((c) => c.op));
}

function clusterTargets(executed: readonly Change[]): string[] {
  return executed.flatMap((c) =>
    c.op === 'PatchCluster'
      ? [
          `TP:${c.certificate.thumbprint.slice(0, 4)} Sec:${c.certificate.thumbprintSecondary?.slice(0, 4) ?? 'None'}`,
        ]
      : [],
  );
}

const label = (v: VaultVersionObservation) => (v.thumbprint ?? '').slice(0, 4);

// Old certificate versions and the goal (latest created). "newer" = later NotBefore.
const old1 = version('old1', 0, { notBefore: daysFromNow(-200), created: daysFromNow(-200) });
const old2 = version('old2', 1, { notBefore: daysFromNow(-150), created: daysFromNow(-150) });
const goal = version('goal', 2, { notBefore: daysFromNow(-10), created: daysFromNow(-10) });
// An old version with a LATER NotBefore than the goal (created before it, backdated goal).
const oldLater = version('oldlater', 1, { notBefore: daysFromNow(-5), created: daysFromNow(-60) });

interface StartingState {
  name: string;
  versions: VaultVersionObservation[];
  primary: VaultVersionObservation;
  secondary?: VaultVersionObservation;
  /** The cluster patches the conversion must go through, in the fixture's short form. */
  patches: (g: string) => string[];
  codeVersion?: string;
}

const S = (p: string, s?: string) => `TP:${p} Sec:${s ?? 'None'}`;

// azure.md §1.5, "Reaching a valid starting state" [SF-TP2CN].
const startingStates: StartingState[] = [
  { name: 'TP: Goal, Sec: None (valid)', versions: [old1, goal], primary: goal, patches: () => [] },
  {
    name: 'TP: Goal, Sec: Old, Goal newer (valid)',
    versions: [old1, goal],
    primary: goal,
    secondary: old1,
    patches: () => [],
  },
  {
    name: 'TP: Old, Sec: Goal, Goal newer (valid)',
    versions: [old1, goal],
    primary: old1,
    secondary: goal,
    patches: () => [],
  },
  {
    name: 'TP: Old, Sec: None, Goal newer → TP: Old, Sec: Goal',
    versions: [old1, goal],
    primary: old1,
    patches: (g) => [S(label(old1), g)],
  },
  {
    name: 'TP: Old, Sec: None, Old newer → TP: Goal, Sec: Old → TP: Goal',
    versions: [oldLater, goal],
    primary: oldLater,
    patches: (g) => [S(g, label(oldLater)), S(g)],
  },
  {
    name: 'TP: Old, Sec: Goal, Old newer → TP: Goal',
    versions: [oldLater, goal],
    primary: oldLater,
    secondary: goal,
    patches: (g) => [S(g)],
  },
  {
    name: 'TP: Goal, Sec: Old, Old newer → TP: Goal',
    versions: [oldLater, goal],
    primary: goal,
    secondary: oldLater,
    patches: (g) => [S(g)],
  },
  {
    name: 'TP: Old1, Sec: Old2 → keep the presented (newer) one, then add the goal',
    versions: [old1, old2, goal],
    primary: old1,
    secondary: old2,
    patches: (g) => [S(label(old2)), S(label(old2), g)],
  },
  {
    name: 'TP: Old2, Sec: Old1 → remove the older secondary, then add the goal',
    versions: [old1, old2, goal],
    primary: old2,
    secondary: old1,
    patches: (g) => [S(label(old2)), S(label(old2), g)],
  },
  {
    name: 'runtime before 7.2.445 compares NotAfter: an Old with a later NotAfter wins',
    versions: [
      version('oldfar', 0, {
        notBefore: daysFromNow(-200),
        notAfter: daysFromNow(900),
        created: daysFromNow(-200),
      }),
      goal,
    ],
    primary: version('oldfar', 0, {
      notBefore: daysFromNow(-200),
      notAfter: daysFromNow(900),
      created: daysFromNow(-200),
    }),
    codeVersion: '7.2.432.9590',
    patches: (g) => [S(g, label(version('oldfar', 0))), S(g)],
  },
  {
    name: 'the same Old with runtime 7.2.445 compares NotBefore: the goal is newer',
    versions: [
      version('oldfar', 0, {
        notBefore: daysFromNow(-200),
        notAfter: daysFromNow(900),
        created: daysFromNow(-200),
      }),
      goal,
    ],
    primary: version('oldfar', 0, {
      notBefore: daysFromNow(-200),
      notAfter: daysFromNow(900),
      created: daysFromNow(-200),
    }),
    codeVersion: '7.2.445.9590',
    patches: (g) => [S(label(version('oldfar', 0)), g)],
  },
];

describe('CommonName mode: conversion from every documented starting state', () => {
  it.each(startingStates)('$name', (st) => {
    const installedOld = [st.primary, ...(st.secondary ? [st.secondary] : [])].filter((v) => v !== goal);
    const start = observation({
      versions: st.versions,
      cluster: cluster(st.primary.thumbprint, st.secondary?.thumbprint, st.codeVersion),
      installed: installedOld,
    });
    const s = spec();
    const result = drive(s, start, NOW);
    expect(result.violations).toEqual([]);
    expect(clusterTargets(result.executed)).toEqual(st.patches(label(goal)));
    // The journey visits the steps in order and ends Steady.
    const order = result.plans.map((p) => p.steps.findIndex((x) => x.name === p.currentStep));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const last = result.plans.at(-1)!;
    expect(last.phase).toBe(Phase.Steady);
    expect(last.currentStep).toBe(Step.Steady);
    // End state: common-name declared with pinned issuers, no thumbprint; every scale set auto-rolls.
    expect(result.final.cluster.certificate).toBeUndefined();
    expect(result.final.cluster.certificateCommonNames?.commonNames).toEqual([
      { commonName: CN, issuerThumbprints: [ISSUER] },
    ]);
    for (const ss of result.final.scaleSets) {
      expect(ss.secrets).toEqual([]);
      expect(ss.userAssignedIdentityIds).toEqual([IDENTITY_ID.toLowerCase()]);
      expect(ss.keyVaultExtensions[0]?.observedCertificates[0]?.url).toBe(
        `https://kv1.vault.azure.net/secrets/cluster-cert`,
      );
      expect(ss.serviceFabricExtension?.certificateCommonNames).toEqual([CN]);
      expect(ss.serviceFabricExtension?.provisionAfterExtensions).toEqual([ss.keyVaultExtensions[0]?.name]);
    }
  });
});

function freshWorld(): ServiceFabricObservation {
  return observation({ versions: [old1, goal], cluster: cluster(old1.thumbprint), installed: [old1] });
}

describe('CommonName mode: each step', () => {
  it('plans GrantVaultAccess first when the identity cannot read secrets', () => {
    const o = observation({
      versions: [old1, goal],
      cluster: cluster(old1.thumbprint),
      installed: [old1],
      canRead: false,
    });
    const plan = planServiceFabric(spec(), o, NOW);
    expect(current(plan).name).toBe(Step.GrantVaultAccess);
    expect(current(plan).changes).toEqual([
      {
        op: 'GrantVaultAccess',
        vault: 'kv1',
        vaultId: o.access?.vaultId,
        model: 'AccessPolicy',
        principalId: PRINCIPAL_ID,
        tenantId: 'tenant',
        secretPermissions: ['get', 'list'],
        roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6',
      },
    ]);
    expect(plan.hazards.map((h) => h.reason)).not.toContain(Hazard.VaultAccessMissing);
  });

  it('installs the goal version, versioned, on every node type', () => {
    const plan = planServiceFabric(spec(), freshWorld(), NOW);
    expect(plan.steps.map((s) => [s.name, s.state])).toEqual([
      [Step.GrantVaultAccess, StepState.Done],
      [Step.InstallGoalCertificate, StepState.Current],
      [Step.ReachValidStartingState, StepState.Pending],
      [Step.InstallKeyVaultExtension, StepState.Pending],
      [Step.ConvertClusterToCommonName, StepState.Pending],
      [Step.Steady, StepState.Pending],
    ]);
    expect(current(plan).changes).toEqual(
      ['nt0vm', 'nt1vm'].map((vmss) => ({
        op: 'AddScaleSetSecret',
        vmss,
        sourceVaultId: expect.stringContaining('/vaults/kv1'),
        certificateUrl: goal.secretId,
        certificateStore: 'My',
      })),
    );
    // Missing on a node type while InstallGoalCertificate is current is not a hazard (it is being fixed).
    expect(plan.hazards.map((h) => h.reason)).not.toContain(Hazard.NodeTypeMissingCertificate);
  });

  it('adds the secret only where it is missing and waits for instances to take the model', () => {
    let o = freshWorld();
    o = withScaleSets(o, (ss) =>
      ss.name === 'nt0vm'
        ? {
            secrets: [
              ...ss.secrets,
              { ...ss.secrets[0]!, certificateUrl: goal.secretId, version: goal.version },
            ],
            instances: ss.instances?.map((i) => ({ ...i, latestModelApplied: i.instanceId !== '1' })),
          }
        : {},
    );
    const plan = planServiceFabric(spec(), o, NOW);
    expect(current(plan).changes.map((c) => ('vmss' in c ? c.vmss : ''))).toEqual(['nt1vm']);
    const both = withScaleSets(o, (ss) =>
      ss.name === 'nt1vm'
        ? {
            secrets: [
              ...ss.secrets,
              { ...ss.secrets[0]!, certificateUrl: goal.secretId, version: goal.version },
            ],
          }
        : {},
    );
    const waitingPlan = planServiceFabric(spec(), both, NOW);
    expect(current(waitingPlan)).toMatchObject({
      name: Step.InstallGoalCertificate,
      reason: Reason.WaitingForScaleSetUpgrade,
      changes: [],
    });
    expect(current(waitingPlan).message).toContain('instances not on the latest model: 1');
  });

  it('judges completion from provisioningState alone without instance data', () => {
    const o = withScaleSets(freshWorld(), (ss) => ({
      instances: undefined,
      secrets: [...ss.secrets, { ...ss.secrets[0]!, certificateUrl: goal.secretId, version: goal.version }],
    }));
    expect(current(planServiceFabric(spec(), o, NOW)).name).toBe(Step.ReachValidStartingState);
    const updating = withScaleSets(o, () => ({ provisioningState: 'Updating' }));
    expect(current(planServiceFabric(spec(), updating, NOW)).reason).toBe(Reason.WaitingForScaleSetUpgrade);
  });

  it('waits for clusterState Ready before any cluster upgrade', () => {
    let o = freshWorld();
    o = withScaleSets(o, (ss) => ({
      secrets: [...ss.secrets, { ...ss.secrets[0]!, certificateUrl: goal.secretId, version: goal.version }],
    }));
    for (const state of ['UpdatingUserCertificate', 'UpdatingInfrastructure', 'BaselineUpgrade']) {
      const plan = planServiceFabric(spec(), withCluster(o, { clusterState: state }), NOW);
      expect(current(plan)).toMatchObject({
        name: Step.ReachValidStartingState,
        reason: Reason.WaitingForClusterReady,
        changes: [],
      });
    }
    // The resource provider cannot manage the cluster: nothing to wait for, a person must act.
    const unreachable = planServiceFabric(
      spec(),
      withCluster(o, { clusterState: 'UpgradeServiceUnreachable' }),
      NOW,
    );
    expect(unreachable.phase).toBe(Phase.Stalled);
    expect(current(unreachable)).toMatchObject({ state: StepState.Blocked, changes: [] });
    expect(current(unreachable).message).toContain('UpgradeServiceUnreachable');
    const ready = planServiceFabric(spec(), o, NOW);
    expect(current(ready).changes).toEqual([
      {
        op: 'PatchCluster',
        certificate: {
          thumbprint: old1.thumbprint,
          thumbprintSecondary: goal.thumbprint,
          x509StoreName: 'My',
        },
      },
    ]);
  });

  it('installs the KeyVault extension in the v3.0 object form with versionless URL and removes the versioned secret', () => {
    const o = observation({
      versions: [old1, goal],
      cluster: cluster(old1.thumbprint, goal.thumbprint),
      installed: [old1, goal],
    });
    const plan = planServiceFabric(spec(), o, NOW);
    expect(current(plan).name).toBe(Step.InstallKeyVaultExtension);
    const change = current(plan).changes[0];
    expect(change).toEqual({
      op: 'InstallKeyVaultExtension',
      vmss: 'nt0vm',
      identityResourceId: IDENTITY_ID,
      extensionName: 'KVVMExtension',
      publisher: 'Microsoft.Azure.KeyVault',
      type: 'KeyVaultForWindows',
      typeHandlerVersion: '3.0',
      settings: {
        secretsManagementSettings: {
          pollingIntervalInS: '3600',
          linkOnRenewal: false,
          requireInitialSync: true,
          observedCertificates: [
            {
              url: 'https://kv1.vault.azure.net/secrets/cluster-cert',
              certificateStoreName: 'My',
              certificateStoreLocation: 'LocalMachine',
            },
          ],
        },
        authenticationSettings: {
          msiEndpoint: 'http://169.254.169.254/metadata/identity',
          msiClientId: CLIENT_ID,
        },
      },
      serviceFabricExtension: {
        name: 'ServiceFabricNodeVmExt_nt0vm',
        provisionAfterExtensions: ['KVVMExtension'],
        certificate: { commonNames: [CN], x509StoreName: 'My' },
      },
      removeSecretUrls: [old1.secretId, goal.secretId],
    });
    expect(current(plan).changes).toHaveLength(2);
  });

  it('waits for every instance to report the KeyVault extension succeeded', () => {
    const o = observation({
      versions: [old1, goal],
      cluster: cluster(old1.thumbprint, goal.thumbprint),
      installed: [old1, goal],
    });
    const plan = planServiceFabric(spec(), o, NOW);
    let next = o;
    for (const c of current(plan).changes) next = apply(next, c);
    next = settle(next);
    const transitioning = withScaleSets(next, (ss) => ({
      instances: ss.instances?.map((i) => ({
        ...i,
        extensions: { KVVMExtension: i.instanceId === '2' ? 'transitioning' : 'succeeded' },
      })),
    }));
    const p = planServiceFabric(spec(), transitioning, NOW);
    expect(current(p)).toMatchObject({
      name: Step.InstallKeyVaultExtension,
      reason: Reason.WaitingForNodes,
      changes: [],
    });
    expect(current(p).message).toContain('2 (transitioning)');
    const converted = planServiceFabric(spec(), next, NOW);
    expect(current(converted).name).toBe(Step.ConvertClusterToCommonName);
    expect(current(converted).changes).toEqual([
      {
        op: 'SetClusterCommonNames',
        certificateCommonNames: {
          commonNames: [{ certificateCommonName: CN, certificateIssuerThumbprint: ISSUER }],
          x509StoreName: 'My',
        },
        removeCertificate: true,
      },
    ]);
  });

  it('keeps earlier steps done after conversion although the versioned secret is gone', () => {
    const result = drive(spec(), freshWorld(), NOW);
    const last = result.plans.at(-1)!;
    expect(last.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'current']);
    expect(current(last).reason).toBe(Reason.Converged);
    expect(last.certificates.vaultLatest?.thumbprint).toBe(goal.thumbprint);
  });

  it('stays Steady when the vault renews with a pinned issuer: no cluster change', () => {
    const converted = drive(spec(), freshWorld(), NOW).final;
    const renewed = version('renewed', 3, { notBefore: daysFromNow(-1), created: daysFromNow(-1) });
    const o = {
      ...converted,
      vault: { ...converted.vault, versions: [...converted.vault.versions, renewed] },
    };
    const plan = planServiceFabric(spec(), o, NOW);
    expect(plan.phase).toBe(Phase.Steady);
    expect(ops(plan)).toEqual([]);
    expect(plan.hazards).toEqual([]);
    expect(plan.certificates.vaultLatest?.thumbprint).toBe(renewed.thumbprint);
  });

  it('keeps the cluster issuer pins equal to the spec in Steady', () => {
    const converted = drive(spec(), freshWorld(), NOW).final;
    const newIssuer = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';
    const plan = planServiceFabric(spec({}, { issuerThumbprints: [ISSUER, newIssuer] }), converted, NOW);
    expect(current(plan).name).toBe(Step.Steady);
    expect(plan.phase).toBe(Phase.Progressing);
    expect(current(plan).changes).toEqual([
      {
        op: 'SetClusterCommonNames',
        certificateCommonNames: {
          commonNames: [{ certificateCommonName: CN, certificateIssuerThumbprint: `${ISSUER},${newIssuer}` }],
          x509StoreName: 'My',
        },
        removeCertificate: false,
      },
    ]);
  });

  it('stalls on a missing scale set or an unsecured cluster without any change', () => {
    const missing = { ...freshWorld(), scaleSets: freshWorld().scaleSets.slice(0, 1) };
    const p1 = planServiceFabric(spec(), missing, NOW);
    expect(p1.phase).toBe(Phase.Stalled);
    expect(current(p1)).toMatchObject({
      state: StepState.Blocked,
      reason: Reason.ResourceNotFound,
      changes: [],
    });
    const unsecured = observation({ versions: [goal], cluster: cluster(undefined), installed: [goal] });
    const p2 = planServiceFabric(spec(), unsecured, NOW);
    expect(p2.phase).toBe(Phase.Stalled);
    expect(ops(p2)).toEqual([]);
  });

  it('stalls when the vault has no enabled version', () => {
    const o = observation({
      versions: [version('v', 0, { enabled: false })],
      cluster: cluster(old1.thumbprint),
    });
    const plan = planServiceFabric(spec(), o, NOW);
    expect(plan.phase).toBe(Phase.Stalled);
    expect(current(plan)).toMatchObject({
      name: Step.InstallGoalCertificate,
      reason: Reason.ResourceNotFound,
    });
  });

  it('accepts an existing v1.0 string-form extension that means the same as installed', () => {
    const converted = drive(spec(), freshWorld(), NOW).final;
    const v1 = withScaleSets(converted, (ss) => ({
      keyVaultExtensions: ss.keyVaultExtensions.map((e) => ({
        ...e,
        typeHandlerVersion: '1.0',
        settingsForm: 'strings' as const,
      })),
    }));
    const plan = planServiceFabric(spec(), v1, NOW);
    expect(plan.phase).toBe(Phase.Steady);
    expect(violations(spec(), v1, plan)).toEqual([]);
  });
});
