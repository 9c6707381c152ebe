// Microsoft.ServiceFabric/clusters through the real @azure/arm-servicefabric 3.0.0 client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceFabricManagementClient } from '@azure/arm-servicefabric';
import type { Cluster } from '@azure/arm-servicefabric';
import {
  DEMO_RESOURCE_GROUP,
  SF_CLUSTER,
  SF_COMMON_NAME,
  serviceFabricScenario,
} from '../../../src/sandbox/scenarios/index.js';
import type { WorldSandbox } from '../world/azure-fixture.js';
import { UD_MS, startWorldSandbox } from '../world/azure-fixture.js';
import { clientOptions, operatorCredential } from './helpers.js';

let env: WorldSandbox;
let sf: ServiceFabricManagementClient;
const RG = DEMO_RESOURCE_GROUP;
const POLL = { updateIntervalInMs: 5 };

beforeAll(async () => {
  env = await startWorldSandbox(serviceFabricScenario);
  const base = 'https://management.azure.com';
  sf = new ServiceFabricManagementClient(operatorCredential(env.sandbox), env.sandbox.subscriptionId, {
    ...clientOptions(env.sandbox),
    endpoint: base,
    credentialScopes: ['https://management.azure.com/.default'],
  });
});

afterAll(async () => {
  env?.sim.dispose();
  await env?.sandbox.close();
});

/** Walks the resource provider's upgrade on the virtual clock, one upgrade domain at a time. */
async function untilReady(): Promise<string[]> {
  const states: string[] = [];
  for (let i = 0; i < 100; i += 1) {
    const cluster = await sf.clusters.get(RG, SF_CLUSTER);
    states.push(cluster.clusterState ?? '');
    if (cluster.clusterState === 'Ready') return states;
    env.sandbox.clock.advance(UD_MS);
  }
  throw new Error('cluster never became Ready');
}

function withoutReadOnly(cluster: Cluster): Cluster {
  const {
    clusterState: _s,
    provisioningState: _p,
    availableClusterVersions: _a,
    clusterEndpoint: _e,
    clusterId: _i,
    ...rest
  } = cluster;
  return rest;
}

