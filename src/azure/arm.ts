// ARM adapter: Service Fabric clusters, VM scale sets, vaults (access policies / RBAC) and managed
// identities. Reads return the REST bodies ARM sent, unmodified (design §2 snapshot layout). Writes are
// the primitives the controller calls with the planner's declarative changes; long-running ones
// return a resumable `LroHandle`.
import { createHash } from 'node:crypto';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { restorePoller } from '@azure/arm-compute';
import type { VirtualMachineScaleSetExtension, VirtualMachineScaleSetUpdate } from '@azure/arm-compute';
import type { Cluster } from '@azure/arm-servicefabric';
import type { AzureClients } from './clients.js';
import { azureCall } from './errors.js';
import type { AzureCallContext } from './errors.js';
import type { RawJson } from './keyvault.js';
import { mergePages, parseRaw } from './keyvault.js';
import { LroKind, decodePollerState, handleFromPoller } from './lro.js';
import type { LroHandle } from './lro.js';
import { captureResponses, inOperation, lastSuccessful } from './pipeline.js';

function armCtx(operation: string, resource: string, permission: string): AzureCallContext {
  return { service: 'arm', operation, resource, permission };
}

const READER = 'Reader on the resource (Microsoft.*/read)';

async function rawGet(ctx: AzureCallContext, call: () => Promise<unknown>): Promise<RawJson> {
  return azureCall(ctx, async () => {
    const { responses } = await captureResponses(ctx.operation, call);
    return parseRaw(lastSuccessful(responses), ctx.operation);
  });
}

// ---- reads ----

/** `GET Microsoft.ServiceFabric/clusters/{name}` → `cluster.json`. */
export function getCluster(clients: AzureClients, resourceGroup: string, name: string): Promise<RawJson> {
  const c = armCtx(
    'getCluster',
    `Service Fabric cluster "${name}" in resource group "${resourceGroup}"`,
    READER,
  );
  return rawGet(c, () => clients.serviceFabric.clusters.get(resourceGroup, name));
}

/** `GET Microsoft.Compute/virtualMachineScaleSets/{name}` → `vmss/<name>.json`. */
export function getScaleSet(clients: AzureClients, resourceGroup: string, name: string): Promise<RawJson> {
  const c = armCtx('getScaleSet', `scale set "${name}" in resource group "${resourceGroup}"`, READER);
  return rawGet(c, () => clients.compute.virtualMachineScaleSets.get(resourceGroup, name));
}

/**
 * `GET …/virtualMachineScaleSets/{name}/virtualMachines?$expand=instanceView`, every page merged →
 * `vmss/<name>.instances.json` (`latestModelApplied`, per-extension statuses) [CMP-JS].
 */
export function listScaleSetInstances(
  clients: AzureClients,
  resourceGroup: string,
  name: string,
): Promise<RawJson> {
  const c = armCtx(
    'listScaleSetInstances',
    `instances of scale set "${name}" in resource group "${resourceGroup}"`,
    READER,
  );
  return azureCall(c, async () => {
    const { responses } = await captureResponses(c.operation, async () => {
      const pages = clients.compute.virtualMachineScaleSetVMs
        .list(resourceGroup, name, { expand: 'instanceView' })
        .byPage();
      for await (const page of pages) void page;
    });
    return mergePages(responses, c.operation);
  });
}

/** `GET Microsoft.KeyVault/vaults/{name}` → `vault/access.json` (access policies, `enableRbacAuthorization`). */
export function getVault(clients: AzureClients, resourceGroup: string, name: string): Promise<RawJson> {
  const c = armCtx('getVault', `vault "${name}" in resource group "${resourceGroup}"`, READER);
  return rawGet(c, () => clients.keyVaultManagement.vaults.get(resourceGroup, name));
}

