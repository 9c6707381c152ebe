// `pool.json` (GET Microsoft.Batch/batchAccounts/{a}/pools/{p}, REST JSON with `properties` nesting and
// `identity`) and `pool.nodes.json` (the Batch service node list with each node's VM extensions, as
// src/azure/batch.ts listPoolNodes writes it) → BatchPoolObservation. Pure and defensive like the other
// parsers: an odd field reads as undefined, never throws [B-ROT][BATCH-REST].
import { arr, asObject, bool, field, num, str, type Json } from '../observed/json.js';
import { parseKeyVaultId } from '../observed/keyvault-url.js';
import { KEY_VAULT_EXTENSION_PUBLISHER, parseScaleSet } from '../observed/scale-set.js';
import type {
  ExtensionStatus,
  IdentityObservation,
  KeyVaultExtensionObservation,
  VaultAccessObservation,
  VaultCertificateObservation,
} from '../observed/types.js';
import {
  parseIdentity,
  parseVaultAccess,
  parseVaultCertificate,
  type VaultVersionBodies,
} from '../observed/vault.js';

/** One `observedCertificates` entry of a pool's KeyVault extension. */
export interface PoolObservedCertificate {
  readonly url: string;
  /** Lowercased vault name and secret name from the URL (undefined when it is not a vault URL). */
  readonly vaultName: string | undefined;
  readonly secretName: string | undefined;
  readonly collection: string | undefined;
  /** Set when the URL names a version: the extension then never installs a renewal. */
  readonly version: string | undefined;
  readonly certificateStoreName: string | undefined;
  readonly certificateStoreLocation: string | undefined;
  /** Windows v3.0 only. */
  readonly keyExportable: boolean | undefined;
}

export interface PoolKeyVaultExtension {
  readonly name: string;
  readonly type: string;
  readonly typeHandlerVersion: string | undefined;
  /** v1.0 string list or v3.0 object list of observed certificates [KVW-24][KVL-25]. */
  readonly settingsForm: 'strings' | 'objects';
  readonly pollingIntervalInS: number | undefined;
  readonly linkOnRenewal: boolean | undefined;
  readonly requireInitialSync: boolean | undefined;
  readonly observedCertificates: readonly PoolObservedCertificate[];
  readonly msiClientId: string | undefined;
  readonly msiEndpoint: string | undefined;
}

export interface BatchNodeObservation {
  readonly id: string;
  /** Batch node state: `idle`, `running`, `starting`, `unusable`, … */
  readonly state: string | undefined;
  readonly runningTasks: number;
  /** Per-extension provisioning status, keyed by extension name. */
  readonly extensions: Readonly<Record<string, ExtensionStatus>>;
}

export interface PoolObservation {
  readonly name: string;
  readonly id: string | undefined;
  /** `Succeeded` or `Deleting` [B-SPEC]. */
  readonly provisioningState: string | undefined;
  /** `Steady`, `Resizing` or `Stopping`. */
  readonly allocationState: string | undefined;
  readonly currentDedicatedNodes: number;
  readonly currentLowPriorityNodes: number;
  readonly targetDedicatedNodes: number;
  readonly targetLowPriorityNodes: number;
  readonly autoScale: boolean;
  readonly identityType: string | undefined;
  /** Lowercased resource ids of the user-assigned identities. */
  readonly userAssignedIdentityIds: readonly string[];
  readonly keyVaultExtensions: readonly PoolKeyVaultExtension[];
  /** Undefined when no node data was gathered (pool.nodes.json is optional). */
  readonly nodes: readonly BatchNodeObservation[] | undefined;
  /** The raw body, for deriving the body of a recreation. */
  readonly body: Json;
}

export interface BatchPoolObservation {
  /** Undefined when the pool does not exist. */
  readonly pool: PoolObservation | undefined;
  /** The spec's `certificate` in its vault, when the spec names one. */
  readonly vault: VaultCertificateObservation | undefined;
  /** Access of the identity, per lowercased vault name of `spec.certificates[].secretId`. */
  readonly access: Readonly<Record<string, VaultAccessObservation>>;
  readonly identity: IdentityObservation | undefined;
}

