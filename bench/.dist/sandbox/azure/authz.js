// Who may do what on a vault: the access-policy model or Azure RBAC, per the vault's
// `enableRbacAuthorization` flag [KV-RBAC][SF-MGMT]. Role assignments live at ARM scopes
// (`Microsoft.Authorization/roleAssignments`) and apply to the scope and everything below it.
import { randomUUID } from 'node:crypto';
/** Built-in Key Vault role definition ids [KV-RBAC]. */
export const KEY_VAULT_ROLES = {
    administrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    certificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985',
    certificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    secretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
    reader: '21090545-7ca7-4776-b22c-e363652d74d2',
};
/** What each built-in role grants on the data plane (readable approximation of the role definitions). */
const ROLE_GRANTS = {
    [KEY_VAULT_ROLES.administrator]: { secrets: ['*'], certificates: ['*'] },
    [KEY_VAULT_ROLES.certificatesOfficer]: { secrets: ['list'], certificates: ['*'] },
    [KEY_VAULT_ROLES.certificateUser]: { secrets: ['get', 'list'], certificates: ['get', 'list'] },
    [KEY_VAULT_ROLES.secretsOfficer]: { secrets: ['*'], certificates: [] },
    [KEY_VAULT_ROLES.secretsUser]: { secrets: ['get', 'list'], certificates: [] },
    [KEY_VAULT_ROLES.reader]: { secrets: ['list'], certificates: ['get', 'list'] },
};
export class RoleAssignmentStore {
    assignments = new Map();
    put(init) {
        const name = init.name ?? randomUUID();
        const scope = init.scope.replace(/\/+$/, '');
        const assignment = {
            id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
            name,
            scope,
            roleDefinitionId: init.roleDefinitionId,
            principalId: init.principalId,
            principalType: init.principalType ?? 'ServicePrincipal',
            createdOn: init.createdOn.toISOString(),
        };
        this.assignments.set(name.toLowerCase(), assignment);
        return assignment;
    }
    get(name) {
        return this.assignments.get(name.toLowerCase());
    }
    delete(name) {
        const a = this.get(name);
        if (a)
            this.assignments.delete(name.toLowerCase());
        return a;
    }
    /** Assignments at `scope` or any parent scope of it. */
    atOrAbove(scope) {
        const s = scope.toLowerCase();
        return [...this.assignments.values()].filter((a) => {
            const as = a.scope.toLowerCase();
            return s === as || s.startsWith(`${as}/`);
        });
    }
    all() {
        return [...this.assignments.values()];
    }
}
/** Role definition guid from a full or bare role definition id. */
export function roleGuid(roleDefinitionId) {
    return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}
/** True when the RBAC assignments at or above `scope` grant `principalId` the permission. */
export function rbacAllows(store, scope, principalId, permission) {
    const pid = principalId.toLowerCase();
    return store.atOrAbove(scope).some((a) => {
        if (a.principalId.toLowerCase() !== pid)
            return false;
        const grants = ROLE_GRANTS[roleGuid(a.roleDefinitionId)];
        if (!grants)
            return false;
        const [kind, perm] = 'secrets' in permission
            ? ['secrets', permission.secrets]
            : ['certificates', permission.certificates];
        return grants[kind].includes('*') || grants[kind].includes(perm);
    });
}
//# sourceMappingURL=authz.js.map