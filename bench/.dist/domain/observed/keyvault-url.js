// Key Vault object identifiers: https://{vault}.vault.azure.net/{certificates|secrets|keys}/{name}[/{version}]
// Identifiers compare case-insensitively [KV-OBJ]; a URL without a version is a "base identifier".
export function parseKeyVaultId(url) {
    let parsed;
    try {
        parsed = new URL(url.trim());
    }
    catch {
        return undefined;
    }
    const parts = parsed.pathname.split('/').filter((p) => p !== '');
    const [collection, name, version] = parts;
    if (collection === undefined || name === undefined || parts.length > 3)
        return undefined;
    const host = parsed.host.toLowerCase();
    return {
        host,
        vaultName: host.split('.')[0] ?? host,
        collection: collection.toLowerCase(),
        name,
        version: version === undefined || version === '' ? undefined : version,
    };
}
/** The vault name from `spec.certificate.vault` (a bare name or a vault URI), lowercased. */
export function vaultNameOf(vault) {
    const trimmed = vault.trim();
    if (/^https?:\/\//i.test(trimmed)) {
        try {
            return (new URL(trimmed).host.split('.')[0] ?? trimmed).toLowerCase();
        }
        catch {
            return trimmed.toLowerCase();
        }
    }
    return trimmed.toLowerCase();
}
/** The vault's base URI for `spec.certificate.vault`; a bare name is taken to be in the public cloud. */
export function vaultBaseUri(vault) {
    const trimmed = vault.trim().replace(/\/+$/, '');
    return /^https?:\/\//i.test(trimmed)
        ? trimmed.toLowerCase()
        : `https://${trimmed.toLowerCase()}.vault.azure.net`;
}
/** The versionless secret URL the KeyVault VM extension observes (`/secrets/<name>`, never `/certificates`). */
export function versionlessSecretUrl(vault, certificateName) {
    return `${vaultBaseUri(vault)}/secrets/${certificateName}`;
}
/** Same vault object (vault, collection, name), version ignored. */
export function sameObject(a, b) {
    return (a.vaultName === b.vaultName &&
        a.collection === b.collection &&
        a.name.toLowerCase() === b.name.toLowerCase());
}
export function sameVersion(a, b) {
    return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
//# sourceMappingURL=keyvault-url.js.map