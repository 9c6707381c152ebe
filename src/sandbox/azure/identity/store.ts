// Principals the sandbox's AAD knows: service principals (app registrations with client secrets and/or
// federated credentials, e.g. the operator's workload identity) and user-assigned managed identities
// (`Microsoft.ManagedIdentity/userAssignedIdentities`, which can also hold federated credentials).

import { randomUUID } from 'node:crypto';

export interface FederatedCredential {
  /** `iss` of the presented assertion, e.g. the cluster's OIDC issuer URL. */
  readonly issuer: string;
  /** `sub` of the assertion, e.g. `system:serviceaccount:kv-rollover:operator`. */
  readonly subject: string;
  /** Accepted `aud` values; AAD's default is `api://AzureADTokenExchange` [AKS-WI]. */
  readonly audiences: readonly string[];
}

export interface PrincipalRecord {
  readonly kind: 'ServicePrincipal' | 'UserAssignedIdentity';
  readonly tenantId: string;
  /** Application (client) id. */
  readonly clientId: string;
  /** Object id of the service principal; for a managed identity its `principalId`. */
  readonly objectId: string;
  readonly displayName: string;
  /** Client secrets accepted at the token endpoint (never logged). */
  readonly secrets: string[];
  readonly federatedCredentials: FederatedCredential[];
  /** Managed identities only: where the ARM resource lives. */
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly location?: string;
  readonly tags?: Record<string, string>;
}

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export class IdentityStore {
  private readonly principals: PrincipalRecord[] = [];

  constructor(readonly tenantId: string) {}

  addServicePrincipal(init: {
    displayName: string;
    clientId?: string;
    objectId?: string;
    secret?: string;
  }): PrincipalRecord {
    const record: PrincipalRecord = {
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

  addUserAssignedIdentity(init: {
    subscriptionId: string;
    resourceGroup: string;
    name: string;
    location: string;
    clientId?: string;
    principalId?: string;
    tags?: Record<string, string>;
  }): PrincipalRecord {
    const record: PrincipalRecord = {
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

  addFederatedCredential(
    clientId: string,
    credential: { issuer: string; subject: string; audiences?: string[] },
  ): void {
    const p = this.byClientId(clientId);
    if (!p) throw new Error(`no principal with client id ${clientId}`);
    p.federatedCredentials.push({
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: credential.audiences ?? [TOKEN_EXCHANGE_AUDIENCE],
    });
  }

  byClientId(clientId: string): PrincipalRecord | undefined {
    const id = clientId.toLowerCase();
    return this.principals.find((p) => p.clientId.toLowerCase() === id);
  }

  byObjectId(objectId: string): PrincipalRecord | undefined {
    const id = objectId.toLowerCase();
    return this.principals.find((p) => p.objectId.toLowerCase() === id);
  }

  /** A user-assigned identity by its ARM coordinates (names compare case-insensitively, as ARM does). */
  userAssignedIdentity(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
  ): PrincipalRecord | undefined {
    return this.principals.find(
      (p) =>
        p.kind === 'UserAssignedIdentity' &&
        p.subscriptionId?.toLowerCase() === subscriptionId.toLowerCase() &&
        p.resourceGroup?.toLowerCase() === resourceGroup.toLowerCase() &&
        p.displayName.toLowerCase() === name.toLowerCase(),
    );
  }

  /** A user-assigned identity by ARM resource id (as VMSS/Batch `identity.userAssignedIdentities` keys). */
  byResourceId(resourceId: string): PrincipalRecord | undefined {
    const m =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(
        resourceId,
      );
    return m ? this.userAssignedIdentity(m[1]!, m[2]!, m[3]!) : undefined;
  }

  all(): readonly PrincipalRecord[] {
    return this.principals;
  }
}

export function userAssignedIdentityResourceId(p: PrincipalRecord): string {
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${p.displayName}`;
}
