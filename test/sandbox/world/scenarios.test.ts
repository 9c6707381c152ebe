// The seed scenarios over the real vault store and CAs (no HTTP): what they seed, and the full
// thumbprint → common-name conversion followed by auto-rollover, judged by the availability oracle.
import { afterEach, describe, expect, it } from 'vitest';
import { AzureWorld } from '../../../src/sandbox/azure/world.js';
import {
  BATCH_ACCOUNT,
  BATCH_IDENTITY_CLIENT_ID,
  DEMO_RESOURCE_GROUP,
  SF_CLUSTER,
  SF_COMMON_NAME,
  SF_NODE_TYPES,
  batchScenario,
  serviceFabricScenario,
} from '../../../src/sandbox/scenarios/index.js';
import { attachSimulatedWorld } from '../../../src/sandbox/world/attach.js';
import type { SimWorld } from '../../../src/sandbox/world/world.js';

const HOUR = 3_600_000;
let sim: SimWorld | undefined;

afterEach(() => {
  sim?.dispose();
  sim = undefined;
});

async function seeded(scenario = serviceFabricScenario) {
  const azure = new AzureWorld({ throttling: false });
  sim = attachSimulatedWorld(azure, { upgradeDomainDurationMs: 60_000 });
  const result = await scenario.seed({ azure, sim });
  return { azure, sim, result };
}

function grant(azure: AzureWorld, clientId: string): void {
  const principal = azure.identities.byClientId(clientId)!;
  azure.vaults.getVault('kvr-demo-kv')!.accessPolicies.push({
    tenantId: azure.tenantId,
    objectId: principal.objectId,
    permissions: { secrets: ['get', 'list'] },
  });
}

