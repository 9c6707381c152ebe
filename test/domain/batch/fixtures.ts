// Builders for Batch planner tests: specs, raw REST bodies (pool.json, pool.nodes.json, vault access) and
// the observation parsed from them, so every planner test also goes through the real parser.
import type { BatchPoolCertificateRotationSpec } from '../../../src/api/index.js';
import { observeBatchPool, type BatchPoolObservation } from '../../../src/domain/batch/index.js';
import type { VaultVersionObservation } from '../../../src/domain/observed/index.js';
import {
  CLIENT_ID,
  IDENTITY_ID,
  ISSUER,
  PRINCIPAL_ID,
  RG,
  SUB,
  VAULT,
  VAULT_ID,
  version,
} from '../fixtures.js';

export {
  CLIENT_ID,
  IDENTITY_ID,
  ISSUER,
  NOW,
  OTHER_ISSUER,
  VAULT,
  daysFromNow,
  tp,
  version,
} from '../fixtures.js';

export type BatchSpec = BatchPoolCertificateRotationSpec;
export const ACCOUNT = 'acct1';
export const POOL = 'pool1';
export const SECRET = 'pool-cert';
export const SECRET_URL = `https://${VAULT}.vault.azure.net/secrets/${SECRET}`;
export const LINUX_STORE = '/var/lib/waagent/Microsoft.Azure.KeyVault.Store';
export const IMDS = 'http://169.254.169.254/metadata/identity';

export const USER_BODY = {
  properties: {
    vmSize: 'STANDARD_D2S_V3',
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: { publisher: 'canonical', offer: 'ubuntu', sku: '22_04-lts', version: 'latest' },
        nodeAgentSkuId: 'batch.node.ubuntu 22.04',
      },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 2, resizeTimeout: 'PT15M' } },
  },
};

export function batchSpec(overrides: Partial<BatchSpec> = {}): BatchSpec {
  return {
    azure: { subscriptionId: SUB, resourceGroup: RG },
    batchAccount: ACCOUNT,
    pool: { name: POOL, body: structuredClone(USER_BODY) },
    certificates: [{ secretId: SECRET_URL, storeLocation: LINUX_STORE }],
    certificate: { vault: VAULT, name: SECRET, issuerThumbprints: [ISSUER] },
    identity: { resourceId: IDENTITY_ID, clientId: CLIENT_ID, grantVaultAccess: true },
    keyVaultExtension: {
      pollingIntervalInS: 3600,
      linkOnRenewal: false,
      requireInitialSync: true,
      type: 'KeyVaultForLinux',
      typeHandlerVersion: '3.0',
    },
    policy: {
      expiryWarning: '30d',
      expiryCritical: '7d',
      approval: 'Automatic',
      maintenanceWindows: [],
      suspend: false,
      quarantineUntrustedVersions: false,
      recreate: 'Never',
    },
    ...overrides,
  };
}

/** The KeyVault extension of a pool as Azure returns it; v3.0 object form matching batchSpec() by default. */
export function kvExtension(
  o: {
    type?: string;
    typeHandlerVersion?: string;
    observed?: unknown[];
    requireInitialSync?: boolean;
    msiClientId?: string | undefined;
    msiEndpoint?: string | undefined;
    storeLocationShared?: string;
  } = {},
) {
  const auth: Record<string, string> = {};
  const endpoint = 'msiEndpoint' in o ? o.msiEndpoint : IMDS;
  const client = 'msiClientId' in o ? o.msiClientId : CLIENT_ID;
  if (endpoint !== undefined) auth['msiEndpoint'] = endpoint;
  if (client !== undefined) auth['msiClientId'] = client;
  return {
    name: 'KVExtensions',
    publisher: 'Microsoft.Azure.KeyVault',
    type: o.type ?? 'KeyVaultForLinux',
    typeHandlerVersion: o.typeHandlerVersion ?? '3.0',
    autoUpgradeMinorVersion: true,
    settings: {
      secretsManagementSettings: {
        pollingIntervalInS: '3600',
        requireInitialSync: o.requireInitialSync ?? true,
        ...(o.storeLocationShared === undefined ? {} : { certificateStoreLocation: o.storeLocationShared }),
        observedCertificates: o.observed ?? [{ url: SECRET_URL, certificateStoreLocation: LINUX_STORE }],
      },
      authenticationSettings: auth,
    },
  };
}

