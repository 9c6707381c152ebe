import { describe, expect, it } from 'vitest';
import {
  Hazard,
  Phase,
  Reason,
  Severity,
  Step,
  StepState,
  type HazardReason,
} from '../../src/domain/names.js';
import type { ServiceFabricObservation } from '../../src/domain/observed/index.js';
import { planServiceFabric, type Plan, type PlanContext } from '../../src/domain/plan/index.js';
import {
  ISSUER,
  NOW,
  OTHER_ISSUER,
  apply,
  cluster,
  daysFromNow,
  observation,
  spec,
  tp,
  version,
  withCluster,
  withScaleSets,
  type Spec,
} from './fixtures.js';
import { drive, violations } from './invariants.js';

const old1 = version('old1', 0, { notBefore: daysFromNow(-200), created: daysFromNow(-200) });
const goal = version('goal', 2, { notBefore: daysFromNow(-10), created: daysFromNow(-10) });

function fresh(): ServiceFabricObservation {
  return observation({ versions: [old1, goal], cluster: cluster(old1.thumbprint), installed: [old1] });
}

/** A cluster already converted to common name, every scale set on the KeyVault extension. */
function converted(s: Spec = spec()): ServiceFabricObservation {
  const result = drive(s, fresh(), NOW);
  if (result.violations.length > 0) throw new Error(result.violations.join('\n'));
  return result.final;
}

function withVersions(
  o: ServiceFabricObservation,
  ...extra: ReturnType<typeof version>[]
): ServiceFabricObservation {
  return { ...o, vault: { ...o.vault, versions: [...o.vault.versions, ...extra] } };
}

function active(plan: Plan) {
  const step = plan.steps.find((s) => s.state === StepState.Current || s.state === StepState.Blocked);
  if (!step) throw new Error('no current step');
  return step;
}

const changeCount = (plan: Plan) => plan.steps.reduce((n, s) => n + s.changes.length, 0);

interface HazardCase {
  name: string;
  spec?: Spec;
  world: () => ServiceFabricObservation;
  context?: PlanContext;
  reason: HazardReason;
  severity: 'blocking' | 'warning';
  /** The step that is blocked (blocking) or current (warning). */
  step: string;
  phase?: string;
  /** A substring the message must contain. */
  says?: string;
}

const renewalUnpinned = version('renewal', 3, {
  issuer: OTHER_ISSUER,
  notBefore: daysFromNow(-1),
  created: daysFromNow(-1),
});

