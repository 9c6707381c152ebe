// Microsoft.Authorization role assignments at subscription, resource-group and resource scope — how a
// principal gets "Key Vault Secrets User" on a vault that uses the RBAC permission model [KV-RBAC].
import { armError, json, noContent } from '../router.js';
const SCOPES = [
    '/subscriptions/:sub',
    '/subscriptions/:sub/resourceGroups/:rg',
    '/subscriptions/:sub/resourceGroups/:rg/providers/:ns/:type/:res',
];
const RA = 'providers/Microsoft.Authorization/roleAssignments';
function body(a) {
    return {
        id: a.id,
        name: a.name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: {
            roleDefinitionId: a.roleDefinitionId,
            principalId: a.principalId,
            principalType: a.principalType,
            scope: a.scope,
            createdOn: a.createdOn,
            updatedOn: a.createdOn,
        },
    };
}
function scopeOf(ctx) {
    return ctx.path.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments(\/[^/]*)?\/?$/i, '');
}
export function registerRoleAssignments(world) {
    for (const scope of SCOPES) {
        world.router.register('PUT', 'arm', `${scope}/${RA}/:name`, (ctx) => {
            const props = (ctx.body?.['properties'] ?? {});
            if (typeof props['roleDefinitionId'] !== 'string' || typeof props['principalId'] !== 'string') {
                return armError(400, 'InvalidRoleAssignmentRequest', 'properties.roleDefinitionId and properties.principalId are required.');
            }
            const existing = world.roleAssignments.get(ctx.params['name']);
            if (existing) {
                if (existing.principalId === props['principalId'] &&
                    existing.roleDefinitionId.toLowerCase() === props['roleDefinitionId'].toLowerCase()) {
                    return json(200, body(existing));
                }
                return armError(409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
            }
            if (world.roleAssignments
                .all()
                .some((a) => a.scope.toLowerCase() === scopeOf(ctx).toLowerCase() &&
                a.principalId === props['principalId'] &&
                a.roleDefinitionId.toLowerCase() === String(props['roleDefinitionId']).toLowerCase())) {
                return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
            }
            const created = world.roleAssignments.put({
                scope: scopeOf(ctx),
                name: ctx.params['name'],
                roleDefinitionId: props['roleDefinitionId'],
                principalId: props['principalId'],
                ...(typeof props['principalType'] === 'string' ? { principalType: props['principalType'] } : {}),
                createdOn: world.clock.now(),
            });
            return json(201, body(created));
        }, { operation: 'Microsoft.Authorization/roleAssignments/write' });
        world.router.register('GET', 'arm', `${scope}/${RA}/:name`, (ctx) => {
            const a = world.roleAssignments.get(ctx.params['name']);
            return a
                ? json(200, body(a))
                : armError(404, 'RoleAssignmentNotFound', `The role assignment '${ctx.params['name']}' is not found.`);
        }, { operation: 'Microsoft.Authorization/roleAssignments/read' });
        world.router.register('DELETE', 'arm', `${scope}/${RA}/:name`, (ctx) => {
            const a = world.roleAssignments.delete(ctx.params['name']);
            return a ? json(200, body(a)) : noContent(204);
        }, { operation: 'Microsoft.Authorization/roleAssignments/delete' });
        world.router.register('GET', 'arm', `${scope}/${RA}`, (ctx) => {
            const filter = ctx.query.get('$filter') ?? '';
            const pid = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
            const list = world.roleAssignments
                .atOrAbove(scopeOf(ctx))
                .filter((a) => !pid || a.principalId.toLowerCase() === pid);
            return json(200, { value: list.map(body) });
        }, { operation: 'Microsoft.Authorization/roleAssignments/read' });
    }
}
//# sourceMappingURL=authorization.js.map