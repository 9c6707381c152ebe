import { DEMO_LOCATION, DEMO_RESOURCE_GROUP, DEMO_SUBSCRIPTION_ID, DEMO_VAULT, certificatePolicy, identityResourceIdOf, seedVaultAndPki, vaultResourceIdOf, } from './common.js';
import { SF_CODE_VERSION } from './servicefabric.js';
export const SCALE_IDENTITY = 'kvr-scale-identity';
const pad = (n, width) => String(n).padStart(width, '0');
function scaleSet(name, capacity, vaultId, secretUrl, thumbprint, clusterEndpoint) {
    return {
        location: DEMO_LOCATION,
        sku: { name: 'Standard_D2s_v3', tier: 'Standard', capacity },
        properties: {
            // A Service Fabric scale set can only use Automatic [VMSS-UP].
            upgradePolicy: { mode: 'Automatic' },
            overprovision: false,
            virtualMachineProfile: {
                osProfile: {
                    computerNamePrefix: name,
                    adminUsername: 'kvradmin',
                    windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true },
                    secrets: [
                        {
                            sourceVault: { id: vaultId },
                            vaultCertificates: [{ certificateUrl: secretUrl, certificateStore: 'My' }],
                        },
                    ],
                },
                extensionProfile: {
                    extensions: [
                        {
                            name: `ServiceFabricNodeVmExt_${name}`,
                            properties: {
                                publisher: 'Microsoft.Azure.ServiceFabric',
                                type: 'ServiceFabricNode',
                                typeHandlerVersion: '1.1',
                                autoUpgradeMinorVersion: true,
                                settings: {
                                    clusterEndpoint,
                                    nodeTypeRef: name,
                                    dataPath: 'D:\\SvcFab',
                                    durabilityLevel: 'Bronze',
                                    enableParallelJobs: true,
                                    certificate: { thumbprint, x509StoreName: 'My' },
                                },
                            },
                        },
                    ],
                },
            },
        },
    };
}
/**
 * Seeds the clusters into an emulator whose demo vault and issuer exist already (after the default
 * scenario, or `seedVaultAndPki`). Returns the custom resources to create.
 */
export async function seedScaleClusters(ctx, options) {
    const { azure, sim } = ctx;
    const count = options.clusters;
    const certCount = Math.max(1, Math.min(options.certificates ?? 100, count));
    const nodeTypeCount = options.nodeTypes ?? 3;
    const capacity = options.nodesPerType ?? 1;
    const prefix = options.prefix ?? 'kvr-scale';
    const namespace = options.namespace ?? 'bench';
    const subscriptionId = azure.subscriptionId;
    const width = String(Math.max(count, certCount)).length;
    const certificates = [];
    for (let c = 0; c < certCount; c++) {
        const name = `${prefix}-cert-${pad(c, width)}`;
        const commonName = `${prefix}-${pad(c, width)}.contoso.com`;
        const version = await azure.certificates.seedVersion(DEMO_VAULT, name, certificatePolicy(commonName));
        certificates.push({ name, commonName, secretId: version.secretId, thumbprint: version.thumbprint });
    }
    if (azure.getResourceGroup(DEMO_RESOURCE_GROUP) === undefined)
        azure.addResourceGroup(DEMO_RESOURCE_GROUP, DEMO_LOCATION);
    if (azure.identities.userAssignedIdentity(subscriptionId, DEMO_RESOURCE_GROUP, SCALE_IDENTITY) === undefined) {
        azure.identities.addUserAssignedIdentity({
            subscriptionId,
            resourceGroup: DEMO_RESOURCE_GROUP,
            name: SCALE_IDENTITY,
            location: DEMO_LOCATION,
        });
    }
    const identityId = identityResourceIdOf(azure, SCALE_IDENTITY);
    const vaultId = vaultResourceIdOf(azure);
    const clusters = [];
    const resources = [];
    for (let i = 0; i < count; i++) {
        const cert = certificates[i % certCount];
        const perCluster = options.layout === 'per-cluster';
        const resourceGroup = perCluster ? `${prefix}-rg-${pad(i, width)}` : DEMO_RESOURCE_GROUP;
        const cluster = `${prefix}-sf-${pad(i, width)}`;
        if (azure.getResourceGroup(resourceGroup) === undefined)
            azure.addResourceGroup(resourceGroup, DEMO_LOCATION);
        // Node type names double as scale-set names and computer-name prefixes (≤ 9 characters).
        const nodeTypes = Array.from({ length: nodeTypeCount }, (_, t) => (perCluster ? `nt${t}` : `n${i}t${t}`));
        const clusterEndpoint = `https://${DEMO_LOCATION}.servicefabric.azure.com/runtime/clusters/${cluster}`;
        for (const nt of nodeTypes) {
            sim.createScaleSet(subscriptionId, resourceGroup, nt, scaleSet(nt, capacity, vaultId, cert.secretId, cert.thumbprint, clusterEndpoint));
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
export function scaleScenario(options) {
    return {
        name: 'scale',
        description: `${options.clusters} thumbprint-declared Service Fabric clusters with ${options.nodeTypes ?? 3} node types each, sharing ${Math.min(options.certificates ?? 100, options.clusters)} vault certificates.`,
        async seed(ctx) {
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
//# sourceMappingURL=scale.js.map