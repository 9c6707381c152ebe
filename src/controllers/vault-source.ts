// Where the controllers and the CLI read vault certificates from. The CLI reads directly; the operator
// reads the versions list from the vault watcher's cache (one poll per distinct certificate per interval,
// design §9) and each version's bundle and chain once per process (VaultBodiesCache).
import type { AzureClients } from '../azure/clients.js';
import { getCertificate, getIssuerChainPem, listCertificateVersions } from '../azure/keyvault.js';
import { field, str } from '../domain/observed/json.js';
import type { VaultVersionBodies } from '../domain/observed/index.js';
import type { VaultSource } from './service-fabric/gather.js';
import type { VaultBodiesCache } from './vault-bodies.js';

/** The certificate bundle and public issuer chain of one version (the secret's key is dropped at once). */
export async function readVersionBodies(
  clients: AzureClients,
  vault: string,
  certificate: string,
  version: string,
): Promise<VaultVersionBodies> {
  const bundle = await getCertificate(clients, vault, certificate, version);
  const cer = str(field(bundle.body, 'cer'));
  const chainPem = await getIssuerChainPem(clients, vault, certificate, version, cer);
  return { bundle: bundle.body, chainPem };
}

/** Direct reads: for `kv-rollover plan` and `snapshot`. */
export function directVaultSource(clients: AzureClients): VaultSource {
  return {
    versions: async (vault, certificate) => (await listCertificateVersions(clients, vault, certificate)).body,
    versionBodies: (vault, certificate, version) => readVersionBodies(clients, vault, certificate, version),
  };
}

export interface CachedVersions {
  cached(vault: string, certificate: string): { body: unknown } | undefined;
}

/** The operator's source: the watcher's latest versions list when it has one, the shared bundle cache. */
export function cachedVaultSource(
  clients: AzureClients,
  watcher: CachedVersions,
  bodies: VaultBodiesCache,
): VaultSource {
  return {
    versions: async (vault, certificate) =>
      watcher.cached(vault, certificate)?.body ??
      (await listCertificateVersions(clients, vault, certificate)).body,
    versionBodies: (vault, certificate, version) => bodies.get(vault, certificate, version),
  };
}