/**
 * The pool's KeyVault extension settings, parsed by the scale-set parser (the settings schema is the
 * extension's, not the host's [KVW-24][KVL-25]): a pool extension is the scale-set extension's
 * `properties` without the nesting, so it is wrapped in a synthetic scale-set body.
 */
function keyVaultExtensionsOf(extensions: readonly Json[]): KeyVaultExtensionObservation[] {
  const wrapped = {
    properties: {
      virtualMachineProfile: {
        extensionProfile: {
          extensions: extensions.map((e) => ({ name: str(field(e, 'name')) ?? '', properties: e })),
        },
      },
    },
  };
  return [...parseScaleSet('pool', wrapped).keyVaultExtensions];
}

function settingsObject(value: Json): Json {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

/** `keyExportable` per URL (the shared parser does not read it; Windows v3.0 only [KVW-24]). */
function keyExportableByUrl(extension: Json): Map<string, boolean> {
  const observed = arr(
    field(settingsObject(field(extension, 'settings')), 'secretsManagementSettings', 'observedCertificates'),
  );
  const out = new Map<string, boolean>();
  for (const o of observed) {
    const url = str(field(o, 'url'));
    const exportable = bool(field(o, 'keyExportable'));
    if (url !== undefined && exportable !== undefined) out.set(url, exportable);
  }
  return out;
}

function poolKeyVaultExtension(raw: Json, parsed: KeyVaultExtensionObservation): PoolKeyVaultExtension {
  const exportable = keyExportableByUrl(raw);
  return {
    name: parsed.name,
    type: parsed.type,
    typeHandlerVersion: parsed.typeHandlerVersion,
    settingsForm: parsed.settingsForm,
    pollingIntervalInS: parsed.pollingIntervalInS,
    linkOnRenewal: parsed.linkOnRenewal,
    requireInitialSync: parsed.requireInitialSync,
    msiClientId: parsed.msiClientId,
    msiEndpoint: parsed.msiEndpoint,
    observedCertificates: parsed.observedCertificates.map((o) => {
      const id = parseKeyVaultId(o.url);
      return {
        url: o.url,
        vaultName: id?.vaultName,
        secretName: id?.name.toLowerCase(),
        collection: id?.collection,
        version: id?.version,
        certificateStoreName: o.certificateStoreName,
        certificateStoreLocation: o.certificateStoreLocation,
        keyExportable: exportable.get(o.url),
      };
    }),
  };
}

function eqi(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Batch node extension: `provisioningState` wins; the instance view's status codes otherwise [BATCH-REST]. */
function nodeExtensionStatus(ext: Json): ExtensionStatus {
  const state = str(field(ext, 'provisioningState'));
  if (state !== undefined) {
    if (eqi(state, 'Succeeded')) return 'succeeded';
    if (eqi(state, 'Failed')) return 'failed';
    return 'transitioning';
  }
  const codes = arr(field(ext, 'instanceView', 'statuses')).flatMap((s) => {
    const code = str(field(s, 'code'));
    return code === undefined ? [] : [code.toLowerCase()];
  });
  if (codes.some((c) => c.startsWith('provisioningstate/failed'))) return 'failed';
  if (codes.includes('provisioningstate/succeeded')) return 'succeeded';
  if (codes.some((c) => c.startsWith('provisioningstate/'))) return 'transitioning';
  return 'unknown';
}

/** `pool.nodes.json`: `{"value":[node…], "nodeExtensions":{"<nodeId>":[NodeVMExtension…]}}`. */
export function parsePoolNodes(body: Json): BatchNodeObservation[] {
  const byNode = asObject(field(body, 'nodeExtensions')) ?? {};
  return arr(field(body, 'value')).flatMap((node) => {
    const id = str(field(node, 'id'));
    if (id === undefined) return [];
    const extensions: Record<string, ExtensionStatus> = {};
    for (const ext of arr(byNode[id])) {
      const name = str(field(ext, 'vmExtension', 'name')) ?? str(field(ext, 'instanceView', 'name'));
      if (name !== undefined) extensions[name] = nodeExtensionStatus(ext);
    }
    return [
      {
        id,
        state: str(field(node, 'state')),
        runningTasks: num(field(node, 'runningTasksCount')) ?? 0,
        extensions,
      },
    ];
  });
}

export function parsePool(name: string, body: Json, nodesBody?: Json): PoolObservation {
  const props = field(body, 'properties');
  const rawExtensions = arr(
    field(props, 'deploymentConfiguration', 'virtualMachineConfiguration', 'extensions'),
  );
  const kvRaw = rawExtensions.filter((e) => eqi(str(field(e, 'publisher')), KEY_VAULT_EXTENSION_PUBLISHER));
  const parsed = keyVaultExtensionsOf(kvRaw);
  const identities = asObject(field(body, 'identity', 'userAssignedIdentities')) ?? {};
  const fixed = field(props, 'scaleSettings', 'fixedScale');
  return {
    name: str(field(body, 'name')) ?? name,
    id: str(field(body, 'id')),
    provisioningState: str(field(props, 'provisioningState')),
    allocationState: str(field(props, 'allocationState')),
    currentDedicatedNodes: num(field(props, 'currentDedicatedNodes')) ?? 0,
    currentLowPriorityNodes: num(field(props, 'currentLowPriorityNodes')) ?? 0,
    targetDedicatedNodes: num(field(fixed, 'targetDedicatedNodes')) ?? 0,
    targetLowPriorityNodes: num(field(fixed, 'targetLowPriorityNodes')) ?? 0,
    autoScale: field(props, 'scaleSettings', 'autoScale') !== undefined,
    identityType: str(field(body, 'identity', 'type')),
    userAssignedIdentityIds: Object.keys(identities).map((id) => id.toLowerCase()),
    keyVaultExtensions: parsed.map((p, i) => poolKeyVaultExtension(kvRaw[i], p)),
    nodes: nodesBody === undefined ? undefined : parsePoolNodes(nodesBody),
    body,
  };
}

/** The raw REST bodies one Batch pool rotation needs: the snapshot directory of design §2, in memory. */
export interface BatchPoolBodies {
  /** pool.json; undefined when the pool does not exist (404). */
  readonly pool: Json;
  /** pool.nodes.json (optional). */
  readonly nodes?: Json;
  /** The spec's `certificate`, when it names one. */
  readonly vault?: {
    readonly certificateName: string;
    readonly versions: Json;
    readonly byVersion: Readonly<Record<string, VaultVersionBodies>>;
    readonly pendingOperation?: boolean;
  };
  /** `GET Microsoft.KeyVault/vaults/{name}` (and role assignments under RBAC), per vault name. */
  readonly access?: Readonly<Record<string, { readonly vault: Json; readonly roleAssignments?: Json }>>;
  /** identity.json */
  readonly identity?: Json;
}

export function observeBatchPool(poolName: string, bodies: BatchPoolBodies): BatchPoolObservation {
  const identity = bodies.identity === undefined ? undefined : parseIdentity(bodies.identity);
  const access: Record<string, VaultAccessObservation> = {};
  for (const [vault, b] of Object.entries(bodies.access ?? {})) {
    access[vault.toLowerCase()] = parseVaultAccess(b.vault, identity?.principalId, b.roleAssignments);
  }
  return {
    pool: bodies.pool === undefined ? undefined : parsePool(poolName, bodies.pool, bodies.nodes),
    vault:
      bodies.vault === undefined
        ? undefined
        : parseVaultCertificate(bodies.vault.certificateName, bodies.vault.versions, bodies.vault.byVersion, {
            pendingOperation: bodies.vault.pendingOperation ?? false,
          }),
    access,
    identity,
  };
}
