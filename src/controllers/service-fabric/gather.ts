// Gather: read everything the Service Fabric planner observes, as the raw REST bodies Azure returns
// (the snapshot layout of design §2), so a live reconcile, `kv-rollover plan` and `kv-rollover snapshot`
// feed the planner exactly the same input. Reads only; never mutates.
import type { ServiceFabricCertificateRotationSpec } from '../../api/index.js';
import {
  getCluster,
  getIdentity,
  getScaleSet,
  getVault,
  listScaleSetInstances,
  listVaultRoleAssignments,
  parseArmResourceId,
} from '../../azure/arm.js';
import type { AzureClients } from '../../azure/clients.js';
import { classifyAzureError } from '../../azure/errors.js';
import { getCertificate, listCertificateVersions, parseRaw } from '../../azure/keyvault.js';
import { captureResponses } from '../../azure/pipeline.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import { thumbprintFromX5t } from '../../domain/x509.js';
import type { ReadReuse } from '../shared-reads.js';
import { arr, field, str, type Json } from '../../domain/observed/json.js';
import {
  parseKeyVaultId,
  vaultNameOf,
  type ServiceFabricBodies,
  type VaultVersionBodies,
} from '../../domain/observed/index.js';

/** Where vault certificate data comes from: the watcher's cache in the operator, direct reads in the CLI. */
export interface VaultSource {
  /** "Get certificate versions" body (`{"value":[…]}`). */
  versions(vault: string, certificate: string): Promise<Json>;
  versionBodies(vault: string, certificate: string, version: string): Promise<VaultVersionBodies>;
}

/** How many of the newest versions are read in full (bundle + chain) besides those in use. */
const NEWEST_VERSIONS_READ = 3;

function versionOfEntry(entry: Json): string | undefined {
  const id = str(field(entry, 'id'));
  return id === undefined ? undefined : parseKeyVaultId(id)?.version;
}

function createdOf(entry: Json): number {
  const created = field(entry, 'attributes', 'created');
  return typeof created === 'number' ? created : 0;
}

function thumbprintOfEntry(entry: Json): string | undefined {
  const x5t = str(field(entry, 'x5t'));
  if (x5t === undefined) return undefined;
  try {
    return thumbprintFromX5t(x5t);
  } catch {
    return undefined;
  }
}

/** Thumbprints the cluster declares (primary and secondary), uppercase. */
function clusterThumbprints(cluster: Json): string[] {
  const cert = field(cluster, 'properties', 'certificate');
  return [str(field(cert, 'thumbprint')), str(field(cert, 'thumbprintSecondary'))]
    .filter((t): t is string => t !== undefined)
    .map((t) => t.replace(/\s/g, '').toUpperCase());
}

/** Versions of `certificate` the scale sets reference through versioned secret URLs. */
function referencedVersions(scaleSets: readonly Json[], certificate: string): string[] {
  return scaleSets.flatMap((vmss) =>
    arr(field(vmss, 'properties', 'virtualMachineProfile', 'osProfile', 'secrets')).flatMap((group) =>
      arr(field(group, 'vaultCertificates')).flatMap((vc) => {
        const url = str(field(vc, 'certificateUrl'));
        const parsed = url === undefined ? undefined : parseKeyVaultId(url);
        return parsed?.version !== undefined && parsed.name.toLowerCase() === certificate.toLowerCase()
          ? [parsed.version]
          : [];
      }),
    ),
  );
}

/** The versions worth reading in full: the newest few, and every one the cluster or a scale set uses. */
export function versionsToRead(
  versionsBody: Json,
  cluster: Json,
  scaleSets: readonly Json[],
  certificate: string,
): string[] {
  const entries = arr(field(versionsBody, 'value'));
  const newest = [...entries].sort((a, b) => createdOf(b) - createdOf(a)).slice(0, NEWEST_VERSIONS_READ);
  const declared = new Set(clusterThumbprints(cluster));
  const inUse = entries.filter((e) => {
    const tp = thumbprintOfEntry(e);
    return tp !== undefined && declared.has(tp);
  });
  const wanted = [...newest, ...inUse].map(versionOfEntry).filter((v): v is string => v !== undefined);
  return [...new Set([...wanted, ...referencedVersions(scaleSets, certificate)])];
}

