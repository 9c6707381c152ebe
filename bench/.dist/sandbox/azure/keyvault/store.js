// The vaults of the simulated world and their read-side API. The Key Vault data-plane service
// (service.ts) and the simulated KeyVault VM extension on nodes (AZ-ARM's world) both read through here,
// so a node sees exactly what a client of the REST API would see.
import { rbacAllows } from '../authz.js';
import { CONTENT_TYPE_PEM } from './model.js';
import { buildPemBundle, buildPfx } from './pkcs.js';
export function vaultUri(vaultName) {
    return `https://${vaultName}.vault.azure.net/`;
}
export function vaultResourceId(v) {
    return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
}
export class VaultStore {
    roleAssignments;
    vaults = new Map();
    secretCache = new WeakMap();
    constructor(roleAssignments) {
        this.roleAssignments = roleAssignments;
    }
    addVault(init) {
        const key = init.name.toLowerCase();
        if (this.vaults.has(key))
            throw new Error(`vault ${init.name} already exists`);
        const vault = {
            name: init.name,
            subscriptionId: init.subscriptionId,
            resourceGroup: init.resourceGroup,
            location: init.location,
            tenantId: init.tenantId,
            enableRbacAuthorization: init.enableRbacAuthorization ?? false,
            enabledForDeployment: init.enabledForDeployment ?? true,
            accessPolicies: init.accessPolicies ?? [],
            certificates: new Map(),
            issuers: new Map(),
            tags: {},
        };
        this.vaults.set(key, vault);
        return vault;
    }
    /** Vault names are DNS labels: case-insensitive. */
    getVault(name) {
        return this.vaults.get(name.toLowerCase());
    }
    allVaults() {
        return [...this.vaults.values()];
    }
    getCertificate(vaultName, certName) {
        return this.getVault(vaultName)?.certificates.get(certName.toLowerCase());
    }
    /** All versions of a certificate in creation order (latest last); empty when unknown. */
    listCertificateVersions(vaultName, certName) {
        const vault = this.getVault(vaultName);
        const cert = vault?.certificates.get(certName.toLowerCase());
        if (!vault || !cert)
            return [];
        return cert.versions.map((v) => toView(vault, cert, v));
    }
    /** The current version (latest created), enabled or not. */
    latestCertificateVersion(vaultName, certName) {
        const all = this.listCertificateVersions(vaultName, certName);
        return all[all.length - 1];
    }
    /**
     * Reads the secret of a certificate as Key Vault does: the given version, or the current version when
     * `version` is omitted (versionless URL). A disabled version refuses reads (`SecretDisabled`).
     */
    getSecret(vaultName, name, version) {
        const vault = this.getVault(vaultName);
        if (!vault)
            return { ok: false, code: 'VaultNotFound' };
        const cert = vault.certificates.get(name.toLowerCase());
        const record = cert
            ? version
                ? cert.versions.find((v) => v.version.toLowerCase() === version.toLowerCase())
                : cert.versions[cert.versions.length - 1]
            : undefined;
        if (!cert || !record)
            return { ok: false, code: 'SecretNotFound' };
        if (!record.enabled)
            return { ok: false, code: 'SecretDisabled' };
        const view = toView(vault, cert, record);
        return {
            ok: true,
            secret: {
                certificate: view,
                id: view.secretId,
                contentType: record.contentType,
                value: this.secretValue(record),
            },
        };
    }
    /**
     * The newest enabled version's secret — what a polling agent that tolerates a disabled latest
     * version would fall back to. (Key Vault's versionless GET itself refuses when the latest is disabled;
     * use `getSecret` for that behaviour.)
     */
    latestEnabledSecret(vaultName, name) {
        const cert = this.getCertificate(vaultName, name);
        if (!cert)
            return undefined;
        for (let i = cert.versions.length - 1; i >= 0; i--) {
            const v = cert.versions[i];
            if (v.enabled) {
                const r = this.getSecret(vaultName, name, v.version);
                return r.ok ? r.secret : undefined;
            }
        }
        return undefined;
    }
    /**
     * Whether `principalObjectId` may perform `permission` on the vault: access policies (matching object
     * id, permission or `all`, case-insensitive) or, when the vault uses RBAC, a role assignment at the
     * vault's scope or above [KV-RBAC][SF-MGMT].
     */
    allows(vaultName, principalObjectId, permission) {
        const vault = this.getVault(vaultName);
        if (!vault)
            return false;
        if (vault.enableRbacAuthorization)
            return rbacAllows(this.roleAssignments, vaultResourceId(vault), principalObjectId, permission);
        const [kind, perm] = 'secrets' in permission
            ? ['secrets', permission.secrets]
            : ['certificates', permission.certificates];
        const oid = principalObjectId.toLowerCase();
        return vault.accessPolicies.some((p) => p.objectId.toLowerCase() === oid &&
            (p.permissions[kind] ?? []).some((x) => x.toLowerCase() === perm || x.toLowerCase() === 'all'));
    }
    /**
     * What the KeyVault VM extension needs to read a certificate's secret: secrets get + list under access
     * policies, or a role granting secret reads (Key Vault Secrets User) under RBAC [KVW-24][KVL-25].
     */
    canReadSecrets(vaultName, principalObjectId) {
        return (this.allows(vaultName, principalObjectId, { secrets: 'get' }) &&
            this.allows(vaultName, principalObjectId, { secrets: 'list' }));
    }
    secretValue(record) {
        let value = this.secretCache.get(record);
        if (value === undefined) {
            value =
                record.contentType === CONTENT_TYPE_PEM
                    ? buildPemBundle(record.keyPkcs8, record.der, record.chain, record.exportable)
                    : buildPfx(record.keyPkcs8, record.keyType, record.der, record.chain, record.exportable).toString('base64');
            this.secretCache.set(record, value);
        }
        return value;
    }
}
export function toView(vault, cert, v) {
    const base = vaultUri(vault.name);
    return {
        vaultName: vault.name,
        name: cert.name,
        version: v.version,
        id: `${base}certificates/${cert.name}/${v.version}`,
        secretId: `${base}secrets/${cert.name}/${v.version}`,
        keyId: `${base}keys/${cert.name}/${v.version}`,
        der: v.der,
        chain: v.chain,
        thumbprint: v.thumbprint,
        x5t: v.x5t,
        subject: v.subject,
        dnsNames: v.dnsNames,
        issuerThumbprint: v.issuerThumbprint,
        notBefore: v.notBefore,
        notAfter: v.notAfter,
        enabled: v.enabled,
        created: v.created,
        updated: v.updated,
        contentType: v.contentType,
        issuerName: v.issuerName,
    };
}
//# sourceMappingURL=store.js.map