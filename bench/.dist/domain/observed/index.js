// The observed-state model: pure parse functions from raw Azure REST bodies to typed observations.
import { parseCluster } from './cluster.js';
import { parseScaleSet } from './scale-set.js';
import { parseIdentity, parseOtherCertificate, parseVaultAccess, parseVaultCertificate, } from './vault.js';
export * from './types.js';
export { parseCluster, presentationOrderOf } from './cluster.js';
export { parseScaleSet, parseScaleSetInstances, KEY_VAULT_EXTENSION_PUBLISHER, SERVICE_FABRIC_EXTENSION_PUBLISHER, } from './scale-set.js';
export { parseIdentity, parseOtherCertificate, parseVaultAccess, parseVaultCertificate, parseVaultPolicy, parseVaultVersion, SECRET_READER_ROLE_IDS, } from './vault.js';
export { parseKeyVaultId, sameObject, sameVersion, vaultBaseUri, vaultNameOf, versionlessSecretUrl, } from './keyvault-url.js';
export function observeServiceFabric(bodies) {
    const identity = bodies.identity === undefined ? undefined : parseIdentity(bodies.identity);
    return {
        cluster: parseCluster(bodies.cluster),
        scaleSets: Object.entries(bodies.scaleSets).map(([name, s]) => parseScaleSet(name, s.body, s.instances)),
        vault: parseVaultCertificate(bodies.vault.certificateName, bodies.vault.versions, bodies.vault.byVersion, {
            pendingOperation: bodies.vault.pendingOperation ?? false,
        }),
        access: bodies.access === undefined
            ? undefined
            : parseVaultAccess(bodies.access, identity?.principalId, bodies.roleAssignments),
        identity,
        otherCertificates: Object.entries(bodies.otherCertificates ?? {}).map(([name, bundle]) => parseOtherCertificate(name, bundle)),
    };
}
//# sourceMappingURL=index.js.map