export interface ArmResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly provider: string;
  readonly type: string;
  readonly name: string;
}

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}` (case-insensitive keys). */
export function parseArmResourceId(id: string): ArmResourceId | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/?$/i.exec(
      id.trim(),
    );
  if (m === null) return undefined;
  const [, subscriptionId, resourceGroup, provider, type, name] = m;
  if (!subscriptionId || !resourceGroup || !provider || !type || !name) return undefined;
  return { subscriptionId, resourceGroup, provider, type, name };
}

/** `GET Microsoft.ManagedIdentity/userAssignedIdentities/{name}` → `identity.json` (its `principalId`, `clientId`). */
export function getIdentity(clients: AzureClients, resourceId: string): Promise<RawJson> {
  const id = parseArmResourceId(resourceId);
  const c = armCtx('getIdentity', `user-assigned identity "${resourceId}"`, READER);
  if (id === undefined) {
    return Promise.reject(new RangeError(`not a user-assigned identity resource id: ${resourceId}`));
  }
  return rawGet(c, () =>
    clients.msiFor(id.subscriptionId).userAssignedIdentities.get(id.resourceGroup, id.name),
  );
}

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6'; // [KV-RBAC]
const ROLE_ASSIGNMENTS_API = '2022-04-01';

/**
 * Role assignments of `principalId` at the vault's scope (and inherited), for RBAC-model vaults, where
 * `vault/access.json` cannot show who may read secrets.
 */
export function listVaultRoleAssignments(
  clients: AzureClients,
  vaultResourceId: string,
  principalId: string,
): Promise<RawJson> {
  const c = armCtx('listRoleAssignments', `role assignments on vault "${vaultResourceId}"`, READER);
  const url =
    `${clients.cloud.resourceManagerEndpoint}${vaultResourceId}/providers/Microsoft.Authorization/roleAssignments` +
    `?api-version=${ROLE_ASSIGNMENTS_API}&$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;
  return azureCall(c, async () => {
    const response = await inOperation(c.operation, () => sendArm(clients, 'GET', url));
    return { body: JSON.parse(response.bodyAsText ?? '{}') as unknown, text: response.bodyAsText ?? '{}' };
  });
}