export interface PoolOptions {
  extensions?: unknown[];
  identities?: string[];
  allocationState?: string;
  provisioningState?: string;
  current?: number;
  target?: number;
  extra?: Record<string, unknown>;
}

/** `GET …/pools/{pool}` REST body. */
export function poolBody(o: PoolOptions = {}) {
  const ids = o.identities ?? [IDENTITY_ID];
  return {
    id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Batch/batchAccounts/${ACCOUNT}/pools/${POOL}`,
    name: POOL,
    type: 'Microsoft.Batch/batchAccounts/pools',
    etag: 'W/"0x8D"',
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: Object.fromEntries(
        ids.map((id) => [id, { principalId: PRINCIPAL_ID, clientId: CLIENT_ID }]),
      ),
    },
    properties: {
      ...structuredClone(USER_BODY.properties),
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          ...structuredClone(USER_BODY.properties.deploymentConfiguration.virtualMachineConfiguration),
          extensions: o.extensions ?? [kvExtension()],
        },
      },
      scaleSettings: { fixedScale: { targetDedicatedNodes: o.target ?? 2, resizeTimeout: 'PT15M' } },
      provisioningState: o.provisioningState ?? 'Succeeded',
      allocationState: o.allocationState ?? 'Steady',
      currentDedicatedNodes: o.current ?? o.target ?? 2,
      currentLowPriorityNodes: 0,
      ...o.extra,
    },
  };
}

export interface NodeOptions {
  id: string;
  running?: number;
  extension?: 'Succeeded' | 'Failed' | 'Creating' | undefined;
}

/** pool.nodes.json as src/azure/batch.ts listPoolNodes writes it. */
export function nodesBody(nodes: NodeOptions[]) {
  return {
    value: nodes.map((n) => ({
      id: n.id,
      state: (n.running ?? 0) > 0 ? 'running' : 'idle',
      runningTasksCount: n.running ?? 0,
    })),
    nodeExtensions: Object.fromEntries(
      nodes.map((n) => [
        n.id,
        n.extension === undefined
          ? []
          : [
              {
                provisioningState: n.extension,
                vmExtension: {
                  name: 'KVExtensions',
                  publisher: 'Microsoft.Azure.KeyVault',
                  type: 'KeyVaultForLinux',
                },
                instanceView: {
                  name: 'KVExtensions',
                  statuses: [{ code: `ProvisioningState/${n.extension.toLowerCase()}` }],
                },
              },
            ],
      ]),
    ),
  };
}

export const twoGoodNodes = () =>
  nodesBody([
    { id: 'tvm-1', extension: 'Succeeded' },
    { id: 'tvm-2', extension: 'Succeeded' },
  ]);

export function vaultAccessBody(canRead: boolean) {
  return {
    id: VAULT_ID,
    name: VAULT,
    properties: {
      tenantId: 'tenant',
      enableRbacAuthorization: false,
      accessPolicies: canRead
        ? [{ tenantId: 'tenant', objectId: PRINCIPAL_ID, permissions: { secrets: ['get', 'list'] } }]
        : [],
    },
  };
}

export interface WorldOptions {
  pool?: unknown;
  nodes?: unknown;
  canRead?: boolean;
  versions?: VaultVersionObservation[];
  autoRenew?: boolean;
}

export function batchObservation(o: WorldOptions = {}): BatchPoolObservation {
  const observed = observeBatchPool(POOL, {
    pool: 'pool' in o ? o.pool : poolBody(),
    ...('nodes' in o ? { nodes: o.nodes } : { nodes: twoGoodNodes() }),
    access: { [VAULT]: { vault: vaultAccessBody(o.canRead ?? true) } },
    identity: {
      id: IDENTITY_ID,
      properties: { principalId: PRINCIPAL_ID, clientId: CLIENT_ID, tenantId: 'tenant' },
    },
  });
  return {
    ...observed,
    vault: {
      name: SECRET,
      versions: o.versions ?? [version('v1', 0)],
      policy:
        o.autoRenew === false
          ? {
              issuerName: 'Unknown',
              subject: 'CN=pool.contoso.com',
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
            }
          : undefined,
      pendingOperation: false,
    },
  };
}