describe('Service Fabric clusters through @azure/arm-servicefabric', () => {
  it('gets the seeded thumbprint-secured cluster', async () => {
    const cluster = await sf.clusters.get(RG, SF_CLUSTER);
    expect(cluster.clusterState).toBe('Ready');
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.certificate?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(cluster.certificateCommonNames).toBeUndefined();
    expect(cluster.nodeTypes?.map((nt) => nt.name)).toEqual(['nt1vm', 'nt2vm']);
    expect(cluster.clusterCodeVersion).toBe('10.1.2175.9590');
  });

  it.each([
    [
      'InvalidCommonNameThumbprintPair',
      (c: Cluster): Cluster => ({
        ...c,
        certificateCommonNames: {
          commonNames: [{ certificateCommonName: SF_COMMON_NAME, certificateIssuerThumbprint: '' }],
        },
      }),
    ],
    [
      'InvalidCommonNameCount',
      (c: Cluster): Cluster => ({
        ...c,
        certificate: undefined,
        certificateCommonNames: {
          commonNames: ['a', 'b', 'c'].map((n) => ({
            certificateCommonName: `${n}.contoso.com`,
            certificateIssuerThumbprint: '',
          })),
        },
      }),
    ],
    [
      'DupeCommonNameNotAllowedForClusterCert',
      (c: Cluster): Cluster => ({
        ...c,
        certificate: undefined,
        certificateCommonNames: {
          commonNames: [SF_COMMON_NAME, SF_COMMON_NAME].map((n) => ({
            certificateCommonName: n,
            certificateIssuerThumbprint: '',
          })),
        },
      }),
    ],
    [
      'AuthenticationTypeCannotBeChangedByRemovingCertificate',
      (c: Cluster): Cluster => ({ ...c, certificate: undefined }),
    ],
    [
      'CertificateAndScaleUpgradeTogetherNotAllowed',
      (c: Cluster): Cluster => ({
        ...c,
        reliabilityLevel: 'Gold',
        certificate: { thumbprint: c.certificate!.thumbprint, thumbprintSecondary: 'B'.repeat(40) },
      }),
    ],
    [
      'InvalidCertificateIssuerThumbprints',
      (c: Cluster): Cluster => ({
        ...c,
        certificate: undefined,
        certificateCommonNames: {
          commonNames: [
            { certificateCommonName: SF_COMMON_NAME, certificateIssuerThumbprint: 'not-a-thumbprint' },
          ],
        },
      }),
    ],
  ])('rejects %s with 400 (PUT)', async (code, mutate) => {
    const current = withoutReadOnly(await sf.clusters.get(RG, SF_CLUSTER));
    await expect(
      sf.clusters.beginCreateOrUpdateAndWait(RG, SF_CLUSTER, mutate(current), POLL),
    ).rejects.toMatchObject({
      statusCode: 400,
      code,
    });
    expect((await sf.clusters.get(RG, SF_CLUSTER)).clusterState).toBe('Ready');
  });

  it('runs a thumbprint rollover through clusterState, refusing a second upgrade meanwhile, never unavailable', async () => {
    const renewed = await env.sandbox.world.certificates.renewNow('kvr-demo-kv', 'cluster-cert');
    // Install the new version on every node type first (osProfile.secrets, versioned URLs).
    for (const name of ['nt1vm', 'nt2vm']) {
      const scaleSet = env.sim.scaleSet(env.sandbox.subscriptionId, RG, name)!;
      const next = structuredClone(scaleSet.resource);
      next.properties!.virtualMachineProfile!.osProfile!.secrets![0]!.vaultCertificates!.push({
        certificateUrl: renewed.secretId,
        certificateStore: 'My',
      });
      scaleSet.write(next, env.sandbox.clock.now());
      expect(scaleSet.lastOperation?.status).toBe('Succeeded');
    }
    const old = (await sf.clusters.get(RG, SF_CLUSTER)).certificate!.thumbprint;
    const added = await sf.clusters.beginUpdateAndWait(
      RG,
      SF_CLUSTER,
      { certificate: { thumbprint: old, thumbprintSecondary: renewed.thumbprint, x509StoreName: 'My' } },
      POLL,
    );
    expect(added.provisioningState).toBe('Succeeded');
    expect(added.clusterState).toBe('UpdatingUserCertificate');
    await expect(
      sf.clusters.beginUpdateAndWait(
        RG,
        SF_CLUSTER,
        { certificate: { thumbprint: renewed.thumbprint, thumbprintSecondary: old } },
        POLL,
      ),
    ).rejects.toMatchObject({ statusCode: 409, code: 'ClusterUpgradeInProgress' });
    const states = await untilReady();
    expect(states.filter((s) => s === 'UpdatingUserCertificate').length).toBeGreaterThan(1);

    await sf.clusters.beginUpdateAndWait(
      RG,
      SF_CLUSTER,
      { certificate: { thumbprint: renewed.thumbprint, thumbprintSecondary: old } },
      POLL,
    );
    await untilReady();
    const done = await sf.clusters.beginUpdateAndWait(
      RG,
      SF_CLUSTER,
      { certificate: { thumbprint: renewed.thumbprint } },
      POLL,
    );
    expect(done.certificate?.thumbprintSecondary).toBeUndefined();
    await untilReady();

    const cluster = env.sim.cluster(env.sandbox.subscriptionId, RG, SF_CLUSTER)!;
    expect(cluster.upgrades.map((u) => u.steps)).toEqual([2, 2, 2]);
    expect(env.sim.availability.everUnavailable()).toBe(false);
    expect(new Set(Object.values(env.sim.availableNow(cluster).presented))).toEqual(
      new Set([renewed.thumbprint]),
    );
  });

  it('keeps `certificate` on a PATCH (the SDK drops null), so the conversion is a PUT in three steps, never unavailable', async () => {
    const issuer = env.seeded.env['KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT']!;
    const commonNames = {
      commonNames: [{ certificateCommonName: SF_COMMON_NAME, certificateIssuerThumbprint: issuer }],
      x509StoreName: 'My' as const,
    };
    await expect(
      sf.clusters.beginUpdateAndWait(RG, SF_CLUSTER, { certificateCommonNames: commonNames }, POLL),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidCommonNameThumbprintPair' });

    const { certificate: _dropped, ...rest } = withoutReadOnly(await sf.clusters.get(RG, SF_CLUSTER));
    const converted = await sf.clusters.beginCreateOrUpdateAndWait(
      RG,
      SF_CLUSTER,
      { ...rest, certificateCommonNames: commonNames },
      POLL,
    );
    expect(converted.certificate).toBeUndefined();
    expect(converted.certificateCommonNames?.commonNames?.[0]?.certificateIssuerThumbprint).toBe(issuer);
    expect(converted.clusterState).toBe('UpdatingUserCertificate');
    await untilReady();
    const cluster = env.sim.cluster(env.sandbox.subscriptionId, RG, SF_CLUSTER)!;
    expect(cluster.upgrades.at(-1)?.steps).toBe(3);
    expect(env.sim.availability.everUnavailable()).toBe(false);
  });

  it('answers 404 for an unknown cluster', async () => {
    await expect(sf.clusters.get(RG, 'nope')).rejects.toMatchObject({ statusCode: 404 });
  });
});