/** The vault's ARM id: from a scale set's `sourceVault` when one names it, else in the cluster's group. */
export function vaultResourceId(
  spec: ServiceFabricCertificateRotationSpec,
  scaleSets: readonly Json[],
): string {
  const name = vaultNameOf(spec.certificate.vault);
  for (const vmss of scaleSets) {
    for (const group of arr(field(vmss, 'properties', 'virtualMachineProfile', 'osProfile', 'secrets'))) {
      const id = str(field(group, 'sourceVault', 'id'));
      if (id !== undefined && parseArmResourceId(id)?.name.toLowerCase() === name) return id;
    }
  }
  return `/subscriptions/${spec.azure.subscriptionId}/resourceGroups/${spec.azure.resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`;
}

/** Key Vault's pending-operation body (`CertificateOperation` [KV-SPEC]), the fields the operator reads. */
export interface VaultOperationState {
  /** `inProgress`, `completed`, `failed`, `cancelled` (compared case-insensitively). */
  readonly status: string | undefined;
  /** The issuer's error of a failed operation (`error.message`), else `status_details`. */
  readonly message: string | undefined;
  readonly code: string | undefined;
}

/**
 * The certificate's pending operation ("get certificate operation" [KV-SPEC]), or `undefined` when the
 * vault has none (404). Read through the SDK so the request carries the vault's challenge auth.
 */
/** The generated Key Vault client inside `CertificateClient` (the one operation used here). */
interface GeneratedCertificates {
  getCertificateOperation(certificateName: string): Promise<unknown>;
}

export async function readVaultOperation(
  clients: AzureClients,
  vault: string,
  certificate: string,
): Promise<VaultOperationState | undefined> {
  const operation = 'getCertificateOperation';
  const context = {
    service: 'keyvault' as const,
    operation,
    resource: `the pending operation of certificate "${certificate}" in vault "${vault}"`,
    permission: 'certificate permission get',
  };
  // The SDK's public `getCertificateOperation` starts with "get certificate", a 404 for a certificate
  // that has no version yet (a first create, pending or failed), and never reads the pending object.
  // The client's generated operation (same pipeline: auth, capture, metrics) reads it alone; the
  // response is taken from the pipeline capture. Pinned SDK (@azure/keyvault-certificates 4.x).
  const sdk = clients.certificates(vault);
  const generated = (sdk as unknown as { client?: GeneratedCertificates }).client;
  let thrown: unknown;
  const { responses } = await captureResponses(operation, async () => {
    try {
      if (typeof generated?.getCertificateOperation === 'function')
        await generated.getCertificateOperation(certificate);
      else await sdk.getCertificateOperation(certificate);
    } catch (err: unknown) {
      thrown = err;
    }
  });
  const answer = responses.find((r) => r.method === 'GET' && /\/pending(\?|$)/i.test(r.url));
  if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
    const body = parseRaw(answer, operation).body;
    return {
      status: str(field(body, 'status')),
      message: str(field(body, 'error', 'message')) ?? str(field(body, 'status_details')),
      code: str(field(body, 'error', 'code')),
    };
  }
  if (answer?.status === 404) return undefined;
  if (thrown !== undefined) {
    const classified = classifyAzureError(thrown, context);
    if (classified.reason === Reason.ResourceNotFound) return undefined;
    throw classified;
  }
  return undefined;
}

export function operationInProgress(op: VaultOperationState | undefined): boolean {
  const status = op?.status?.toLowerCase();
  return status === 'inprogress';
}

const EMPTY_VERSIONS: Json = { value: [] };

/** The versions list read directly; an absent certificate (404) is an empty list. */
async function versionsOrEmpty(clients: AzureClients, vault: string, certificate: string): Promise<Json> {
  try {
    return (await listCertificateVersions(clients, vault, certificate)).body;
  } catch (err: unknown) {
    if (err instanceof TerminalError && err.reason === Reason.ResourceNotFound) return EMPTY_VERSIONS;
    throw err;
  }
}

/**
 * Version bodies are cached per process (a version never changes [KV-OBJ]) but the policy they carry
 * does: the latest bundle is re-read so drift is judged against the vault's policy of now.
 */
async function refreshPolicy(
  clients: AzureClients,
  spec: ServiceFabricCertificateRotationSpec,
  byVersion: Record<string, VaultVersionBodies>,
): Promise<void> {
  const latest = await getCertificate(clients, spec.certificate.vault, spec.certificate.name);
  const id = str(field(latest.body, 'id'));
  const version = id === undefined ? undefined : parseKeyVaultId(id)?.version;
  const key = Object.keys(byVersion).find((k) => k.toLowerCase() === version?.toLowerCase());
  if (version === undefined) return;
  const current = key === undefined ? undefined : byVersion[key];
  byVersion[key ?? version] = { ...current, bundle: latest.body };
}

