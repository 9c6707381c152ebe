// Scenario "scale" (the benchmark's world, design §9): N thumbprint-declared Service Fabric clusters, each
// in its own resource group with three small node types, sharing C distinct CA-issued vault certificates
// (cluster i uses certificate i mod C) in the demo vault, and one user-assigned identity. Node counts are
// kept at one per scale set so that a thousand clusters stay cheap to simulate; the operator's work per
// cluster (reads, plans, steps) does not depend on the node count.
//
// With `seedScalePools`, also P Batch accounts' pools (the batch demo's shape, scenarios/batch.ts): one
// BatchPoolCertificateRotation per pool on the same shared certificates (pool j uses certificate j mod C),
// through one user-assigned identity; the operator creates each pool from its `body`.
//
// Not registered in scenarios/index.ts (owned by AZ-ARM): the bench starts the default scenario and then
// calls `seedScaleClusters` on the same emulator, or uses `scaleScenario(options)` directly.
import type { Scenario, ScenarioContext, ScenarioResult } from './common.js';
import {
  DEMO_LOCATION,
  DEMO_RESOURCE_GROUP,
  DEMO_SUBSCRIPTION_ID,
  DEMO_VAULT,
  certificatePolicy,
  identityResourceIdOf,
  seedVaultAndPki,
  vaultResourceIdOf,
} from './common.js';
import { SF_CODE_VERSION, serviceFabricScaleSet } from './servicefabric.js';

/** The Ubuntu 22.04 image of every sandbox Batch pool (the sample's, deploy/samples). */
export const UBUNTU_POOL_IMAGE = {
  imageReference: {
    publisher: 'canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts',
    version: 'latest',
  },
  nodeAgentSkuId: 'batch.node.ubuntu 22.04',
} as const;

export interface ScaleOptions {
  /** Clusters to seed (one resource group each). */
  readonly clusters: number;
  /** Distinct vault certificates shared by the clusters (default min(100, clusters)). */
  readonly certificates?: number;
  /** Node types (scale sets) per cluster (default 3). */
  readonly nodeTypes?: number;
  /** Instances per scale set (default 1). */
  readonly nodesPerType?: number;
  /** Namespace of the custom resources (default `bench`). */
  readonly namespace?: string;
  /** The vault issuer's direct CA thumbprint, pinned in every resource. */
  readonly issuerThumbprint: string;
  /** Name prefix of the seeded resources (default `kvr-scale`). */
  readonly prefix?: string;
  /**
   * `shared` (default): every cluster in the vault's resource group, node types named `n<i>t<t>`;
   * `per-cluster`: one resource group per cluster, node types `nt<t>` (the operator must then find the
   * vault's group from the scale sets' `sourceVault`).
   */
  readonly layout?: 'shared' | 'per-cluster';
}

export interface ScaleCluster {
  readonly resourceGroup: string;
  readonly cluster: string;
  readonly certificate: string;
  readonly commonName: string;
  readonly nodeTypes: readonly string[];
}

export interface ScaleSeed {
  readonly clusters: readonly ScaleCluster[];
  readonly certificates: readonly string[];
  readonly identityId: string;
  /** One `ServiceFabricCertificateRotation` object per cluster, ready for the Kubernetes emulator. */
  readonly resources: readonly Record<string, unknown>[];
}

export const SCALE_IDENTITY = 'kvr-scale-identity';
export const SCALE_POOL_IDENTITY = 'kvr-scale-pool-identity';
/** Pools per seeded Batch account (Batch's default pool quota per account is 100). */
export const SCALE_POOLS_PER_ACCOUNT = 100;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Seeds the clusters into an emulator whose demo vault and issuer exist already (after the default
 * scenario, or `seedVaultAndPki`). Returns the custom resources to create.
 */
