// Scenario "scale" (the benchmark's world, design §9): N thumbprint-declared Service Fabric clusters, each
// in its own resource group with three small node types, sharing C distinct CA-issued vault certificates
// (cluster i uses certificate i mod C) in the demo vault, and one user-assigned identity. Node counts are
// kept at one per scale set so that a thousand clusters stay cheap to simulate; the operator's work per
// cluster (reads, plans, steps) does not depend on the node count.
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
