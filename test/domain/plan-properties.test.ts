// Property tests: from arbitrary observed worlds and specs, no plan ever proposes a documented invalid
// transition or a step before its prerequisites, there is at most one current step, a blocking hazard
// stops every change, and driving the plan (with a model of Azure applying each change) stays safe at
// every round and reaches Steady when nothing blocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Phase, Severity, Step } from '../../src/domain/names.js';
import type {
  ExtensionStatus,
  ScaleSetObservation,
  ServiceFabricObservation,
  VaultVersionObservation,
} from '../../src/domain/observed/index.js';
import { planServiceFabric } from '../../src/domain/plan/index.js';
import {
  CN,
  ISSUER,
  NOW,
  OTHER_ISSUER,
  cluster,
  daysFromNow,
  observation,
  scaleSet,
  secretFor,
  spec,
  tp,
  version,
  type Spec,
} from './fixtures.js';
import { drive, violations } from './invariants.js';

const versionArb = (index: number) =>
  fc
    .record({
      notBeforeDays: fc.integer({ min: -400, max: -1 }),
      lifetimeDays: fc.integer({ min: 30, max: 800 }),
      unpinned: fc.oneof(
        { weight: 6, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      enabled: fc.oneof(
        { weight: 9, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      selfSigned: fc.oneof(
        { weight: 19, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    })
    .map((r) =>
      version(`v${index}`, index, {
        notBefore: daysFromNow(r.notBeforeDays),
        notAfter: daysFromNow(r.notBeforeDays + r.lifetimeDays),
        // Creation order is the list order; NotBefore is independent of it (backdated renewals exist).
        created: daysFromNow(-500 + index * 20),
        issuer: r.unpinned ? OTHER_ISSUER : ISSUER,
        enabled: r.enabled,
        selfSigned: r.selfSigned,
      }),
    );

const versionsArb = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => versionArb(i))));

const FOREIGN = tp('foreign-old-cert');

/** A thumbprint reference: one of the vault versions, a certificate from elsewhere, or none. */
const pick = (versions: VaultVersionObservation[]) =>
  fc.oneof(fc.constantFrom(...versions.map((v) => v.thumbprint!)), fc.constant(FOREIGN));

interface Shape {
  versions: VaultVersionObservation[];
  world: ServiceFabricObservation;
}

const worldArb: fc.Arbitrary<Shape> = versionsArb.chain((versions) =>
  fc
    .record({
      primary: pick(versions),
      secondary: fc.option(pick(versions), { nil: undefined }),
      codeVersion: fc.constantFrom('7.1.503.9590', '7.2.445.9590', '10.1.1951.9590'),
      clusterState: fc.oneof(
        { weight: 4, arbitrary: fc.constant('Ready') },
        { weight: 1, arbitrary: fc.constant('UpdatingUserCertificate') },
      ),
      commonNameDeclared: fc.oneof(
        { weight: 6, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      canRead: fc.constantFrom(true, true, false, undefined),
      perScaleSet: fc.array(
        fc.record({
          installed: fc.subarray(versions),
          busy: fc.oneof(
            { weight: 5, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
          lagging: fc.oneof(
            { weight: 5, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
          // Without vmss/<name>.instances.json completion is judged from provisioningState alone.
          noInstanceData: fc.oneof(
            { weight: 5, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
          manual: fc.oneof(
            { weight: 12, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
          extension: fc.constantFrom('none', 'none', 'matching', 'transitioning'),
          // The Service Fabric extension usually names the cluster's primary; sometimes it lags behind or
          // was edited by hand (another version, a secondary, a certificate from elsewhere).
          sfExtension: fc.oneof(
            { weight: 4, arbitrary: fc.constant(undefined) },
            {
              weight: 1,
              arbitrary: fc.record({
                primary: pick(versions),
                secondary: fc.option(pick(versions), { nil: undefined }),
              }),
            },
          ),
        }),
        { minLength: 2, maxLength: 2 },
      ),
    })
    .map((r) => {
      const base = observation({
        versions,
        cluster: r.commonNameDeclared
          ? {
              ...cluster(undefined, undefined, r.codeVersion),
              certificateCommonNames: {
                commonNames: [{ commonName: CN, issuerThumbprints: [ISSUER] }],
                x509StoreName: 'My',
              },
            }
          : { ...cluster(r.primary, r.secondary, r.codeVersion), clusterState: r.clusterState },
        canRead: r.canRead,
      });
      const scaleSets = ['nt0vm', 'nt1vm'].map((name, i): ScaleSetObservation => {
        const p = r.perScaleSet[i]!;
        const ss = scaleSet(name, p.installed, r.primary);
        const ext =
          p.extension === 'none'
            ? []
            : [
                {
                  name: 'KVVMExtension',
                  publisher: 'Microsoft.Azure.KeyVault',
                  type: 'KeyVaultForWindows',
                  typeHandlerVersion: '3.0',
                  settingsForm: 'objects' as const,
                  pollingIntervalInS: 3600,
                  linkOnRenewal: false,
                  requireInitialSync: true,
                  observedCertificates: [
                    {
                      url: 'https://kv1.vault.azure.net/secrets/cluster-cert',
                      certificateStoreName: 'My',
                      certificateStoreLocation: 'LocalMachine',
                    },
                  ],
                  msiClientId: '11111111-2222-3333-4444-555555555555',
                  msiEndpoint: 'http://169.254.169.254/metadata/identity',
                },
              ];
        const sf = ss.serviceFabricExtension;
        return {
          ...ss,
          serviceFabricExtension:
            sf === undefined || p.sfExtension === undefined
              ? sf
              : {
                  ...sf,
                  certificateThumbprint: p.sfExtension.primary,
                  certificateSecondaryThumbprint: p.sfExtension.secondary,
                },
          secrets: p.installed.map(secretFor),
          provisioningState: p.busy ? 'Updating' : 'Succeeded',
          upgradeMode: p.manual ? 'Manual' : 'Automatic',
          keyVaultExtensions: ext,
          instances: p.noInstanceData
            ? undefined
            : ss.instances?.map((inst, k) => ({
                ...inst,
                latestModelApplied: !(p.lagging && k === 0),
                extensions: extensionStatuses(ext.length > 0, p.extension === 'transitioning' && k === 1),
              })),
        };
      });
      return { versions, world: { ...base, scaleSets } };
    }),
);

function extensionStatuses(installed: boolean, transitioning: boolean): Record<string, ExtensionStatus> {
  return installed ? { KVVMExtension: transitioning ? 'transitioning' : 'succeeded' } : {};
}

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    mode: fc.constantFrom('CommonName' as const, 'Thumbprint' as const),
    grantVaultAccess: fc.boolean(),
    quarantine: fc.boolean(),
    suspend: fc.oneof(
      { weight: 6, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    manual: fc.oneof(
      { weight: 4, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    linkOnRenewal: fc.oneof(
      { weight: 6, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
    extraPin: fc.oneof(
      { weight: 6, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  })
  .map((r) => {
    const base = spec({}, { issuerThumbprints: r.extraPin ? [ISSUER, OTHER_ISSUER] : [ISSUER] });
    return {
      ...base,
      mode: r.mode,
      identity: { ...base.identity, grantVaultAccess: r.grantVaultAccess },
      keyVaultExtension: { ...base.keyVaultExtension, linkOnRenewal: r.linkOnRenewal },
      policy: {
        ...base.policy,
        quarantineUntrustedVersions: r.quarantine,
        suspend: r.suspend,
        approval: r.manual ? ('Manual' as const) : ('Automatic' as const),
      },
    };
  });

const approvedArb = fc.option(fc.constantFrom(...Object.values(Step)), { nil: undefined });

describe('planner properties', () => {
  it('never proposes an invalid transition, a step before its prerequisites, or changes despite a blocking hazard', () => {
    fc.assert(
      fc.property(specArb, worldArb, approvedArb, (s, { world }, approvedStep) => {
        const plan = planServiceFabric(s, world, NOW, { approvedStep });
        expect(violations(s, world, plan)).toEqual([]);
        const blocking = plan.hazards.some((h) => h.severity === Severity.Blocking);
        if (blocking) expect(plan.phase === Phase.Blocked || plan.phase === Phase.Stalled).toBe(true);
        if (s.policy.suspend) expect(plan.steps.every((st) => st.changes.length === 0)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('is pure: the same inputs give the same plan', () => {
    fc.assert(
      fc.property(specArb, worldArb, (s, { world }) => {
        const before = structuredClone(world);
        const a = planServiceFabric(s, world, NOW);
        expect(world).toEqual(before);
        expect(planServiceFabric(s, world, NOW)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  it('driving the plan stays safe at every round and reaches Steady when nothing blocks', () => {
    fc.assert(
      fc.property(specArb, worldArb, (s0, { world }) => {
        // Gates that only hold changes back are covered above; here the operator is free to act.
        const s = { ...s0, policy: { ...s0.policy, suspend: false, approval: 'Automatic' as const } };
        const result = drive(s, world, NOW, 40);
        expect(result.violations).toEqual([]);
        const last = result.plans.at(-1)!;
        if (last.phase === Phase.Steady && s.mode === 'CommonName') {
          expect(result.final.cluster.certificate).toBeUndefined();
          expect(result.final.cluster.certificateCommonNames?.commonNames[0]?.commonName).toBe(CN);
        }
        if (last.phase === Phase.Steady && s.mode === 'Thumbprint') {
          const latest = result.final.vault.versions.filter((v) => v.enabled).at(-1);
          expect(result.final.cluster.certificate).toMatchObject({
            thumbprint: latest?.thumbprint,
            thumbprintSecondary: undefined,
          });
          // Every node type's Service Fabric extension declares the new thumbprint alone (ARM step 3 of
          // the rollover [SF-UPD]), and the scale set model still holds that certificate.
          for (const ss of result.final.scaleSets) {
            expect(ss.serviceFabricExtension).toMatchObject({
              certificateThumbprint: latest?.thumbprint,
              certificateSecondaryThumbprint: undefined,
              certificateCommonNames: [],
            });
            expect(ss.secrets.some((x) => x.version === latest?.version)).toBe(true);
          }
        }
        // A world with no blocking hazard, no stall and no held step ends Steady.
        if (last.phase !== Phase.Blocked && last.phase !== Phase.Stalled)
          expect(last.phase).toBe(Phase.Steady);
      }),
      { numRuns: 250 },
    );
  });
});