export async function seedScaleClusters(ctx: ScenarioContext, options: ScaleOptions): Promise<ScaleSeed> {
  const { azure, sim } = ctx;
  const count = options.clusters;
  const certCount = Math.max(1, Math.min(options.certificates ?? 100, count));
  const nodeTypeCount = options.nodeTypes ?? 3;
  const capacity = options.nodesPerType ?? 1;
  const prefix = options.prefix ?? 'kvr-scale';
  const namespace = options.namespace ?? 'bench';
  const subscriptionId = azure.subscriptionId;
  const width = String(Math.max(count, certCount)).length;

  const certificates: { name: string; commonName: string; secretId: string; thumbprint: string }[] = [];
  for (let c = 0; c < certCount; c++) {
    const name = `${prefix}-cert-${pad(c, width)}`;
    const commonName = `${prefix}-${pad(c, width)}.contoso.com`;
    const version = await azure.certificates.seedVersion(DEMO_VAULT, name, certificatePolicy(commonName));
    certificates.push({ name, commonName, secretId: version.secretId, thumbprint: version.thumbprint });
  }
  if (azure.getResourceGroup(DEMO_RESOURCE_GROUP) === undefined)
    azure.addResourceGroup(DEMO_RESOURCE_GROUP, DEMO_LOCATION);
  if (
    azure.identities.userAssignedIdentity(subscriptionId, DEMO_RESOURCE_GROUP, SCALE_IDENTITY) === undefined
  ) {
    azure.identities.addUserAssignedIdentity({
      subscriptionId,
      resourceGroup: DEMO_RESOURCE_GROUP,
      name: SCALE_IDENTITY,
      location: DEMO_LOCATION,
    });
  }
  const identityId = identityResourceIdOf(azure, SCALE_IDENTITY);
  const vaultId = vaultResourceIdOf(azure);

  const clusters: ScaleCluster[] = [];
  const resources: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const cert = certificates[i % certCount]!;
    const perCluster = options.layout === 'per-cluster';
    const resourceGroup = perCluster ? `${prefix}-rg-${pad(i, width)}` : DEMO_RESOURCE_GROUP;
    const cluster = `${prefix}-sf-${pad(i, width)}`;
    if (azure.getResourceGroup(resourceGroup) === undefined)
      azure.addResourceGroup(resourceGroup, DEMO_LOCATION);
    // Node type names double as scale-set names and computer-name prefixes (≤ 9 characters).
    const nodeTypes = Array.from({ length: nodeTypeCount }, (_, t) => (perCluster ? `nt${t}` : `n${i}t${t}`));
    const clusterEndpoint = `https://${DEMO_LOCATION}.servicefabric.azure.com/runtime/clusters/${cluster}`;
    for (const nt of nodeTypes) {
      sim.createScaleSet(
        subscriptionId,
        resourceGroup,
        nt,
        serviceFabricScaleSet(
          nt,
          DEMO_LOCATION,
          capacity,
          vaultId,
          cert.secretId,
          cert.thumbprint,
          clusterEndpoint,
        ),
      );
    }
    sim.createCluster(subscriptionId, resourceGroup, cluster, {
      location: DEMO_LOCATION,
      tags: {},
      properties: {
        certificate: { thumbprint: cert.thumbprint, x509StoreName: 'My' },
        clusterCodeVersion: SF_CODE_VERSION,
        clusterEndpoint,
        managementEndpoint: `https://${cluster}.${DEMO_LOCATION}.cloudapp.azure.com:19080`,
        reliabilityLevel: 'Bronze',
        upgradeMode: 'Manual',
        vmImage: 'Windows',
        fabricSettings: [],
        nodeTypes: nodeTypes.map((name, t) => ({
          name,
          isPrimary: t === 0,
          vmInstanceCount: capacity,
          durabilityLevel: 'Bronze',
          clientConnectionEndpointPort: 19000,
          httpGatewayEndpointPort: 19080,
        })),
      },
    });
    clusters.push({ resourceGroup, cluster, certificate: cert.name, commonName: cert.commonName, nodeTypes });
    resources.push({
      apiVersion: 'kvrollover.io/v1alpha1',
      kind: 'ServiceFabricCertificateRotation',
      metadata: { name: cluster, namespace },
      spec: {
        azure: { subscriptionId, resourceGroup },
        cluster: { name: cluster, nodeTypes: nodeTypes.map((name) => ({ name, vmssName: name })) },
        certificate: {
          vault: DEMO_VAULT,
          name: cert.name,
          commonName: cert.commonName,
          issuerThumbprints: [options.issuerThumbprint],
        },
        mode: 'CommonName',
        identity: { resourceId: identityId, grantVaultAccess: true },
        keyVaultExtension: { pollingIntervalInS: 3600 },
        policy: { approval: 'Automatic' },
      },
    });
  }
  return { clusters, certificates: certificates.map((c) => c.name), identityId, resources };
}

export interface ScalePoolOptions {
  readonly pools: number;
  /** The vault certificates to share (e.g. `ScaleSeed.certificates`); pool j uses j mod length. */
  readonly certificates: readonly string[];
  readonly issuerThumbprint: string;
  /** Nodes per pool (default 1). */
  readonly nodesPerPool?: number;
  readonly namespace?: string;
  readonly prefix?: string;
}

export interface ScalePool {
  readonly account: string;
  readonly pool: string;
  readonly certificate: string;
}

export interface ScalePoolSeed {
  readonly accounts: readonly string[];
  readonly pools: readonly ScalePool[];
  readonly identityId: string;
  /** One `BatchPoolCertificateRotation` per pool, as deploy/samples/batchpoolcertificaterotation.yaml. */
  readonly resources: readonly Record<string, unknown>[];
}

/**
 * Seeds Batch accounts (no pools: the operator creates them) and one identity for the pools' KeyVault
 * extension, in the demo vault's resource group. Returns the custom resources to create.
 */