export interface GatherOptions {
  /** Also read per-instance data (`virtualMachines?$expand=instanceView`); default true. */
  readonly instances?: boolean;
  /** Reuse recent reads of shared resources (identity, vault access); fresh reads when absent. */
  readonly reuse?: ReadReuse;
}

const FRESH: ReadReuse = { get: (_key, load) => load() };

export async function gatherServiceFabric(
  clients: AzureClients,
  vault: VaultSource,
  spec: ServiceFabricCertificateRotationSpec,
  options: GatherOptions = {},
): Promise<ServiceFabricBodies> {
  const rg = spec.azure.resourceGroup;
  const withInstances = options.instances ?? true;
  const reuse = options.reuse ?? FRESH;
  const enrolling = spec.certificate.policy !== undefined;
  const [cluster, scaleSetEntries, listedVersions, identity] = await Promise.all([
    getCluster(clients, rg, spec.cluster.name),
    Promise.all(
      spec.cluster.nodeTypes.map(async (nt) => {
        const [body, instances] = await Promise.all([
          getScaleSet(clients, rg, nt.vmssName),
          withInstances ? listScaleSetInstances(clients, rg, nt.vmssName) : Promise.resolve(undefined),
        ]);
        return [
          nt.vmssName,
          { body: body.body, ...(instances === undefined ? {} : { instances: instances.body }) },
        ] as const;
      }),
    ),
    vault.versions(spec.certificate.vault, spec.certificate.name).catch((err: unknown) => {
      // With a declared policy an absent certificate is expected: EnsureVaultCertificate creates it.
      if (enrolling && err instanceof TerminalError && err.reason === Reason.ResourceNotFound)
        return EMPTY_VERSIONS;
      throw err;
    }),
    reuse.get(spec.identity.resourceId, () => getIdentity(clients, spec.identity.resourceId)),
  ]);
  const { vault: vaultRef, name: certificateName } = spec.certificate;
  let versions = listedVersions;
  // A cached list may predate a create that just completed: never plan a second create from it.
  if (enrolling && arr(field(versions, 'value')).length === 0) {
    versions = await versionsOrEmpty(clients, vaultRef, certificateName);
  }
  const absent = arr(field(versions, 'value')).length === 0;
  // The pending operation is read when the certificate is absent or enrolled by this resource; a create
  // that completed but whose version is not listed yet still counts as pending [KV-CREATE].
  const operation =
    enrolling || absent ? await readVaultOperation(clients, vaultRef, certificateName) : undefined;
  const pendingOperation =
    operationInProgress(operation) || (absent && operation?.status?.toLowerCase() === 'completed');
  const scaleSetBodies = scaleSetEntries.map(([, s]) => s.body);
  const wanted = versionsToRead(versions, cluster.body, scaleSetBodies, certificateName);
  const byVersion: Record<string, VaultVersionBodies> = Object.fromEntries(
    await Promise.all(
      wanted.map(async (v) => [v, await vault.versionBodies(vaultRef, certificateName, v)] as const),
    ),
  );
  if (enrolling && !absent) await refreshPolicy(clients, spec, byVersion);
  const vaultId = vaultResourceId(spec, scaleSetBodies);
  const parsedVaultId = parseArmResourceId(vaultId);
  const access =
    parsedVaultId === undefined
      ? undefined
      : await reuse.get(vaultId, () => getVault(clients, parsedVaultId.resourceGroup, parsedVaultId.name));
  const principalId = str(field(identity.body, 'properties', 'principalId'));
  const rbac = field(access?.body, 'properties', 'enableRbacAuthorization') === true;
  const roleAssignments =
    rbac && principalId !== undefined
      ? await reuse.get(`${vaultId}#roleAssignments#${principalId}`, () =>
          listVaultRoleAssignments(clients, vaultId, principalId),
        )
      : undefined;
  return {
    cluster: cluster.body,
    scaleSets: Object.fromEntries(scaleSetEntries),
    vault: { certificateName, versions, byVersion, ...(pendingOperation ? { pendingOperation } : {}) },
    ...(access === undefined ? {} : { access: access.body }),
    ...(roleAssignments === undefined ? {} : { roleAssignments: roleAssignments.body }),
    identity: identity.body,
  };
}
