// The observed-state model: pure parse functions from raw Azure REST bodies to typed observations.
import { parseCluster } from './cluster.js';
import type { Json } from './json.js';
import { parseScaleSet } from './scale-set.js';
import type { ServiceFabricObservation } from './types.js';
import {
  parseIdentity,
  parseOtherCertificate,
  parseVaultAccess,
  parseVaultCertificate,
  type VaultVersionBodies,
} from './vault.js';

export * from './types.js';
export { parseCluster, presentationOrderOf } from './cluster.js';
export {
  parseScaleSet,
  parseScaleSetInstances,
  KEY_VAULT_EXTENSION_PUBLISHER,
  SERVICE_FABRIC_EXTENSION_PUBLISHER,
} from './scale-set.js';
export {
  parseIdentity,
  parseOtherCertificate,
  parseVaultAccess,
  parseVaultCertificate,
  parseVaultPolicy,
  parseVaultVersion,
  SECRET_READER_ROLE_IDS,
  type VaultVersionBodies,
} from './vault.js';
export {
  parseKeyVaultId,
  sameObject,
  sameVersion,
  vaultBaseUri,
  vaultNameOf,
  versionlessSecretUrl,
  type KeyVaultObjectId,
} from './keyvault-url.js';
export type { Json } from './json.js';

/** The raw REST bodies one Service Fabric rotation needs: the snapshot directory of design §2, in memory. */
export interface ServiceFabricBodies {
  /** cluster.json */
  readonly cluster: Json;
  /** vmss/<name>.json and the optional vmss/<name>.instances.json, by scale set name. */
  readonly scaleSets: Readonly<Record<string, { readonly body: Json; readonly instances?: Json }>>;
  readonly vault: {
    readonly certificateName: string;
    /** vault/<certificateName>/versions.json */
    readonly versions: Json;
    /** vault/<certificateName>/<version>.json and <version>.chain.pem, by version. */
    readonly byVersion: Readonly<Record<string, VaultVersionBodies>>;
    readonly pendingOperation?: boolean;
  };
  /** vault/access.json */
  readonly access?: Json;
  /** Role assignments at vault scope (RBAC model), when gathered. */
  readonly roleAssignments?: Json;
  /** identity.json */
  readonly identity?: Json;
  /** Bundles of other vault certificates provisioned to the same nodes, by certificate name. */
  readonly otherCertificates?: Readonly<Record<string, Json>>;
}

export function observeServiceFabric(bodies: ServiceFabricBodies): ServiceFabricObservation {
  const identity = bodies.identity === undefined ? undefined : parseIdentity(bodies.identity);
  return {
    cluster: parseCluster(bodies.cluster),
    scaleSets: Object.entries(bodies.scaleSets).map(([name, s]) => parseScaleSet(name, s.body, s.instances)),
    vault: parseVaultCertificate(
      bodies.vault.certificateName,
      bodies.vault.versions,
      bodies.vault.byVersion,
      {
        pendingOperation: bodies.vault.pendingOperation ?? false,
      },
    ),
    access:
      bodies.access === undefined
        ? undefined
        : parseVaultAccess(bodies.access, identity?.principalId, bodies.roleAssignments),
    identity,
    otherCertificates: Object.entries(bodies.otherCertificates ?? {}).map(([name, bundle]) =>
      parseOtherCertificate(name, bundle),
    ),
  };
}