export function seedScalePools(ctx: ScenarioContext, options: ScalePoolOptions): ScalePoolSeed {
  const { azure, sim } = ctx;
  const prefix = options.prefix ?? 'kvr-scale';
  const namespace = options.namespace ?? 'bench';
  const subscriptionId = azure.subscriptionId;
  if (options.certificates.length === 0)
    throw new RangeError('seedScalePools needs at least one certificate');
  if (azure.getResourceGroup(DEMO_RESOURCE_GROUP) === undefined)
    azure.addResourceGroup(DEMO_RESOURCE_GROUP, DEMO_LOCATION);
  const identity =
    azure.identities.userAssignedIdentity(subscriptionId, DEMO_RESOURCE_GROUP, SCALE_POOL_IDENTITY) ??
    azure.identities.addUserAssignedIdentity({
      subscriptionId,
      resourceGroup: DEMO_RESOURCE_GROUP,
      name: SCALE_POOL_IDENTITY,
      location: DEMO_LOCATION,
    });
  const identityId = identityResourceIdOf(azure, SCALE_POOL_IDENTITY);
  const width = String(Math.max(options.pools, 1)).length;
  // Batch account names: 3–24 lower-case letters and digits.
  const accountBase = prefix
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 16);
  const accounts: string[] = [];
  const pools: ScalePool[] = [];
  const resources: Record<string, unknown>[] = [];
  for (let j = 0; j < options.pools; j++) {
    const a = Math.floor(j / SCALE_POOLS_PER_ACCOUNT);
    const account = `${accountBase}b${a}`;
    if (accounts[a] === undefined) {
      if (sim.batchAccount(subscriptionId, DEMO_RESOURCE_GROUP, account) === undefined)
        sim.createBatchAccount(subscriptionId, DEMO_RESOURCE_GROUP, account, DEMO_LOCATION);
      accounts[a] = account;
    }
    const pool = `${prefix}-pool-${pad(j, width)}`;
    const certificate = options.certificates[j % options.certificates.length]!;
    pools.push({ account, pool, certificate });
    resources.push({
      apiVersion: 'kvrollover.io/v1alpha1',
      kind: 'BatchPoolCertificateRotation',
      metadata: { name: pool, namespace },
      spec: {
        azure: { subscriptionId, resourceGroup: DEMO_RESOURCE_GROUP },
        batchAccount: account,
        pool: {
          name: pool,
          body: {
            properties: {
              vmSize: 'STANDARD_D2S_V3',
              deploymentConfiguration: { virtualMachineConfiguration: UBUNTU_POOL_IMAGE },
              scaleSettings: {
                fixedScale: { targetDedicatedNodes: options.nodesPerPool ?? 1, resizeTimeout: 'PT15M' },
              },
            },
          },
        },
        certificates: [
          {
            secretId: `https://${DEMO_VAULT}.vault.azure.net/secrets/${certificate}`,
            storeLocation: '/var/lib/waagent/Microsoft.Azure.KeyVault.Store',
          },
        ],
        certificate: { vault: DEMO_VAULT, name: certificate, issuerThumbprints: [options.issuerThumbprint] },
        identity: { resourceId: identityId, clientId: identity.clientId, grantVaultAccess: true },
        keyVaultExtension: { type: 'KeyVaultForLinux' },
        policy: { recreate: 'Never' },
      },
    });
  }
  return { accounts, pools, identityId, resources };
}

/** The scale world as a standalone scenario (vault and PKI included). */
export function scaleScenario(options: Omit<ScaleOptions, 'issuerThumbprint'>): Scenario {
  return {
    name: 'scale',
    description: `${options.clusters} thumbprint-declared Service Fabric clusters with ${options.nodeTypes ?? 3} node types each, sharing ${Math.min(options.certificates ?? 100, options.clusters)} vault certificates.`,
    async seed(ctx: ScenarioContext): Promise<ScenarioResult> {
      const pki = await seedVaultAndPki(ctx);
      const seeded = await seedScaleClusters(ctx, { ...options, issuerThumbprint: pki.issuingThumbprint });
      return {
        env: {
          KVROLLOVER_SANDBOX_RESOURCE_GROUP: DEMO_RESOURCE_GROUP,
          KVROLLOVER_SANDBOX_VAULT: DEMO_VAULT,
          KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT: pki.issuingThumbprint,
          KVROLLOVER_SANDBOX_IDENTITY_ID: seeded.identityId,
        },
        summary: [
          `${seeded.clusters.length} clusters in subscription ${ctx.azure.subscriptionId ?? DEMO_SUBSCRIPTION_ID}`,
          `${seeded.certificates.length} certificates in vault ${DEMO_VAULT}`,
        ],
      };
    },
  };
}
