// Gather: read everything the Batch planner observes, as the raw REST bodies Azure returns (the snapshot
// layout of design §2: pool.json, pool.nodes.json, vault/…, identity.json), so a live reconcile,
// `kv-rollover plan` and `kv-rollover snapshot` feed the planner the same input. Reads only.
import type { BatchPoolCertificateRotationSpec } from '../../api/index.js';
import { getIdentity, getVault, listVaultRoleAssignments } from '../../azure/arm.js';
import { getBatchAccount, getPool, listPoolNodes } from '../../azure/batch.js';
import type { AzureClients } from '../../azure/clients.js';
import type { RawJson } from '../../azure/keyvault.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import type { BatchPoolBodies } from '../../domain/batch/index.js';
import { field, str } from '../../domain/observed/json.js';
import { parseKeyVaultId } from '../../domain/observed/index.js';
import { versionsToRead, type VaultSource } from '../service-fabric/gather.js';

import type { ReadReuse } from '../shared-reads.js';
export type { VaultSource } from '../service-fabric/gather.js';

export interface BatchGatherOptions {
  /** Also read the pool's nodes and their extensions through the Batch service API; default true. */
  readonly nodes?: boolean;
  /** Reuse recent reads of shared resources (account, identity, vault access); fresh when absent. */
  readonly reuse?: ReadReuse;
}

const FRESH: ReadReuse = { get: (_key, load) => load() };

type AccessBodies = NonNullable<BatchPoolBodies['access']>;
type AccessEntry = AccessBodies[string];

/** `undefined` for a resource that does not exist (404); every other failure propagates. */
async function unlessNotFound(read: Promise<RawJson>): Promise<RawJson | undefined> {
  try {
    return await read;
  } catch (err: unknown) {
    if (err instanceof TerminalError && err.reason === Reason.ResourceNotFound) return undefined;
    throw err;
  }
}

/** Distinct lowercased vault names of `spec.certificates[].secretId`. */
function vaultsOf(spec: BatchPoolCertificateRotationSpec): string[] {
  const names = spec.certificates.flatMap((c) => {
    const id = parseKeyVaultId(c.secretId);
    return id === undefined ? [] : [id.vaultName];
  });
  return [...new Set(names)];
}

async function vaultAccess(
  clients: AzureClients,
  spec: BatchPoolCertificateRotationSpec,
  principalId: string | undefined,
  reuse: ReadReuse,
): Promise<AccessBodies> {
  const entries = await Promise.all(
    vaultsOf(spec).map(async (name): Promise<[string, AccessEntry] | undefined> => {
      // Assumption (as for Service Fabric): the vaults live in the rotation's resource group. A vault
      // elsewhere is not observed, and the identity's access to it is not judged.
      const vault = await unlessNotFound(
        reuse.get(`vault/${spec.azure.subscriptionId}/${spec.azure.resourceGroup}/${name}`, () =>
          getVault(clients, spec.azure.resourceGroup, name),
        ),
      );
      if (vault === undefined) return undefined;
      const rbac = field(vault.body, 'properties', 'enableRbacAuthorization') === true;
      const vaultId = str(field(vault.body, 'id'));
      const roleAssignments =
        rbac && principalId !== undefined && vaultId !== undefined
          ? await reuse.get(`${vaultId}#roleAssignments#${principalId}`, () =>
              listVaultRoleAssignments(clients, vaultId, principalId),
            )
          : undefined;
      return [
        name,
        {
          vault: vault.body,
          ...(roleAssignments === undefined ? {} : { roleAssignments: roleAssignments.body }),
        },
      ];
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}

async function vaultCertificate(
  vault: VaultSource,
  spec: BatchPoolCertificateRotationSpec,
): Promise<BatchPoolBodies['vault']> {
  const certificate = spec.certificate;
  if (certificate === undefined) return undefined;
  // Key Vault answers 404 for the versions of a certificate that does not exist. With a declared policy
  // that is a certificate to enroll (EnsureVaultCertificate creates it); without one it stays an error.
  const versions = await vault.versions(certificate.vault, certificate.name).catch((err: unknown) => {
    if (
      certificate.policy !== undefined &&
      err instanceof TerminalError &&
      err.reason === Reason.ResourceNotFound
    )
      return { value: [] };
    throw err;
  });
  // No cluster and no scale sets: the newest versions are the ones worth reading in full.
  const wanted = versionsToRead(versions, undefined, [], certificate.name);
  const byVersion = Object.fromEntries(
    await Promise.all(
      wanted.map(
        async (v) => [v, await vault.versionBodies(certificate.vault, certificate.name, v)] as const,
      ),
    ),
  );
  return { certificateName: certificate.name, versions, byVersion };
}

export async function gatherBatchPool(
  clients: AzureClients,
  vault: VaultSource,
  spec: BatchPoolCertificateRotationSpec,
  options: BatchGatherOptions = {},
): Promise<BatchPoolBodies> {
  const rg = spec.azure.resourceGroup;
  const reuse = options.reuse ?? FRESH;
  // The account must exist (404 → terminal: the resource stalls); the pool may not (it is created).
  const [account, pool, identity, certificate] = await Promise.all([
    reuse.get(`batchAccount/${spec.azure.subscriptionId}/${rg}/${spec.batchAccount}`, () =>
      getBatchAccount(clients, rg, spec.batchAccount),
    ),
    unlessNotFound(getPool(clients, rg, spec.batchAccount, spec.pool.name)),
    reuse.get(spec.identity.resourceId, () => getIdentity(clients, spec.identity.resourceId)),
    vaultCertificate(vault, spec),
  ]);
  const endpoint = str(field(account.body, 'properties', 'accountEndpoint'));
  const withNodes = (options.nodes ?? true) && pool !== undefined && endpoint !== undefined;
  const [nodes, access] = await Promise.all([
    withNodes ? unlessNotFound(listPoolNodes(clients, endpoint, spec.pool.name)) : undefined,
    vaultAccess(clients, spec, str(field(identity.body, 'properties', 'principalId')), reuse),
  ]);
  return {
    pool: pool?.body,
    ...(nodes === undefined ? {} : { nodes: nodes.body }),
    ...(certificate === undefined ? {} : { vault: certificate }),
    access,
    identity: identity.body,
  };
}
