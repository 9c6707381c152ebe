// Microsoft.KeyVault management plane as @azure/arm-keyvault 5.0.0 calls it: vault GET (access
// policies, permission model, vaultUri) and `PUT …/vaults/{vault}/accessPolicies/{add|replace|remove}`
// [KV-ARMJS][SF-MGMT].
import { armError, json } from '../router.js';
import { vaultResourceId, vaultUri } from '../keyvault/store.js';
const VAULT = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/vaults/:vault';
export function vaultBody(v) {
    return {
        id: vaultResourceId(v),
        name: v.name,
        type: 'Microsoft.KeyVault/vaults',
        location: v.location,
        tags: v.tags,
        properties: {
            sku: { family: 'A', name: 'standard' },
            tenantId: v.tenantId,
            accessPolicies: v.accessPolicies,
            enabledForDeployment: v.enabledForDeployment,
            enabledForDiskEncryption: false,
            enabledForTemplateDeployment: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            enableRbacAuthorization: v.enableRbacAuthorization,
            vaultUri: vaultUri(v.name),
            provisioningState: 'Succeeded',
            publicNetworkAccess: 'Enabled',
        },
    };
}
function withState(body, state) {
    if (!state)
        return body;
    return {
        ...body,
        properties: { ...body['properties'], provisioningState: state },
    };
}
function findVault(world, ctx) {
    const v = world.vaults.getVault(ctx.params['vault']);
    if (!v ||
        v.subscriptionId.toLowerCase() !== ctx.params['sub'].toLowerCase() ||
        v.resourceGroup.toLowerCase() !== ctx.params['rg'].toLowerCase()) {
        return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.KeyVault/vaults/${ctx.params['vault']}' under resource group '${ctx.params['rg']}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    return v;
}
function normaliseEntry(e) {
    if (!e || typeof e !== 'object')
        return undefined;
    const o = e;
    if (typeof o['objectId'] !== 'string' || typeof o['tenantId'] !== 'string')
        return undefined;
    const perms = (o['permissions'] ?? {});
    const list = (k) => Array.isArray(perms[k]) ? perms[k].map(String) : undefined;
    const permissions = {};
    for (const k of ['keys', 'secrets', 'certificates', 'storage']) {
        const l = list(k);
        if (l)
            permissions[k] = l;
    }
    return {
        tenantId: o['tenantId'],
        objectId: o['objectId'],
        ...(typeof o['applicationId'] === 'string' ? { applicationId: o['applicationId'] } : {}),
        permissions,
    };
}
const sameEntry = (a, b) => a.objectId.toLowerCase() === b.objectId.toLowerCase() &&
    a.tenantId.toLowerCase() === b.tenantId.toLowerCase() &&
    (a.applicationId ?? '').toLowerCase() === (b.applicationId ?? '').toLowerCase();
function mergePermissions(a, b, remove) {
    if (!b)
        return a;
    const lower = new Set(b.map((x) => x.toLowerCase()));
    if (remove)
        return (a ?? []).filter((x) => !lower.has(x.toLowerCase()));
    const out = [...(a ?? [])];
    for (const x of b)
        if (!out.some((y) => y.toLowerCase() === x.toLowerCase()))
            out.push(x);
    return out;
}
export function registerKeyVaultManagement(world) {
    // Create (or update) a vault: an ARM LRO. A new vault reports `provisioningState: RegisteringDns`
    // until the operation completes (one status poll), as the Key Vault RP does.
    const provisioning = new Map();
    world.router.register('PUT', 'arm', VAULT, (ctx) => {
        const body = (ctx.body ?? {});
        const props = (body['properties'] ?? {});
        const location = typeof body['location'] === 'string' ? body['location'] : undefined;
        if (!location)
            return armError(400, 'LocationRequired', 'The location property is required for this definition.');
        if (typeof props['tenantId'] !== 'string') {
            return armError(400, 'BadRequest', 'The parameter properties.tenantId is required.');
        }
        const entries = (Array.isArray(props['accessPolicies']) ? props['accessPolicies'] : []).map(normaliseEntry);
        if (entries.some((e) => e === undefined))
            return armError(400, 'BadRequest', 'An access policy entry is invalid.');
        let v = world.vaults.getVault(ctx.params['vault']);
        const created = !v;
        if (v &&
            (v.subscriptionId.toLowerCase() !== ctx.params['sub'].toLowerCase() ||
                v.resourceGroup.toLowerCase() !== ctx.params['rg'].toLowerCase())) {
            return armError(409, 'VaultAlreadyExists', `The vault name '${ctx.params['vault']}' is already in use. Vault names are globally unique.`);
        }
        if (!v) {
            v = world.vaults.addVault({
                name: ctx.params['vault'],
                subscriptionId: ctx.params['sub'],
                resourceGroup: ctx.params['rg'],
                location,
                tenantId: props['tenantId'],
            });
        }
        v.accessPolicies = entries;
        if (typeof props['enableRbacAuthorization'] === 'boolean')
            v.enableRbacAuthorization = props['enableRbacAuthorization'];
        if (typeof props['enabledForDeployment'] === 'boolean')
            v.enabledForDeployment = props['enabledForDeployment'];
        const vault = v;
        const key = vault.name.toLowerCase();
        provisioning.set(key, created ? 'RegisteringDns' : 'Succeeded');
        const lro = world.lro.begin(ctx, {
            subscriptionId: vault.subscriptionId,
            providerNamespace: 'Microsoft.KeyVault',
            location: vault.location,
            completeAfterPolls: 1,
            onComplete: () => {
                provisioning.set(key, 'Succeeded');
            },
            onFailed: () => {
                provisioning.set(key, 'Failed');
            },
            result: () => withState(vaultBody(vault), provisioning.get(key)),
        });
        return json(created ? 201 : 200, withState(vaultBody(vault), provisioning.get(key)), lro.headers('async'));
    }, { operation: 'Microsoft.KeyVault/vaults/write' });
    world.router.register('GET', 'arm', VAULT, (ctx) => {
        const v = findVault(world, ctx);
        return 'status' in v ? v : json(200, withState(vaultBody(v), provisioning.get(v.name.toLowerCase())));
    }, { operation: 'Microsoft.KeyVault/vaults/read' });
    world.router.register('PUT', 'arm', `${VAULT}/accessPolicies/:kind`, (ctx) => {
        const v = findVault(world, ctx);
        if ('status' in v)
            return v;
        const kind = ctx.params['kind'].toLowerCase();
        if (kind !== 'add' && kind !== 'replace' && kind !== 'remove') {
            return armError(400, 'InvalidOperationKind', `The operation kind '${ctx.params['kind']}' is not valid. Valid values are 'add', 'replace' and 'remove'.`);
        }
        const props = (ctx.body?.['properties'] ?? {});
        const raw = Array.isArray(props['accessPolicies']) ? props['accessPolicies'] : undefined;
        const entries = raw?.map(normaliseEntry);
        if (!entries || entries.some((e) => e === undefined)) {
            return armError(400, 'BadRequest', 'The request body must contain properties.accessPolicies with tenantId, objectId and permissions.');
        }
        if (kind === 'replace') {
            v.accessPolicies = entries;
        }
        else {
            for (const e of entries) {
                const existing = v.accessPolicies.find((p) => sameEntry(p, e));
                if (!existing) {
                    if (kind === 'add')
                        v.accessPolicies.push(e);
                    continue;
                }
                for (const k of ['keys', 'secrets', 'certificates', 'storage']) {
                    const merged = mergePermissions(existing.permissions[k], e.permissions[k], kind === 'remove');
                    if (merged)
                        existing.permissions[k] = merged;
                }
            }
            if (kind === 'remove') {
                v.accessPolicies = v.accessPolicies.filter((p) => Object.values(p.permissions).some((l) => l && l.length > 0));
            }
        }
        return json(200, {
            id: `${vaultResourceId(v)}/accessPolicies/${kind}`,
            name: kind,
            type: 'Microsoft.KeyVault/vaults/accessPolicies',
            location: v.location,
            properties: { accessPolicies: v.accessPolicies },
        });
    }, { operation: 'Microsoft.KeyVault/vaults/accessPolicies/write' });
}
//# sourceMappingURL=keyvault.js.map