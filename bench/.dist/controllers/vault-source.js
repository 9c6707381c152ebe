import { getCertificate, getIssuerChainPem, listCertificateVersions } from '../azure/keyvault.js';
import { field, str } from '../domain/observed/json.js';
/** The certificate bundle and public issuer chain of one version (the secret's key is dropped at once). */
export async function readVersionBodies(clients, vault, certificate, version) {
    const bundle = await getCertificate(clients, vault, certificate, version);
    const cer = str(field(bundle.body, 'cer'));
    const chainPem = await getIssuerChainPem(clients, vault, certificate, version, cer);
    return { bundle: bundle.body, chainPem };
}
/** Direct reads: for `kv-rollover plan` and `snapshot`. */
export function directVaultSource(clients) {
    return {
        versions: async (vault, certificate) => (await listCertificateVersions(clients, vault, certificate)).body,
        versionBodies: (vault, certificate, version) => readVersionBodies(clients, vault, certificate, version),
    };
}
/** The operator's source: the watcher's latest versions list when it has one, the shared bundle cache. */
export function cachedVaultSource(clients, watcher, bodies) {
    return {
        versions: async (vault, certificate) => watcher.cached(vault, certificate)?.body ??
            (await listCertificateVersions(clients, vault, certificate)).body,
        versionBodies: (vault, certificate, version) => bodies.get(vault, certificate, version),
    };
}
//# sourceMappingURL=vault-source.js.map