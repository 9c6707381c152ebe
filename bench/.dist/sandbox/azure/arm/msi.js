// Microsoft.ManagedIdentity user-assigned identities as @azure/arm-msi 2.2.0 calls them (api-version
// 2024-11-30): `properties.{tenantId, principalId, clientId}`.
import { userAssignedIdentityResourceId } from '../identity/store.js';
import { armError, json } from '../router.js';
const IDENTITY = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/:name';
export function identityBody(p) {
    return {
        id: userAssignedIdentityResourceId(p),
        name: p.displayName,
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        location: p.location,
        tags: p.tags ?? {},
        properties: {
            tenantId: p.tenantId,
            principalId: p.objectId,
            clientId: p.clientId,
            isolationScope: 'None',
        },
    };
}
export function registerManagedIdentities(world) {
    world.router.register('GET', 'arm', IDENTITY, (ctx) => {
        const p = world.identities.userAssignedIdentity(ctx.params['sub'], ctx.params['rg'], ctx.params['name']);
        if (!p) {
            return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${ctx.params['name']}' under resource group '${ctx.params['rg']}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
        }
        return json(200, identityBody(p));
    }, { operation: 'Microsoft.ManagedIdentity/userAssignedIdentities/read' });
    world.router.register('PUT', 'arm', IDENTITY, (ctx) => {
        const existing = world.identities.userAssignedIdentity(ctx.params['sub'], ctx.params['rg'], ctx.params['name']);
        if (existing)
            return json(200, identityBody(existing));
        const body = (ctx.body ?? {});
        const created = world.identities.addUserAssignedIdentity({
            subscriptionId: ctx.params['sub'],
            resourceGroup: ctx.params['rg'],
            name: ctx.params['name'],
            location: typeof body['location'] === 'string' ? body['location'] : 'westeurope',
        });
        return json(201, identityBody(created));
    }, { operation: 'Microsoft.ManagedIdentity/userAssignedIdentities/write' });
}
//# sourceMappingURL=msi.js.map