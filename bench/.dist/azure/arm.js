// ARM adapter: Service Fabric clusters, VM scale sets, vaults (access policies / RBAC) and managed
// identities. Reads return the REST bodies ARM sent, unmodified (design §2 snapshot layout). Writes are
// the primitives the controller calls with the planner's declarative changes; long-running ones
// return a resumable `LroHandle`.
import { createHash } from 'node:crypto';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { restorePoller } from '@azure/arm-compute';
import { azureCall } from './errors.js';
import { mergePages, parseRaw } from './keyvault.js';
import { LroKind, decodePollerState, handleFromPoller } from './lro.js';
import { captureResponses, inOperation, lastSuccessful } from './pipeline.js';
function armCtx(operation, resource, permission) {
    return { service: 'arm', operation, resource, permission };
}
const READER = 'Reader on the resource (Microsoft.*/read)';
async function rawGet(ctx, call) {
    return azureCall(ctx, async () => {
        const { responses } = await captureResponses(ctx.operation, call);
        return parseRaw(lastSuccessful(responses), ctx.operation);
    });
}
// ---- reads ----
/** `GET Microsoft.ServiceFabric/clusters/{name}` → `cluster.json`. */
export function getCluster(clients, resourceGroup, name) {
    const c = armCtx('getCluster', `Service Fabric cluster "${name}" in resource group "${resourceGroup}"`, READER);
    return rawGet(c, () => clients.serviceFabric.clusters.get(resourceGroup, name));
}
/** `GET Microsoft.Compute/virtualMachineScaleSets/{name}` → `vmss/<name>.json`. */
export function getScaleSet(clients, resourceGroup, name) {
    const c = armCtx('getScaleSet', `scale set "${name}" in resource group "${resourceGroup}"`, READER);
    return rawGet(c, () => clients.compute.virtualMachineScaleSets.get(resourceGroup, name));
}
/**
 * `GET …/virtualMachineScaleSets/{name}/virtualMachines?$expand=instanceView`, every page merged →
 * `vmss/<name>.instances.json` (`latestModelApplied`, per-extension statuses) [CMP-JS].
 */