describe('scenario "servicefabric"', () => {
  it('seeds a Ready thumbprint cluster whose every node holds the CA-issued vault certificate', async () => {
    const { azure, sim: world, result } = await seeded();
    const cluster = world.cluster(azure.subscriptionId, DEMO_RESOURCE_GROUP, SF_CLUSTER)!;
    const latest = azure.vaults.latestCertificateVersion('kvr-demo-kv', 'cluster-cert')!;
    expect(cluster.clusterState()).toBe('Ready');
    expect(cluster.properties().certificate?.thumbprint).toBe(latest.thumbprint);
    expect(result.env['KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT']).toBe(latest.issuerThumbprint);
    const nodes = world.clusterNodes(cluster);
    expect(nodes).toHaveLength(6);
    for (const node of nodes) expect(node.store.get(latest.thumbprint)?.hasPrivateKey).toBe(true);
    expect(world.availableNow(cluster).available).toBe(true);
    expect(
      SF_NODE_TYPES.map((n) => world.scaleSet(azure.subscriptionId, DEMO_RESOURCE_GROUP, n)?.upgradeMode()),
    ).toEqual(['Automatic', 'Automatic']);
  });

  async function converted() {
    const { azure, sim: world, result } = await seeded();
    const sub = azure.subscriptionId;
    const cluster = world.cluster(sub, DEMO_RESOURCE_GROUP, SF_CLUSTER)!;
    const clientId = result.env['KVROLLOVER_SANDBOX_IDENTITY_CLIENT_ID']!;
    const identityId = result.env['KVROLLOVER_SANDBOX_IDENTITY_ID']!;
    const issuer = result.env['KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT']!;
    world.availability.reset();

    grant(azure, clientId);
    for (const name of SF_NODE_TYPES) {
      const scaleSet = world.scaleSet(sub, DEMO_RESOURCE_GROUP, name)!;
      const next = structuredClone(scaleSet.resource);
      next.identity = { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } };
      const profile = next.properties!.virtualMachineProfile!;
      profile.osProfile!.secrets = [];
      const sfExt = profile.extensionProfile!.extensions![0]!;
      sfExt.properties!.provisionAfterExtensions = ['KVVMExtension'];
      (sfExt.properties!.settings as { certificate: unknown }).certificate = {
        commonNames: [SF_COMMON_NAME],
        x509StoreName: 'My',
      };
      profile.extensionProfile!.extensions = [
        {
          name: 'KVVMExtension',
          properties: {
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
                    url: 'https://kvr-demo-kv.vault.azure.net/secrets/cluster-cert',
                    certificateStoreName: 'MY',
                    certificateStoreLocation: 'LocalMachine',
                  },
                ],
              },
              authenticationSettings: {
                msiEndpoint: 'http://169.254.169.254/metadata/identity',
                msiClientId: clientId,
              },
            },
          },
        },
        sfExt,
      ];
      expect(scaleSet.write(next, world.now()).status).toBe('Succeeded');
    }
    const conversion = world.updateCluster(cluster, {
      ...cluster.properties(),
      certificate: null,
      certificateCommonNames: {
        commonNames: [{ certificateCommonName: SF_COMMON_NAME, certificateIssuerThumbprint: issuer }],
        x509StoreName: 'My',
      },
    });
    expect(conversion.ok && conversion.flow.steps.length).toBe(3);
    while (cluster.upgradeInProgress()) azure.clock.advance(60_000);
    const spare = azure.cas.all().find((ca) => ca.name === 'Contoso Sandbox Issuing CA 2')!;
    return { azure, world, cluster, spare };
  }

  it('converts to common name without an outage, rolls over by itself, and breaks on an undeclared issuer', async () => {
    const { azure, world, cluster, spare } = await converted();
    expect(world.availability.everUnavailable()).toBe(false);

    const renewed = await azure.certificates.renewNow('kvr-demo-kv', 'cluster-cert');
    azure.clock.advance(HOUR + 1000);
    expect(world.availability.everUnavailable()).toBe(false);
    expect(new Set(Object.values(world.availableNow(cluster).presented))).toEqual(
      new Set([renewed.thumbprint]),
    );

    const rogue = await azure.certificates.renewNow('kvr-demo-kv', 'cluster-cert', { caId: spare.id });
    expect(rogue.issuerThumbprint).toBe(spare.thumbprint);
    azure.clock.advance(HOUR + 1000);
    const outage = world.availability.firstUnavailable();
    expect(outage?.failures.some((f) => f.reason.includes(`issuer ${spare.thumbprint} is not pinned`))).toBe(
      true,
    );
  });

  it('installs but never presents a renewal with an older NotBefore (runtime ≥ 7.2.445)', async () => {
    const { azure, world, cluster } = await converted();
    const current = azure.vaults.latestCertificateVersion('kvr-demo-kv', 'cluster-cert')!;
    const older = await azure.certificates.renewNow('kvr-demo-kv', 'cluster-cert', {
      notBefore: new Date(current.notBefore.getTime() - 86_400_000),
    });
    azure.clock.advance(HOUR + 1000);
    const nodes = world.clusterNodes(cluster);
    expect(nodes.every((n) => n.store.has(older.thumbprint))).toBe(true);
    expect(new Set(Object.values(world.availableNow(cluster).presented))).toEqual(
      new Set([current.thumbprint]),
    );
    expect(world.availability.everUnavailable()).toBe(false);
  });

  it('stays available when an untrusted renewal is disabled before the extension polls (quarantine)', async () => {
    const { azure, world, cluster, spare } = await converted();
    const before = new Set(Object.values(world.availableNow(cluster).presented));
    const rogue = await azure.certificates.renewNow('kvr-demo-kv', 'cluster-cert', { caId: spare.id });
    const record = azure.vaults
      .getCertificate('kvr-demo-kv', 'cluster-cert')!
      .versions.find((v) => v.version === rogue.version)!;
    record.enabled = false;
    azure.clock.advance(2 * HOUR + 1000);
    // Key Vault refuses the versionless read of a disabled latest version: the nodes keep what they have.
    expect(world.availability.everUnavailable()).toBe(false);
    expect(new Set(Object.values(world.availableNow(cluster).presented))).toEqual(before);
    const node = world.clusterNodes(cluster)[0]!;
    const agent = node.extensions.get('KVVMExtension')!.agent!;
    expect([...agent.lastErrors.values()][0]).toContain('SecretDisabled');
  });
});

describe('scenario "batch"', () => {
  it('seeds the account and the identity the sample declares, with no pool', async () => {
    const { azure, sim: world, result } = await seeded(batchScenario);
    const account = world.batchAccount(azure.subscriptionId, DEMO_RESOURCE_GROUP, BATCH_ACCOUNT)!;
    expect(account.pools.size).toBe(0);
    expect(result.env['KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID']).toBe(BATCH_IDENTITY_CLIENT_ID);
    expect(result.env['KVROLLOVER_SANDBOX_BATCH_ENDPOINT']).toBe(
      'https://kvrdemobatch.westeurope.batch.azure.com',
    );
  });
});
