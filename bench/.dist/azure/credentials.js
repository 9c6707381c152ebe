// Azure credentials for the operator. Two scopes, as Azure Service Operator has them (anchors §2.5):
// - the operator's own identity, from the environment: AKS workload identity (AZURE_TENANT_ID,
//   AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE injected by the webhook), a service principal
//   (AZURE_CLIENT_SECRET), or whatever DefaultAzureCredential finds (managed identity);
// - per namespace, a Secret named by `spec.azure.credentialRef` holding a service principal.
// Secret values are never logged: `describe()` names the kind and the client id only.
import { createHash } from 'node:crypto';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential, WorkloadIdentityCredential, } from '@azure/identity';
import { Hazard } from '../domain/names.js';
import { TerminalError } from '../domain/errors.js';
// MSAL validates an authority against the public cloud's instance-discovery endpoint; for any other
// authority host (sovereign or private clouds, Azure Stack) discovery must be off or token requests fail.
const KNOWN_AUTHORITIES = new Set([
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
    'login.windows.net',
    'login.microsoft.com',
    'sts.windows.net',
]);
function authorityOptions(cloud) {
    const host = new URL(cloud.authorityHost).host.toLowerCase();
    return { authorityHost: cloud.authorityHost, disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(host) };
}
function value(env, ...names) {
    for (const n of names) {
        const v = env[n];
        if (v !== undefined && v.trim() !== '')
            return v.trim();
    }
    return undefined;
}
/** The operator's own credential from its environment. */
export function credentialFromEnvironment(cloud, env = process.env) {
    const tenantId = value(env, 'AZURE_TENANT_ID');
    const clientId = value(env, 'AZURE_CLIENT_ID');
    const tokenFile = value(env, 'AZURE_FEDERATED_TOKEN_FILE');
    const secret = value(env, 'AZURE_CLIENT_SECRET');
    const subscriptionId = value(env, 'AZURE_SUBSCRIPTION_ID');
    const auth = authorityOptions(cloud);
    if (tenantId !== undefined && clientId !== undefined && secret !== undefined) {
        return {
            credential: new ClientSecretCredential(tenantId, clientId, secret, auth),
            kind: 'client-secret',
            description: `service principal ${clientId} in tenant ${tenantId} (AZURE_CLIENT_SECRET)`,
            subscriptionId,
        };
    }
    if (tenantId !== undefined && clientId !== undefined && tokenFile !== undefined) {
        return {
            credential: new WorkloadIdentityCredential({ tenantId, clientId, tokenFilePath: tokenFile, ...auth }),
            kind: 'workload-identity',
            description: `workload identity ${clientId} in tenant ${tenantId}`,
            subscriptionId,
        };
    }
    return {
        credential: new DefaultAzureCredential({
            ...auth,
            ...(tenantId === undefined ? {} : { tenantId }),
            ...(clientId === undefined
                ? {}
                : { managedIdentityClientId: clientId, workloadIdentityClientId: clientId }),
        }),
        kind: 'default-chain',
        description: `DefaultAzureCredential${clientId === undefined ? '' : ` (client id ${clientId})`}`,
        subscriptionId,
    };
}
/** A Kubernetes Secret's `data` (base64) decoded to strings; `stringData`-style input passes through. */
export function decodeSecretData(data) {
    const out = {};
    for (const [k, v] of Object.entries(data ?? {}))
        out[k] = Buffer.from(v, 'base64').toString('utf8');
    return out;
}
/**
 * A per-namespace credential from the referenced Secret's decoded data. Keys are ASO's
 * (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`, optional `AZURE_CLIENT_CERTIFICATE`
 * with `AZURE_CLIENT_CERTIFICATE_PASSWORD`, `AZURE_SUBSCRIPTION_ID`, or `USE_WORKLOAD_IDENTITY_AUTH`)
 * or their camelCase forms (`tenantId`, `clientId`, `clientSecret`).
 */
export function credentialFromSecretData(secretName, data, cloud, operatorEnv = process.env) {
    const tenantId = value(data, 'AZURE_TENANT_ID', 'tenantId');
    const clientId = value(data, 'AZURE_CLIENT_ID', 'clientId');
    const secret = value(data, 'AZURE_CLIENT_SECRET', 'clientSecret');
    const certificate = value(data, 'AZURE_CLIENT_CERTIFICATE', 'clientCertificate');
    const certificatePassword = value(data, 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'clientCertificatePassword');
    const workloadIdentity = value(data, 'USE_WORKLOAD_IDENTITY_AUTH')?.toLowerCase() === 'true';
    const subscriptionId = value(data, 'AZURE_SUBSCRIPTION_ID', 'subscriptionId');
    const missing = [
        tenantId === undefined ? 'AZURE_TENANT_ID' : undefined,
        clientId === undefined ? 'AZURE_CLIENT_ID' : undefined,
        secret === undefined && certificate === undefined && !workloadIdentity
            ? 'AZURE_CLIENT_SECRET'
            : undefined,
    ].filter((k) => k !== undefined);
    if (missing.length > 0 || tenantId === undefined || clientId === undefined) {
        throw new TerminalError(`credential Secret "${secretName}" lacks ${missing.join(', ')} (keys as Azure Service Operator names them)`, Hazard.InvalidSpec);
    }
    const auth = authorityOptions(cloud);
    const who = `${clientId} in tenant ${tenantId} (Secret ${secretName})`;
    if (secret !== undefined) {
        return {
            credential: new ClientSecretCredential(tenantId, clientId, secret, auth),
            kind: 'client-secret',
            description: `service principal ${who}`,
            subscriptionId,
        };
    }
    if (certificate !== undefined) {
        return {
            credential: new ClientCertificateCredential(tenantId, clientId, { certificate, ...(certificatePassword === undefined ? {} : { certificatePassword }) }, auth),
            kind: 'client-certificate',
            description: `service principal ${who} (certificate)`,
            subscriptionId,
        };
    }
    // Workload identity for another client id: the federated token is the operator's own projected one.
    const tokenFilePath = value(operatorEnv, 'AZURE_FEDERATED_TOKEN_FILE');
    if (tokenFilePath === undefined) {
        throw new TerminalError(`credential Secret "${secretName}" asks for workload identity but the operator has no AZURE_FEDERATED_TOKEN_FILE`, Hazard.InvalidSpec);
    }
    return {
        credential: new WorkloadIdentityCredential({ tenantId, clientId, tokenFilePath, ...auth }),
        kind: 'workload-identity',
        description: `workload identity ${who}`,
        subscriptionId,
    };
}
/**
 * Keeps one credential per Secret content, so a token is reused across reconciles and a rotated
 * Secret takes effect on the next reconcile. The key is a digest of the data (never logged).
 */
export class CredentialCache {
    cloud;
    operatorEnv;
    entries = new Map();
    constructor(cloud, operatorEnv = process.env) {
        this.cloud = cloud;
        this.operatorEnv = operatorEnv;
    }
    forSecret(namespace, secretName, data) {
        const key = `${namespace}/${secretName}`;
        const digest = createHash('sha256')
            .update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b))))
            .digest('hex');
        const cached = this.entries.get(key);
        if (cached !== undefined && cached.digest === digest)
            return cached.credential;
        const credential = credentialFromSecretData(secretName, data, this.cloud, this.operatorEnv);
        this.entries.set(key, { digest, credential });
        return credential;
    }
    /** Drops a Secret's credential (the Secret was deleted). */
    forget(namespace, secretName) {
        this.entries.delete(`${namespace}/${secretName}`);
    }
    get size() {
        return this.entries.size;
    }
}
//# sourceMappingURL=credentials.js.map