const cases: HazardCase[] = [
  {
    name: 'goal version from an unpinned issuer before conversion',
    world: () =>
      observation({
        versions: [old1, version('g', 2, { issuer: OTHER_ISSUER })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
    reason: Hazard.IssuerNotPinned,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    says: OTHER_ISSUER,
  },
  {
    name: 'renewal from an unpinned issuer after conversion',
    world: () => withVersions(converted(), renewalUnpinned),
    reason: Hazard.IssuerNotPinned,
    severity: 'blocking',
    step: Step.Steady,
  },
  {
    name: 'a version whose issuer chain is unknown',
    world: () =>
      observation({
        versions: [old1, version('g', 2, { issuer: undefined })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
    reason: Hazard.IssuerNotPinned,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    says: 'unknown',
  },
  {
    name: 'a self-signed goal declared by common name',
    world: () =>
      observation({
        versions: [old1, version('g', 2, { selfSigned: true })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
    reason: Hazard.SelfSignedCommonName,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'a self-signed goal pinned to its own thumbprint (tests)',
    spec: spec({}, { issuerThumbprints: [version('g', 2, { selfSigned: true }).thumbprint!] }),
    world: () =>
      observation({
        versions: [old1, version('g', 2, { selfSigned: true })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
    reason: Hazard.SelfSignedCommonName,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'linkOnRenewal with another vault certificate whose SANs are a subset',
    spec: spec({ keyVaultExtension: { ...spec().keyVaultExtension, linkOnRenewal: true } }),
    world: () => ({
      ...fresh(),
      otherCertificates: [
        {
          name: 'api-cert',
          thumbprint: tp('api'),
          dnsNames: ['cluster.contoso.com'],
          notBefore: undefined,
          notAfter: undefined,
        },
      ],
    }),
    reason: Hazard.SanOverlapWithLinkOnRenewal,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    says: 'api-cert',
  },
  {
    name: 'a scale set with a Manual upgrade policy',
    world: () => withScaleSets(fresh(), (ss) => (ss.name === 'nt1vm' ? { upgradeMode: 'Manual' } : {})),
    reason: Hazard.ScaleSetNotAutomaticUpgrade,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    says: 'nt1vm (Manual)',
  },
  {
    name: 'vault access missing and the operator may not grant it',
    spec: spec({ identity: { ...spec().identity, grantVaultAccess: false } }),
    world: () =>
      observation({
        versions: [old1, goal],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
        canRead: false,
      }),
    reason: Hazard.VaultAccessMissing,
    severity: 'blocking',
    step: Step.GrantVaultAccess,
  },
  {
    name: 'another rotation claims the cluster',
    world: fresh,
    context: { conflictingRotation: 'other-ns/other' },
    reason: Hazard.ConflictingRotation,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    says: 'other-ns/other',
  },
  {
    name: 'a cluster node type missing from the spec',
    world: () => withCluster(fresh(), { nodeTypeNames: ['nt0', 'nt1', 'nt2'] }),
    reason: Hazard.InvalidSpec,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    phase: Phase.Stalled,
    says: 'nt2',
  },
  {
    name: 'validator messages passed in',
    world: fresh,
    context: { specErrors: ['spec.certificate.issuerThumbprints: must not be empty'] },
    reason: Hazard.InvalidSpec,
    severity: 'blocking',
    step: Step.InstallGoalCertificate,
    phase: Phase.Stalled,
  },
  {
    name: 'a renewal with an older NotBefore than an installed version',
    world: () =>
      withVersions(
        converted(),
        version('backdated', 3, { notBefore: daysFromNow(-30), created: daysFromNow(-1) }),
      ),
    reason: Hazard.RenewalNotPresented,
    severity: 'warning',
    step: Step.Steady,
    says: 'NotBefore',
  },
  {
    name: 'before 7.2.445: a renewal with an earlier NotAfter than an installed version',
    world: () =>
      withCluster(
        withVersions(
          converted(),
          version('shorter', 3, {
            notBefore: daysFromNow(-1),
            notAfter: daysFromNow(100),
            created: daysFromNow(-1),
          }),
        ),
        { clusterCodeVersion: '7.1.503.9590' },
      ),
    reason: Hazard.RenewalNotPresented,
    severity: 'warning',
    step: Step.Steady,
    says: 'NotAfter',
  },
  {
    name: 'the common name is not among the SANs',
    world: () =>
      observation({
        versions: [old1, version('g', 2, { dnsNames: ['other.contoso.com'] })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
    reason: Hazard.CommonNameNotInSan,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'requireInitialSync disabled in the spec',
    spec: spec({ keyVaultExtension: { ...spec().keyVaultExtension, requireInitialSync: false } }),
    world: fresh,
    reason: Hazard.InitialSyncDisabled,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'an extension observing a versioned URL in Thumbprint mode (no step fixes it)',
    spec: spec({ mode: 'Thumbprint' }),
    world: () => {
      const kv = converted().scaleSets[0]!.keyVaultExtensions[0]!;
      return withScaleSets(fresh(), () => ({
        keyVaultExtensions: [
          {
            ...kv,
            observedCertificates: kv.observedCertificates.map((x) => ({ ...x, url: `${x.url}/goal` })),
          },
        ],
      }));
    },
    reason: Hazard.VersionedObservedCertificate,
    severity: 'warning',
    step: Step.InstallNewVersion,
  },
  {
    name: 'a vault policy without AutoRenew',
    world: () => {
      const o = fresh();
      return {
        ...o,
        vault: {
          ...o.vault,
          policy: {
            issuerName: 'DigiCert',
            subject: `CN=cluster.contoso.com`,
            dnsNames: [],
            validityInMonths: 12,
            autoRenew: false,
            lifetimePercentage: undefined,
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
    },
    reason: Hazard.NoAutoRenewPolicy,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'the certificate in use expires within expiryWarning',
    world: () =>
      observation({
        versions: [
          version('old', 0, {
            notBefore: daysFromNow(-355),
            notAfter: daysFromNow(10),
            created: daysFromNow(-355),
          }),
          goal,
        ],
        cluster: cluster(version('old', 0, { notBefore: daysFromNow(-355) }).thumbprint),
        installed: [version('old', 0, { notBefore: daysFromNow(-355), notAfter: daysFromNow(10) })],
      }),
    reason: Hazard.CertificateExpiringSoon,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
    says: 'within 30d',
  },
  {
    name: 'the certificate in use expires within expiryCritical',
    world: () =>
      observation({
        versions: [
          version('old', 0, {
            notBefore: daysFromNow(-355),
            notAfter: daysFromNow(3),
            created: daysFromNow(-355),
          }),
          goal,
        ],
        cluster: cluster(version('old', 0).thumbprint),
        installed: [version('old', 0, { notAfter: daysFromNow(3) })],
      }),
    reason: Hazard.CertificateExpiringSoon,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
    says: 'critical',
  },
  {
    name: 'the certificate in use has expired',
    world: () =>
      observation({
        versions: [
          version('old', 0, {
            notBefore: daysFromNow(-400),
            notAfter: daysFromNow(-1),
            created: daysFromNow(-400),
          }),
          goal,
        ],
        cluster: cluster(version('old', 0).thumbprint),
        installed: [version('old', 0, { notAfter: daysFromNow(-1) })],
      }),
    reason: Hazard.CertificateExpired,
    severity: 'warning',
    step: Step.InstallGoalCertificate,
  },
  {
    name: 'a declared certificate missing on a node type while another step is current',
    world: () => {
      const o = observation({
        versions: [old1, goal],
        cluster: cluster(old1.thumbprint),
        installed: [old1, goal],
      });
      return withScaleSets(o, (ss) =>
        ss.name === 'nt1vm' ? { secrets: ss.secrets.filter((s) => s.version !== 'old1') } : {},
      );
    },
    reason: Hazard.NodeTypeMissingCertificate,
    severity: 'warning',
    step: Step.ReachValidStartingState,
    says: 'nt1vm',
  },
];

describe('hazards', () => {
  it.each(cases)('$name → $reason ($severity)', (c) => {
    const s = c.spec ?? spec();
    const o = c.world();
    const plan = planServiceFabric(s, o, NOW, c.context);
    const found = plan.hazards.filter((h) => h.reason === c.reason);
    expect(found.map((h) => h.severity)).toEqual([c.severity]);
    if (c.says) expect(found[0]?.message).toContain(c.says);
    const step = active(plan);
    expect(step.name).toBe(c.step);
    if (c.severity === Severity.Blocking) {
      expect(step.state).toBe(StepState.Blocked);
      expect(changeCount(plan)).toBe(0);
      expect(plan.phase).toBe(c.phase ?? Phase.Blocked);
      if (c.reason !== Hazard.InvalidSpec) expect(step.reason).toBe(plan.hazards[0]?.reason);
    } else {
      expect(step.state).toBe(StepState.Current);
      expect(plan.phase).not.toBe(Phase.Blocked);
    }
    expect(violations(s, o, plan)).toEqual([]);
  });

  it('reports nothing on a healthy converted cluster', () => {
    expect(planServiceFabric(spec(), converted(), NOW).hazards).toEqual([]);
  });

  it('does not report what the current step is about to fix', () => {
    // The goal secret missing on node types while InstallGoalCertificate is current.
    const p1 = planServiceFabric(spec(), fresh(), NOW);
    expect(p1.hazards.map((h) => h.reason)).not.toContain(Hazard.NodeTypeMissingCertificate);
    // Extension drift (initial sync off, versioned URL, linkOnRenewal on) while InstallKeyVaultExtension fixes it.
    const drifted = withScaleSets(converted(), (ss) => ({
      keyVaultExtensions: ss.keyVaultExtensions.map((e) => ({
        ...e,
        requireInitialSync: false,
        linkOnRenewal: true,
        observedCertificates: e.observedCertificates.map((x) => ({ ...x, url: `${x.url}/goal` })),
      })),
    }));
    const drifting = {
      ...drifted,
      otherCertificates: [
        {
          name: 'api',
          thumbprint: tp('api'),
          dnsNames: ['cluster.contoso.com'],
          notBefore: undefined,
          notAfter: undefined,
        },
      ],
    };
    const p2 = planServiceFabric(spec(), drifting, NOW);
    expect(active(p2).name).toBe(Step.InstallKeyVaultExtension);
    expect(p2.hazards).toEqual([]);
    expect(active(p2).changes.map((c) => c.op)).toEqual([
      'InstallKeyVaultExtension',
      'InstallKeyVaultExtension',
    ]);
    // A pin missing on the cluster while Steady is about to add it.
    const newIssuerVersion = version('renewal', 3, {
      issuer: OTHER_ISSUER,
      created: daysFromNow(-1),
      notBefore: daysFromNow(-1),
    });
    const p3 = planServiceFabric(
      spec({}, { issuerThumbprints: [ISSUER, OTHER_ISSUER] }),
      withVersions(converted(), newIssuerVersion),
      NOW,
    );
    expect(p3.hazards).toEqual([]);
    expect(active(p3).changes.map((c) => c.op)).toEqual(['SetClusterCommonNames']);
  });

  it('accepts a wildcard SAN covering the common name', () => {
    const o = observation({
      versions: [old1, version('g', 2, { dnsNames: ['*.contoso.com'] })],
      cluster: cluster(old1.thumbprint),
      installed: [old1],
    });
    expect(planServiceFabric(spec(), o, NOW).hazards.map((h) => h.reason)).not.toContain(
      Hazard.CommonNameNotInSan,
    );
  });

  it('lists blocking hazards before warnings', () => {
    const o = withScaleSets(
      observation({
        versions: [old1, version('g', 2, { dnsNames: ['x.contoso.com'], issuer: OTHER_ISSUER })],
        cluster: cluster(old1.thumbprint),
        installed: [old1],
      }),
      () => ({ upgradeMode: 'Rolling' }),
    );
    const plan = planServiceFabric(spec(), o, NOW);
    const severities = plan.hazards.map((h) => h.severity);
    expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === 'blocking' ? -1 : 1)));
    expect(plan.hazards.map((h) => h.reason)).toEqual([
      Hazard.ScaleSetNotAutomaticUpgrade,
      Hazard.IssuerNotPinned,
      Hazard.CommonNameNotInSan,
    ]);
  });
});

describe('quarantine of untrusted versions', () => {
  const quarantineSpec = spec({ policy: { ...spec().policy, quarantineUntrustedVersions: true } });

  it('disables an unpinned renewal before any node installs it, then returns to Steady', () => {
    const o = withVersions(converted(quarantineSpec), renewalUnpinned);
    const plan = planServiceFabric(quarantineSpec, o, NOW);
    expect(plan.hazards.map((h) => h.reason)).not.toContain(Hazard.IssuerNotPinned);
    expect(active(plan)).toMatchObject({
      name: Step.Steady,
      state: StepState.Current,
      reason: Reason.VersionQuarantined,
    });
    expect(active(plan).changes).toEqual([
      {
        op: 'DisableVaultVersion',
        vault: 'kv1',
        certificateName: 'cluster-cert',
        version: 'renewal',
        thumbprint: renewalUnpinned.thumbprint,
      },
    ]);
    expect(violations(quarantineSpec, o, plan)).toEqual([]);
    const after = planServiceFabric(quarantineSpec, apply(o, active(plan).changes[0]!), NOW);
    expect(after.phase).toBe(Phase.Steady);
    expect(after.certificates.vaultLatest?.thumbprint).toBe(goal.thumbprint);
  });

  it('quarantines before the goal is installed during a conversion too, and keeps converting to the trusted goal', () => {
    const o = withVersions(fresh(), renewalUnpinned);
    const plan = planServiceFabric(quarantineSpec, o, NOW);
    expect(active(plan).changes.map((c) => c.op)).toEqual(['DisableVaultVersion']);
    const next = planServiceFabric(quarantineSpec, apply(o, active(plan).changes[0]!), NOW);
    expect(active(next).changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ op: 'AddScaleSetSecret', certificateUrl: goal.secretId }),
      ]),
    );
  });

  it('after a quarantine of the newest version, holds the KeyVault extension install (it could never sync) and warns in Steady', () => {
    // Quarantine, then the conversion runs until it can go no further.
    const walked = drive(quarantineSpec, withVersions(fresh(), renewalUnpinned), NOW);
    expect(walked.violations).toEqual([]);
    const world = walked.final;
    const held = planServiceFabric(quarantineSpec, world, NOW);
    expect(held.currentStep).toBe(Step.InstallKeyVaultExtension);
    expect(held.phase).toBe(Phase.Blocked);
    expect(changeCount(held)).toBe(0);
    expect(held.hazards).toContainEqual(
      expect.objectContaining({ reason: Hazard.LatestVersionDisabled, severity: Severity.Blocking }),
    );
    // A newer trusted version lifts it.
    const renewed = withVersions(world, version('trusted', 4, { created: daysFromNow(-1) }));
    const lifted = planServiceFabric(quarantineSpec, renewed, NOW);
    expect(lifted.hazards.map((h) => h.reason)).not.toContain(Hazard.LatestVersionDisabled);
    // Converted, then quarantined: Steady, with a warning.
    const steady = converted(quarantineSpec);
    const quarantined = withVersions(steady, { ...renewalUnpinned, enabled: false });
    const warned = planServiceFabric(quarantineSpec, quarantined, NOW);
    expect(warned.phase).toBe(Phase.Steady);
    expect(warned.hazards).toContainEqual(
      expect.objectContaining({ reason: Hazard.LatestVersionDisabled, severity: Severity.Warning }),
    );
  });

  it('waits neither for approval nor a window, but honours suspend', () => {
    const o = withVersions(converted(quarantineSpec), renewalUnpinned);
    const manual = spec({
      policy: {
        ...quarantineSpec.policy,
        approval: 'Manual',
        maintenanceWindows: [{ days: ['Mon'], start: '00:00', duration: '1m', timezone: 'UTC' }],
      },
    });
    expect(active(planServiceFabric(manual, o, NOW)).changes.map((c) => c.op)).toEqual([
      'DisableVaultVersion',
    ]);
    const suspended = spec({ policy: { ...quarantineSpec.policy, suspend: true } });
    const p = planServiceFabric(suspended, o, NOW);
    expect(changeCount(p)).toBe(0);
    expect(p.phase).toBe(Phase.Suspended);
    expect(active(p).deferredChanges?.map((c) => c.op)).toEqual(['DisableVaultVersion']);
  });

  it('never disables the only versions when none is trusted: it blocks instead', () => {
    const o = observation({
      versions: [old1, version('g', 2, { issuer: OTHER_ISSUER })],
      cluster: cluster(old1.thumbprint),
      installed: [old1],
    });
    const only = {
      ...o,
      vault: {
        ...o.vault,
        versions: o.vault.versions.map((v) => ({ ...v, issuerThumbprint: OTHER_ISSUER })),
      },
    };
    const plan = planServiceFabric(quarantineSpec, only, NOW);
    expect(changeCount(plan)).toBe(0);
    expect(plan.hazards[0]?.reason).toBe(Hazard.IssuerNotPinned);
  });
});

describe('policy gates', () => {
  it('suspend: observes and reports, proposes nothing', () => {
    const s = spec({ policy: { ...spec().policy, suspend: true } });
    const plan = planServiceFabric(s, fresh(), NOW);
    expect(plan.phase).toBe(Phase.Suspended);
    expect(active(plan)).toMatchObject({
      name: Step.InstallGoalCertificate,
      reason: Reason.Suspended,
      changes: [],
    });
    expect(active(plan).deferredChanges).toHaveLength(2);
  });

  it('approval Manual: waits for the annotation naming the step', () => {
    const s = spec({ policy: { ...spec().policy, approval: 'Manual' } });
    const waitingPlan = planServiceFabric(s, fresh(), NOW);
    expect(waitingPlan.phase).toBe(Phase.AwaitingApproval);
    expect(active(waitingPlan)).toMatchObject({ reason: Reason.AwaitingApproval, changes: [] });
    const wrong = planServiceFabric(s, fresh(), NOW, { approvedStep: Step.ReachValidStartingState });
    expect(wrong.phase).toBe(Phase.AwaitingApproval);
    const approved = planServiceFabric(s, fresh(), NOW, { approvedStep: Step.InstallGoalCertificate });
    expect(approved.phase).toBe(Phase.Progressing);
    expect(changeCount(approved)).toBe(2);
  });

  it('approval Manual does not hold a step that is only waiting', () => {
    const s = spec({ policy: { ...spec().policy, approval: 'Manual' } });
    const o = withCluster(
      observation({ versions: [old1, goal], cluster: cluster(old1.thumbprint), installed: [old1, goal] }),
      { clusterState: 'UpdatingUserCertificate' },
    );
    const plan = planServiceFabric(s, o, NOW);
    expect(plan.phase).toBe(Phase.Progressing);
    expect(active(plan).reason).toBe(Reason.WaitingForClusterReady);
  });

  it('maintenance windows: mutation only inside a window (NOW is Monday 12:00 UTC)', () => {
    const at = (start: string, duration: string, days: ('Mon' | 'Tue' | 'Sun')[], timezone = 'UTC') =>
      spec({ policy: { ...spec().policy, maintenanceWindows: [{ days, start, duration, timezone }] } });
    const inside = planServiceFabric(at('11:00', '2h', ['Mon']), fresh(), NOW);
    expect(changeCount(inside)).toBe(2);
    const outside = planServiceFabric(at('13:00', '2h', ['Mon']), fresh(), NOW);
    expect(changeCount(outside)).toBe(0);
    expect(active(outside)).toMatchObject({ reason: Reason.OutsideMaintenanceWindow });
    expect(outside.phase).toBe(Phase.Progressing);
    // A window opened on Sunday evening that lasts into Monday.
    expect(changeCount(planServiceFabric(at('22:00', '1d', ['Sun']), fresh(), NOW))).toBe(2);
    // 12:00 UTC is 08:00 in New York (EDT) on 2026-06-01.
    expect(changeCount(planServiceFabric(at('07:30', '1h', ['Mon'], 'America/New_York'), fresh(), NOW))).toBe(
      2,
    );
    expect(changeCount(planServiceFabric(at('11:30', '1h', ['Mon'], 'America/New_York'), fresh(), NOW))).toBe(
      0,
    );
  });
});
