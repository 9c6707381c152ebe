// A Service Fabric cluster secured by thumbprint, two node types, the certificate provisioned as a
// scale-set secret — the starting point of the oracle tests.
import type { VirtualClock } from '../../../src/sandbox/clock.js';
import type { ClusterSim } from '../../../src/sandbox/world/sf-cluster.js';
import type { ClusterProperties } from '../../../src/sandbox/world/sf-cluster-model.js';
import type { IdentityInfo, CertFacts, VaultSecretVersion } from '../../../src/sandbox/world/types.js';
import type { SimWorld } from '../../../src/sandbox/world/world.js';
import type { ScaleSetSim } from '../../../src/sandbox/world/scale-set.js';
import type { Ca, FakeVault } from './fixtures.js';
import { DAY, T0, ca, kvExtension, leaf, scaleSetResource, sfExtension } from './fixtures.js';

export const CN = 'cluster.contoso.com';
export const NODE_TYPES = ['nt1vm', 'nt2vm'] as const;

export interface ClusterFixture {
  readonly cluster: ClusterSim;
  readonly scaleSets: ScaleSetSim[];
  readonly issuer: Ca;
  readonly identity: IdentityInfo;
  readonly first: VaultSecretVersion;
}

export const days = (n: number): Date => new Date(T0.getTime() + n * DAY);

export function certFrom(issuer: Ca, notBeforeDays: number, label?: string): CertFacts {
  return leaf({
    cn: CN,
    issuer,
    notBefore: days(notBeforeDays),
    notAfter: days(notBeforeDays + 365),
    ...(label ? { label } : {}),
  });
}

export function thumbprintCluster(
  world: SimWorld,
  vault: FakeVault,
  codeVersion = '10.1.2175.9590',
): ClusterFixture {
  const issuer = ca('contoso-issuing-1');
  const identity = vault.addIdentity('kvr-demo-identity');
  const first = vault.add('cluster-cert', certFrom(issuer, -30, 'A'));
  const scaleSets = NODE_TYPES.map((name) =>
    world.createScaleSet(
      'sub',
      'rg',
      name,
      scaleSetResource({
        name,
        capacity: 3,
        secrets: [vault.url('cluster-cert', first.version)],
        extensions: [sfExtension(name, { thumbprint: first.certificate.thumbprint })],
      }),
    ),
  );
  const cluster = world.createCluster('sub', 'rg', 'kvr-demo-sf', {
    location: 'westeurope',
    properties: {
      certificate: { thumbprint: first.certificate.thumbprint, x509StoreName: 'My' },
      clusterCodeVersion: codeVersion,
      reliabilityLevel: 'Silver',
      upgradeMode: 'Manual',
      nodeTypes: NODE_TYPES.map((name, i) => ({
        name,
        isPrimary: i === 0,
        vmInstanceCount: 3,
        durabilityLevel: 'Bronze',
      })),
    },
  });
  return { cluster, scaleSets, issuer, identity, first };
}

/** Advances the clock one UD at a time until the cluster is Ready again (bounded). */
export function untilReady(clock: VirtualClock, cluster: ClusterSim, udMs = 60_000): number {
  let walked = 0;
  while (cluster.upgradeInProgress()) {
    clock.advance(udMs);
    walked += 1;
    if (walked > 200) throw new Error('cluster never became Ready');
  }
  return walked;
}

export function patchCluster(world: SimWorld, cluster: ClusterSim, change: Partial<ClusterProperties>): void {
  const result = world.updateCluster(cluster, { ...cluster.properties(), ...change });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
}

/** Sets one scale set's secrets (a PATCH of osProfile.secrets). */
export function setSecrets(scaleSet: ScaleSetSim, vault: FakeVault, versions: VaultSecretVersion[]): void {
  const next = structuredClone(scaleSet.resource);
  const profile = next.properties?.virtualMachineProfile;
  if (profile?.osProfile === undefined) throw new Error('no osProfile');
  profile.osProfile.secrets = [
    {
      sourceVault: { id: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv' },
      vaultCertificates: versions.map((v) => ({
        certificateUrl: vault.url(v.name, v.version),
        certificateStore: 'My',
      })),
    },
  ];
  scaleSet.write(next, scaleSet.instances[0]?.createdAt ?? T0);
}

/**
 * The autorollover VMSS change of [SF-MGMT]: identity, KeyVault extension observing the versionless
 * secret, Service Fabric extension by common name provisioned after it, versioned secret removed.
 */
export function installKeyVaultExtension(
  world: SimWorld,
  scaleSet: ScaleSetSim,
  vault: FakeVault,
  identity: IdentityInfo,
  options: { requireInitialSync?: boolean; pollingIntervalInS?: number; linkOnRenewal?: boolean } = {},
): void {
  const next = structuredClone(scaleSet.resource);
  next.identity = { type: 'UserAssigned', userAssignedIdentities: { [identity.resourceId]: {} } };
  const profile = next.properties?.virtualMachineProfile;
  if (profile?.osProfile === undefined) throw new Error('no osProfile');
  profile.osProfile.secrets = [];
  profile.extensionProfile = {
    extensions: [
      kvExtension(vault, {
        observed: [vault.url('cluster-cert')],
        clientId: identity.clientId,
        requireInitialSync: options.requireInitialSync ?? true,
        pollingIntervalInS: options.pollingIntervalInS ?? 3600,
        linkOnRenewal: options.linkOnRenewal ?? false,
      }),
      sfExtension(scaleSet.name, { commonNames: [CN] }, ['KVVMExtension']),
    ],
  };
  scaleSet.write(next, world.now());
}
