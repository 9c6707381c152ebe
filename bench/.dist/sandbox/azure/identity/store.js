// Principals the sandbox's AAD knows: service principals (app registrations with client secrets and/or
// federated credentials, e.g. the operator's workload identity) and user-assigned managed identities
// (`Microsoft.ManagedIdentity/userAssignedIdentities`, which can also hold federated credentials).
import { randomUUID } from 'node:crypto';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
export class IdentityStore {
    tenantId;
    principals = [];
    constructor(tenantId) {
        this.tenantId = tenantId;
    }
    addServicePrincipal(init) {
        const record = {
            kind: 'ServicePrincipal',
            tenantId: this.tenantId,
            clientId: init.clientId ?? randomUUID(),
            objectId: init.objectId ?? randomUUID(),
            displayName: init.displayName,
            secrets: init.secret ? [init.secret] : [],
            federatedCredentials: [],
        };
        this.principals.push(record);
        return record;
    }
    addUserAssignedIdentity(init) {
        const record = {
            kind: 'UserAssignedIdentity',
            tenantId: this.tenantId,
            clientId: init.clientId ?? randomUUID(),
            objectId: init.principalId ?? randomUUID(),
            displayName: init.name,
            secrets: [],
            federatedCredentials: [],
            subscriptionId: init.subscriptionId,
            resourceGroup: init.resourceGroup,
            location: init.location,
            ...(init.tags ? { tags: init.tags } : {}),
        };
        this.principals.push(record);
        return record;
    }
    addFederatedCredential(clientId, credential) {
        const p = this.byClientId(clientId);
        if (!p)
            throw new Error(`no principal with client id ${clientId}`);
        p.federatedCredentials.push({
            issuer: credential.issuer,
            subject: credential.subject,
            audiences: credential.audiences ?? [TOKEN_EXCHANGE_AUDIENCE],
        });
    }
    byClientId(clientId) {
        const id = clientId.toLowerCase();
        return this.principals.find((p) => p.clientId.toLowerCase() === id);
    }
    byObjectId(objectId) {
        const id = objectId.toLowerCase();
        return this.principals.find((p) => p.objectId.toLowerCase() === id);
    }
    /** A user-assigned identity by its ARM coordinates (names compare case-insensitively, as ARM does). */
    userAssignedIdentity(subscriptionId, resourceGroup, name) {
        return this.principals.find((p) => p.kind === 'UserAssignedIdentity' &&
            p.subscriptionId?.toLowerCase() === subscriptionId.toLowerCase() &&
            p.resourceGroup?.toLowerCase() === resourceGroup.toLowerCase() &&
            p.displayName.toLowerCase() === name.toLowerCase());
    }
    /** A user-assigned identity by ARM resource id (as VMSS/Batch `identity.userAssignedIdentities` keys). */
    byResourceId(resourceId) {
        const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(resourceId);
        return m ? this.userAssignedIdentity(m[1], m[2], m[3]) : undefined;
    }
    all() {
        return this.principals;
    }
}
export function userAssignedIdentityResourceId(p) {
    return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${p.displayName}`;
}
//# sourceMappingURL=store.js.map