export function listScaleSetInstances(clients, resourceGroup, name) {
    const c = armCtx('listScaleSetInstances', `instances of scale set "${name}" in resource group "${resourceGroup}"`, READER);
    return azureCall(c, async () => {
        const { responses } = await captureResponses(c.operation, async () => {
            const pages = clients.compute.virtualMachineScaleSetVMs
                .list(resourceGroup, name, { expand: 'instanceView' })
                .byPage();
            for await (const page of pages)
                void page;
        });
        return mergePages(responses, c.operation);
    });
}
/** `GET Microsoft.KeyVault/vaults/{name}` → `vault/access.json` (access policies, `enableRbacAuthorization`). */
export function getVault(clients, resourceGroup, name) {
    const c = armCtx('getVault', `vault "${name}" in resource group "${resourceGroup}"`, READER);
    return rawGet(c, () => clients.keyVaultManagement.vaults.get(resourceGroup, name));
}
/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}` (case-insensitive keys). */
export function parseArmResourceId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)\/?$/i.exec(id.trim());
    if (m === null)
        return undefined;
    const [, subscriptionId, resourceGroup, provider, type, name] = m;
    if (!subscriptionId || !resourceGroup || !provider || !type || !name)
        return undefined;
    return { subscriptionId, resourceGroup, provider, type, name };
}
/** `GET Microsoft.ManagedIdentity/userAssignedIdentities/{name}` → `identity.json` (its `principalId`, `clientId`). */
export function getIdentity(clients, resourceId) {
    const id = parseArmResourceId(resourceId);
    const c = armCtx('getIdentity', `user-assigned identity "${resourceId}"`, READER);
    if (id === undefined) {
        return Promise.reject(new RangeError(`not a user-assigned identity resource id: ${resourceId}`));
    }
    return rawGet(c, () => clients.msiFor(id.subscriptionId).userAssignedIdentities.get(id.resourceGroup, id.name));
}
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6'; // [KV-RBAC]
const ROLE_ASSIGNMENTS_API = '2022-04-01';
/**
 * Role assignments of `principalId` at the vault's scope (and inherited), for RBAC-model vaults, where
 * `vault/access.json` cannot show who may read secrets.
 */
export function listVaultRoleAssignments(clients, vaultResourceId, principalId) {
    const c = armCtx('listRoleAssignments', `role assignments on vault "${vaultResourceId}"`, READER);
    const url = `${clients.cloud.resourceManagerEndpoint}${vaultResourceId}/providers/Microsoft.Authorization/roleAssignments` +
        `?api-version=${ROLE_ASSIGNMENTS_API}&$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;
    return azureCall(c, async () => {
        const response = await inOperation(c.operation, () => sendArm(clients, 'GET', url));
        return { body: JSON.parse(response.bodyAsText ?? '{}'), text: response.bodyAsText ?? '{}' };
    });
}
/** Sends one ARM request through the msi client's pipeline (ARM token, retries, proxy, metrics). */
async function sendArm(clients, method, url, body) {
    const request = createPipelineRequest({
        url,
        method,
        headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const response = await clients.msi.sendRequest(request);
    if (response.status >= 400) {
        let message = `HTTP ${response.status}`;
        let code;
        try {
            const parsed = JSON.parse(response.bodyAsText ?? '');
            code = parsed.error?.code;
            message = parsed.error?.message ?? message;
        }
        catch {
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
/**
 * arm-compute 24 takes flattened models: an extension's `properties.type` is `typePropertiesType`.
 * Passing the REST shape would silently PATCH `{}` (test-substrate §3), hence this explicit mapping.
 */
export function toSdkExtension(e) {
    const p = e.properties;
    const out = { name: e.name };
    if (p.publisher !== undefined)
        out.publisher = p.publisher;
    if (p.type !== undefined)
        out.typePropertiesType = p.type;
    if (p.typeHandlerVersion !== undefined)
        out.typeHandlerVersion = p.typeHandlerVersion;
    if (p.autoUpgradeMinorVersion !== undefined)
        out.autoUpgradeMinorVersion = p.autoUpgradeMinorVersion;
    if (p.enableAutomaticUpgrade !== undefined)
        out.enableAutomaticUpgrade = p.enableAutomaticUpgrade;
    if (p.settings !== undefined)
        out.settings = p.settings;
    if (p.protectedSettings !== undefined)
        out.protectedSettings = p.protectedSettings;
    if (p.provisionAfterExtensions !== undefined)
        out.provisionAfterExtensions = [...p.provisionAfterExtensions];
    if (p.forceUpdateTag !== undefined)
        out.forceUpdateTag = p.forceUpdateTag;
    if (p.suppressFailures !== undefined)
        out.suppressFailures = p.suppressFailures;
    return out;
}
export function toSdkScaleSetUpdate(patch) {
    const update = {};
    if (patch.identity !== undefined) {
        update.identity = {
            type: patch.identity.type,
            ...(patch.identity.userAssignedIdentities === undefined
                ? {}
                : {
                    userAssignedIdentities: Object.fromEntries(Object.keys(patch.identity.userAssignedIdentities).map((id) => [id, {}])),
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
const VMSS_WRITE = 'Virtual Machine Contributor on the scale set (Microsoft.Compute/virtualMachineScaleSets/write)';
/** PATCHes a scale set's secrets, extensions and/or identity; returns once Azure accepted it. */
export async function beginPatchScaleSet(clients, resourceGroup, name, patch) {
    const permission = patch.identity === undefined ? VMSS_WRITE : `${VMSS_WRITE} and Managed Identity Operator on the identity`;
    const c = armCtx('updateScaleSet', `scale set "${name}" in resource group "${resourceGroup}"`, permission);
    return azureCall(c, () => inOperation(c.operation, async () => {
        const poller = clients.compute.virtualMachineScaleSets.update(resourceGroup, name, toSdkScaleSetUpdate(patch), {
            ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
        });
        return handleFromPoller(LroKind.ScaleSetUpdate, poller, c, [resourceGroup, name]);
    }));
}
export async function resumePatchScaleSet(clients, state, resource) {
    const { args, poller } = decodePollerState(state);
    const c = armCtx('updateScaleSet', resource, VMSS_WRITE);
    const restored = restorePoller(clients.compute, poller, clients.compute.virtualMachineScaleSets.update, {
        ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
    });
    return handleFromPoller(LroKind.ScaleSetUpdate, restored, c, args);
}
const SF_WRITE = 'Contributor on the cluster (Microsoft.ServiceFabric/clusters/write)';
/**
 * Changes the cluster's certificate declaration with a PUT of the whole resource, as an ARM template
 * deployment does [SF-UPD][SF-TP2CN]: removing `certificate` when converting to common names needs the
 * property absent, which a PATCH cannot express. The RP then runs its multi-step upgrade; completion
 * of that is `clusterState: Ready`, observed by the controller, not this LRO.
 */
export async function beginUpdateClusterCertificates(clients, resourceGroup, name, change) {
    const c = armCtx('updateClusterCertificates', `Service Fabric cluster "${name}" in resource group "${resourceGroup}"`, SF_WRITE);
    return azureCall(c, () => inOperation(c.operation, async () => {
        const current = await clients.serviceFabric.clusters.get(resourceGroup, name);
        const target = { ...current };
        if (change.certificate === null)
            delete target.certificate;
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
        if (change.certificateCommonNames === null)
            delete target.certificateCommonNames;
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
    }));
}
export async function resumeUpdateClusterCertificates(clients, state, resource) {
    const { args, poller } = decodePollerState(state);
    const [resourceGroup = '', name = ''] = args;
    const c = armCtx('updateClusterCertificates', resource, SF_WRITE);
    // With `resumeFrom` the SDK restores the poller and sends nothing new; the body is ignored.
    const restored = await clients.serviceFabric.clusters.beginCreateOrUpdate(resourceGroup, name, { location: '' }, {
        resumeFrom: poller,
        ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
    });
    return handleFromPoller(LroKind.ClusterPut, restored, c, args);
}
// ---- writes: vault access ----
/**
 * Adds an access policy giving `objectId` get+list on secrets (what the KeyVault VM extension needs
 * [KVW-24][KVL-25][SF-MGMT]); "add" merges with existing permissions, so it is idempotent.
 */
export async function addVaultSecretsAccessPolicy(clients, resourceGroup, vaultName, grant) {
    const c = armCtx('updateAccessPolicy', `access policies of vault "${vaultName}" in resource group "${resourceGroup}"`, 'Key Vault Contributor on the vault (Microsoft.KeyVault/vaults/accessPolicies/write)');
    await azureCall(c, () => inOperation(c.operation, () => clients.keyVaultManagement.vaults.updateAccessPolicy(resourceGroup, vaultName, 'add', {
        properties: {
            accessPolicies: [
                { tenantId: grant.tenantId, objectId: grant.objectId, permissions: { secrets: ['get', 'list'] } },
            ],
        },
    })));
}
/** A stable role-assignment name (a UUID derived from scope, principal and role): PUT is then idempotent. */
export function roleAssignmentName(scope, principalId, roleId) {
    const h = createHash('sha1')
        .update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleId}`)
        .digest('hex');
    const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
/** Grants "Key Vault Secrets User" at the vault's scope, for RBAC-model vaults [KV-RBAC]. */
export async function assignVaultSecretsUser(clients, vaultResourceId, principalId) {
    const vault = parseArmResourceId(vaultResourceId);
    const c = armCtx('createRoleAssignment', `vault "${vault?.name ?? vaultResourceId}"`, 'User Access Administrator or Role Based Access Control Administrator on the vault (Microsoft.Authorization/roleAssignments/write)');
    const subscription = vault?.subscriptionId ?? clients.subscriptionId;
    const roleDefinitionId = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`;
    const name = roleAssignmentName(vaultResourceId, principalId, KEY_VAULT_SECRETS_USER);
    const url = `${clients.cloud.resourceManagerEndpoint}${vaultResourceId}/providers/Microsoft.Authorization/roleAssignments/${name}` +
        `?api-version=${ROLE_ASSIGNMENTS_API}`;
    await azureCall(c, async () => {
        try {
            await inOperation(c.operation, () => sendArm(clients, 'PUT', url, {
                properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal' },
            }));
        }
        catch (err) {
            // The same grant under another assignment name: already done.
            if (err.code === 'RoleAssignmentExists')
                return;
            throw err;
        }
    });
}
//# sourceMappingURL=arm.js.map