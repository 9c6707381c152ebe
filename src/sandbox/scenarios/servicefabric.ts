// Scenario "servicefabric": a Service Fabric cluster `kvr-demo-sf` secured by THUMBPRINT with a
// CA-issued certificate (`kvr-demo-kv`/`cluster-cert`, CN cluster.contoso.com) provisioned as a
// scale-set secret on two node types (`nt1vm`, `nt2vm`, three nodes each), and a user-assigned
// identity `kvr-demo-identity` with no vault access yet — ready to be converted to common name with
// auto-rollover (design §4; azure.md §1.6).
import type { ScaleSetResource } from '../world/vmss-model.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './common.js';
import {
  DEMO_LOCATION,
  DEMO_RESOURCE_GROUP,
  DEMO_VAULT,
  certificatePolicy,
  identityResourceIdOf,
  seedVaultAndPki,
  vaultResourceIdOf,
} from './common.js';

export const SF_CLUSTER = 'kvr-demo-sf';
export const SF_CERTIFICATE = 'cluster-cert';
export const SF_COMMON_NAME = 'cluster.contoso.com';
export const SF_IDENTITY = 'kvr-demo-identity';
export const SF_NODE_TYPES = ['nt1vm', 'nt2vm'] as const;
export const SF_NODES_PER_TYPE = 3;
/** A runtime from 7.2.445 on: presentation picks the newest NotBefore [SF-CERTS]. */
export const SF_CODE_VERSION = '10.1.2175.9590';

/** A Service Fabric node type's scale set holding the cluster certificate as a versioned VMSS secret. */
export function serviceFabricScaleSet(
  name: string,
  location: string,
  capacity: number,
  vaultId: string,
  secretUrl: string,
  thumbprint: string,
  clusterEndpoint: string,
): ScaleSetResource {
  return {
    location,
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
        storageProfile: {
          imageReference: {
            publisher: 'MicrosoftWindowsServer',
            offer: 'WindowsServer',
            sku: '2022-Datacenter',
            version: 'latest',
          },
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

export const serviceFabricScenario: Scenario = {
  name: 'servicefabric',
  description:
    'Service Fabric cluster kvr-demo-sf secured by thumbprint (CA-issued cluster-cert as a VMSS secret on nt1vm and nt2vm), identity kvr-demo-identity without vault access: ready to convert to common name.',
  async seed(ctx: ScenarioContext): Promise<ScenarioResult> {
    const { azure, sim } = ctx;
    const pki = await seedVaultAndPki(ctx);
    const cert = await azure.certificates.seedVersion(
      DEMO_VAULT,
      SF_CERTIFICATE,
      certificatePolicy(SF_COMMON_NAME),
    );
    const identity =
      azure.identities.userAssignedIdentity(azure.subscriptionId, DEMO_RESOURCE_GROUP, SF_IDENTITY) ??
      azure.identities.addUserAssignedIdentity({
        subscriptionId: azure.subscriptionId,
        resourceGroup: DEMO_RESOURCE_GROUP,
        name: SF_IDENTITY,
        location: DEMO_LOCATION,
      });
    const clusterEndpoint = `https://${DEMO_LOCATION}.servicefabric.azure.com/runtime/clusters/${SF_CLUSTER}`;
    for (const name of SF_NODE_TYPES) {
      sim.createScaleSet(
        azure.subscriptionId,
        DEMO_RESOURCE_GROUP,
        name,
        serviceFabricScaleSet(
          name,
          DEMO_LOCATION,
          SF_NODES_PER_TYPE,
          vaultResourceIdOf(azure),
          cert.secretId,
          cert.thumbprint,
          clusterEndpoint,
        ),
      );
    }
    sim.createCluster(azure.subscriptionId, DEMO_RESOURCE_GROUP, SF_CLUSTER, {
      location: DEMO_LOCATION,
      tags: {},
      properties: {
        certificate: { thumbprint: cert.thumbprint, x509StoreName: 'My' },
        clusterCodeVersion: SF_CODE_VERSION,
        clusterEndpoint,
        managementEndpoint: `https://${SF_CLUSTER}.${DEMO_LOCATION}.cloudapp.azure.com:19080`,
        reliabilityLevel: 'Silver',
        upgradeMode: 'Manual',
        vmImage: 'Windows',
        fabricSettings: [],
        nodeTypes: SF_NODE_TYPES.map((name, i) => ({
          name,
          isPrimary: i === 0,
          vmInstanceCount: SF_NODES_PER_TYPE,
          durabilityLevel: 'Bronze',
          clientConnectionEndpointPort: 19000,
          httpGatewayEndpointPort: 19080,
        })),
      },
    });
    const identityId = identityResourceIdOf(azure, SF_IDENTITY);
    return {
      env: {
        KVROLLOVER_SANDBOX_RESOURCE_GROUP: DEMO_RESOURCE_GROUP,
        KVROLLOVER_SANDBOX_VAULT: DEMO_VAULT,
        KVROLLOVER_SANDBOX_VAULT_URI: `https://${DEMO_VAULT}.vault.azure.net/`,
        KVROLLOVER_SANDBOX_CERTIFICATE: SF_CERTIFICATE,
        KVROLLOVER_SANDBOX_COMMON_NAME: SF_COMMON_NAME,
        KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT: pki.issuingThumbprint,
        KVROLLOVER_SANDBOX_CLUSTER: SF_CLUSTER,
        KVROLLOVER_SANDBOX_NODE_TYPES: SF_NODE_TYPES.join(','),
        KVROLLOVER_SANDBOX_IDENTITY_ID: identityId,
        KVROLLOVER_SANDBOX_IDENTITY_CLIENT_ID: identity.clientId,
      },
      summary: [
        `Service Fabric cluster ${SF_CLUSTER} (thumbprint ${cert.thumbprint}, runtime ${SF_CODE_VERSION})`,
        `node types ${SF_NODE_TYPES.join(', ')}: ${SF_NODES_PER_TYPE} nodes each, cluster-cert ${cert.version} as a VMSS secret`,
        `vault https://${DEMO_VAULT}.vault.azure.net/ certificate ${SF_CERTIFICATE} (CN ${SF_COMMON_NAME}, issuer ${pki.issuingThumbprint})`,
        `identity ${identityId} (client id ${identity.clientId}; no vault access yet)`,
      ],
    };
  },
};