/** Sends one ARM request through the msi client's pipeline (ARM token, retries, proxy, metrics). */
async function sendArm(
  clients: AzureClients,
  method: 'GET' | 'PUT',
  url: string,
  body?: unknown,
): Promise<{ status: number; bodyAsText: string | undefined }> {
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await clients.msi.sendRequest(request);
  if (response.status >= 400) {
    let message = `HTTP ${response.status}`;
    let code: string | undefined;
    try {
      const parsed = JSON.parse(response.bodyAsText ?? '') as { error?: { code?: string; message?: string } };
      code = parsed.error?.code;
      message = parsed.error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new RestError(message, {
      statusCode: response.status,
      ...(code === undefined ? {} : { code }),
      response,
      request,
    });
  }
  return { status: response.status, bodyAsText: response.bodyAsText ?? undefined };
}

// ---- writes: scale sets ----

/** REST shapes, as in the scale set's JSON (what the planner reads and proposes). */
export interface RestVaultSecretGroup {
  readonly sourceVault: { readonly id: string };
  readonly vaultCertificates: readonly {
    readonly certificateUrl: string;
    readonly certificateStore?: string;
  }[];
}

export interface RestExtension {
  readonly name: string;
  readonly properties: {
    readonly publisher?: string;
    readonly type?: string;
    readonly typeHandlerVersion?: string;
    readonly autoUpgradeMinorVersion?: boolean;
    readonly enableAutomaticUpgrade?: boolean;
    readonly settings?: unknown;
    readonly protectedSettings?: unknown;
    readonly provisionAfterExtensions?: readonly string[];
    readonly forceUpdateTag?: string;
    readonly suppressFailures?: boolean;
  };
}

export interface RestIdentity {
  readonly type: string;
  readonly userAssignedIdentities?: Readonly<Record<string, object>>;
}

/** A declarative scale-set change: each list given is the complete new list (PATCH replaces lists). */
export interface ScaleSetPatch {
  readonly secrets?: readonly RestVaultSecretGroup[];
  readonly extensions?: readonly RestExtension[];
  readonly identity?: RestIdentity;
}

/**
 * arm-compute 24 takes flattened models: an extension's `properties.type` is `typePropertiesType`.
 * Passing the REST shape would silently PATCH `{}` (test-substrate §3), hence this explicit mapping.
 */
export function toSdkExtension(e: RestExtension): VirtualMachineScaleSetExtension {
  const p = e.properties;
  const out: VirtualMachineScaleSetExtension = { name: e.name };
  if (p.publisher !== undefined) out.publisher = p.publisher;
  if (p.type !== undefined) out.typePropertiesType = p.type;
  if (p.typeHandlerVersion !== undefined) out.typeHandlerVersion = p.typeHandlerVersion;
  if (p.autoUpgradeMinorVersion !== undefined) out.autoUpgradeMinorVersion = p.autoUpgradeMinorVersion;
  if (p.enableAutomaticUpgrade !== undefined) out.enableAutomaticUpgrade = p.enableAutomaticUpgrade;
  if (p.settings !== undefined) out.settings = p.settings;
  if (p.protectedSettings !== undefined) out.protectedSettings = p.protectedSettings;
  if (p.provisionAfterExtensions !== undefined)
    out.provisionAfterExtensions = [...p.provisionAfterExtensions];
  if (p.forceUpdateTag !== undefined) out.forceUpdateTag = p.forceUpdateTag;
  if (p.suppressFailures !== undefined) out.suppressFailures = p.suppressFailures;
  return out;
}

export function toSdkScaleSetUpdate(patch: ScaleSetPatch): VirtualMachineScaleSetUpdate {
  const update: VirtualMachineScaleSetUpdate = {};
  if (patch.identity !== undefined) {
    update.identity = {
      type: patch.identity.type as NonNullable<VirtualMachineScaleSetUpdate['identity']>['type'],
      ...(patch.identity.userAssignedIdentities === undefined
        ? {}
        : {
            userAssignedIdentities: Object.fromEntries(
              Object.keys(patch.identity.userAssignedIdentities).map((id) => [id, {}]),
            ),
          }),
    };
  }
  if (patch.secrets !== undefined || patch.extensions !== undefined) {
    update.virtualMachineProfile = {};
    if (patch.secrets !== undefined) {
      update.virtualMachineProfile.osProfile = {
        secrets: patch.secrets.map((g) => ({
          sourceVault: { id: g.sourceVault.id },
          vaultCertificates: g.vaultCertificates.map((v) => ({
            certificateUrl: v.certificateUrl,
            ...(v.certificateStore === undefined ? {} : { certificateStore: v.certificateStore }),
          })),
        })),
      };
    }
    if (patch.extensions !== undefined) {
      update.virtualMachineProfile.extensionProfile = { extensions: patch.extensions.map(toSdkExtension) };
    }
  }
  return update;
}

const VMSS_WRITE =
  'Virtual Machine Contributor on the scale set (Microsoft.Compute/virtualMachineScaleSets/write)';

/** PATCHes a scale set's secrets, extensions and/or identity; returns once Azure accepted it. */
export async function beginPatchScaleSet(
  clients: AzureClients,
  resourceGroup: string,
  name: string,
  patch: ScaleSetPatch,
): Promise<LroHandle> {
  const permission =
    patch.identity === undefined ? VMSS_WRITE : `${VMSS_WRITE} and Managed Identity Operator on the identity`;
  const c = armCtx('updateScaleSet', `scale set "${name}" in resource group "${resourceGroup}"`, permission);
  return azureCall(c, () =>
    inOperation(c.operation, async () => {
      const poller = clients.compute.virtualMachineScaleSets.update(
        resourceGroup,
        name,
        toSdkScaleSetUpdate(patch),
        {
          ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
        },
      );
      return handleFromPoller(LroKind.ScaleSetUpdate, poller, c, [resourceGroup, name]);
    }),
  );
}

export async function resumePatchScaleSet(
  clients: AzureClients,
  state: string,
  resource: string,
): Promise<LroHandle> {
  const { args, poller } = decodePollerState(state);
  const c = armCtx('updateScaleSet', resource, VMSS_WRITE);
  const restored = restorePoller(clients.compute, poller, clients.compute.virtualMachineScaleSets.update, {
    ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
  });
  return handleFromPoller(LroKind.ScaleSetUpdate, restored, c, args);
}

// ---- writes: Service Fabric cluster ----

export interface RestCertificateDescription {
  readonly thumbprint: string;
  readonly thumbprintSecondary?: string;
  readonly x509StoreName?: string;
}

export interface RestServerCertificateCommonNames {
  readonly commonNames: readonly {
    readonly certificateCommonName: string;
    readonly certificateIssuerThumbprint: string;
  }[];
  readonly x509StoreName?: string;
}

/** The cluster's certificate declaration after the change: `null` removes, `undefined` keeps. */
export interface ClusterCertificateChange {
  readonly certificate?: RestCertificateDescription | null;
  readonly certificateCommonNames?: RestServerCertificateCommonNames | null;
}

const SF_WRITE = 'Contributor on the cluster (Microsoft.ServiceFabric/clusters/write)';

/**
 * Changes the cluster's certificate declaration with a PUT of the whole resource, as an ARM template
 * deployment does [SF-UPD][SF-TP2CN]: removing `certificate` when converting to common names needs the
 * property absent, which a PATCH cannot express. The RP then runs its multi-step upgrade; completion
 * of that is `clusterState: Ready`, observed by the controller, not this LRO.
 */
export async function beginUpdateClusterCertificates(
  clients: AzureClients,
  resourceGroup: string,
  name: string,
  change: ClusterCertificateChange,
): Promise<LroHandle> {
  const c = armCtx(
    'updateClusterCertificates',
    `Service Fabric cluster "${name}" in resource group "${resourceGroup}"`,
    SF_WRITE,
  );
  return azureCall(c, () =>
    inOperation(c.operation, async () => {
      const current = await clients.serviceFabric.clusters.get(resourceGroup, name);
      const target: Cluster = { ...current };
      if (change.certificate === null) delete target.certificate;
      else if (change.certificate !== undefined) {
        target.certificate = {
          thumbprint: change.certificate.thumbprint,
          ...(change.certificate.thumbprintSecondary === undefined
            ? {}
            : { thumbprintSecondary: change.certificate.thumbprintSecondary }),
          ...(change.certificate.x509StoreName === undefined
            ? {}
            : { x509StoreName: change.certificate.x509StoreName }),
        };
      }
      if (change.certificateCommonNames === null) delete target.certificateCommonNames;
      else if (change.certificateCommonNames !== undefined) {
        target.certificateCommonNames = {
          commonNames: change.certificateCommonNames.commonNames.map((n) => ({ ...n })),
          ...(change.certificateCommonNames.x509StoreName === undefined
            ? {}
            : { x509StoreName: change.certificateCommonNames.x509StoreName }),
        };
      }
      const poller = await clients.serviceFabric.clusters.beginCreateOrUpdate(resourceGroup, name, target, {
        ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
      });
      return handleFromPoller(LroKind.ClusterPut, poller, c, [resourceGroup, name]);
    }),
  );
}

export async function resumeUpdateClusterCertificates(
  clients: AzureClients,
  state: string,
  resource: string,
): Promise<LroHandle> {
  const { args, poller } = decodePollerState(state);
  const [resourceGroup = '', name = ''] = args;
  const c = armCtx('updateClusterCertificates', resource, SF_WRITE);
  // With `resumeFrom` the SDK restores the poller and sends nothing new; the body is ignored.
  const restored = await clients.serviceFabric.clusters.beginCreateOrUpdate(
    resourceGroup,
    name,
    { location: '' },
    {
      resumeFrom: poller,
      ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
    },
  );
  return handleFromPoller(LroKind.ClusterPut, restored, c, args);
}

// ---- writes: vault access ----

/**
 * Adds an access policy giving `objectId` get+list on secrets (what the KeyVault VM extension needs
 * [KVW-24][KVL-25][SF-MGMT]); "add" merges with existing permissions, so it is idempotent.
 */
export async function addVaultSecretsAccessPolicy(
  clients: AzureClients,
  resourceGroup: string,
  vaultName: string,
  grant: { readonly tenantId: string; readonly objectId: string },
): Promise<void> {
  const c = armCtx(
    'updateAccessPolicy',
    `access policies of vault "${vaultName}" in resource group "${resourceGroup}"`,
    'Key Vault Contributor on the vault (Microsoft.KeyVault/vaults/accessPolicies/write)',
  );
  await azureCall(c, () =>
    inOperation(c.operation, () =>
      clients.keyVaultManagement.vaults.updateAccessPolicy(resourceGroup, vaultName, 'add', {
        properties: {
          accessPolicies: [
            { tenantId: grant.tenantId, objectId: grant.objectId, permissions: { secrets: ['get', 'list'] } },
          ],
        },
      }),
    ),
  );
}

/** A stable role-assignment name (a UUID derived from scope, principal and role): PUT is then idempotent. */
export function roleAssignmentName(scope: string, principalId: string, roleId: string): string {
  const h = createHash('sha1')
    .update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleId}`)
    .digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Grants "Key Vault Secrets User" at the vault's scope, for RBAC-model vaults [KV-RBAC]. */
export async function assignVaultSecretsUser(
  clients: AzureClients,
  vaultResourceId: string,
  principalId: string,
): Promise<void> {
  const vault = parseArmResourceId(vaultResourceId);
  const c = armCtx(
    'createRoleAssignment',
    `vault "${vault?.name ?? vaultResourceId}"`,
    'User Access Administrator or Role Based Access Control Administrator on the vault (Microsoft.Authorization/roleAssignments/write)',
  );
  const subscription = vault?.subscriptionId ?? clients.subscriptionId;
  const roleDefinitionId = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`;
  const name = roleAssignmentName(vaultResourceId, principalId, KEY_VAULT_SECRETS_USER);
  const url =
    `${clients.cloud.resourceManagerEndpoint}${vaultResourceId}/providers/Microsoft.Authorization/roleAssignments/${name}` +
    `?api-version=${ROLE_ASSIGNMENTS_API}`;
  await azureCall(c, async () => {
    try {
      await inOperation(c.operation, () =>
        sendArm(clients, 'PUT', url, {
          properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal' },
        }),
      );
    } catch (err) {
      // The same grant under another assignment name: already done.
      if ((err as { code?: string }).code === 'RoleAssignmentExists') return;
      throw err;
    }
  });
}
