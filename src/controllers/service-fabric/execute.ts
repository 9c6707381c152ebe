// Carries out one planner change with one Azure write. No decisions are made here: the planner already
// said what must change; this maps the change onto the adapter primitive that performs it.
import type { CertificatePolicy } from '@azure/keyvault-certificates';
import {
  addVaultSecretsAccessPolicy,
  assignVaultSecretsUser,
  beginPatchScaleSet,
  beginUpdateClusterCertificates,
  parseArmResourceId,
} from '../../azure/arm.js';
import type { AzureClients } from '../../azure/clients.js';
import {
  beginCreateCertificate,
  disableCertificateVersion,
  updateCertificatePolicy,
} from '../../azure/keyvault.js';
import type { LroHandle } from '../../azure/lro.js';
import { TerminalError } from '../../domain/errors.js';
import { Reason } from '../../domain/names.js';
import type { Json } from '../../domain/observed/index.js';
import type { Change } from '../../domain/plan/index.js';
import { scaleSetPatchFor } from './scale-set-patch.js';

export interface ExecutionTarget {
  readonly clients: AzureClients;
  /** The resource group of the cluster and its scale sets. */
  readonly resourceGroup: string;
  readonly clusterName: string;
  /** Raw scale set bodies as gathered in this reconcile, by scale set name. */
  readonly scaleSets: Readonly<Record<string, { readonly body: Json }>>;
}

function scaleSetBody(target: ExecutionTarget, vmss: string): Json {
  const found = target.scaleSets[vmss];
  if (found === undefined) {
    throw new TerminalError(
      `scale set "${vmss}" was not observed; cannot change it`,
      Reason.ResourceNotFound,
    );
  }
  return found.body;
}

async function grantVaultAccess(
  target: ExecutionTarget,
  change: Extract<Change, { op: 'GrantVaultAccess' }>,
) {
  const vault = change.vaultId === undefined ? undefined : parseArmResourceId(change.vaultId);
  if (change.vaultId === undefined || vault === undefined) {
    throw new TerminalError(
      `the resource id of vault "${change.vault}" is unknown; cannot grant access to it`,
      Reason.ResourceNotFound,
    );
  }
  if (change.model === 'Rbac') {
    await assignVaultSecretsUser(target.clients, change.vaultId, change.principalId);
    return;
  }
  if (change.tenantId === undefined) {
    throw new TerminalError(`the tenant of vault "${change.vault}" is unknown`, Reason.ResourceNotFound);
  }
  await addVaultSecretsAccessPolicy(target.clients, vault.resourceGroup, vault.name, {
    tenantId: change.tenantId,
    objectId: change.principalId,
  });
}

/**
 * Starts the write for `change`. Returns the long-running operation when Azure runs one (the caller keeps
 * its resume token in status and waits on observed state), `undefined` when the write completed at once.
 */
export async function startChange(target: ExecutionTarget, change: Change): Promise<LroHandle | undefined> {
  const { clients } = target;
  switch (change.op) {
    case 'AddScaleSetSecret':
    case 'RemoveScaleSetSecret':
    case 'InstallKeyVaultExtension':
    case 'SetServiceFabricExtensionCertificate':
    case 'RetryScaleSetUpdate':
      return beginPatchScaleSet(
        clients,
        target.resourceGroup,
        change.vmss,
        scaleSetPatchFor(change, scaleSetBody(target, change.vmss)),
      );
    case 'PatchCluster':
      return beginUpdateClusterCertificates(clients, target.resourceGroup, target.clusterName, {
        certificate: change.certificate,
      });
    case 'SetClusterCommonNames':
      return beginUpdateClusterCertificates(clients, target.resourceGroup, target.clusterName, {
        certificateCommonNames: change.certificateCommonNames,
        ...(change.removeCertificate ? { certificate: null } : {}),
      });
    case 'GrantVaultAccess':
      await grantVaultAccess(target, change);
      return undefined;
    case 'DisableVaultVersion':
      await disableCertificateVersion(clients, change.vault, change.certificateName, change.version);
      return undefined;
    case 'CreateVaultCertificate':
      return beginCreateCertificate(
        clients,
        change.vault,
        change.certificateName,
        change.policy as CertificatePolicy,
      );
    case 'UpdateVaultCertificatePolicy':
      await updateCertificatePolicy(
        clients,
        change.vault,
        change.certificateName,
        change.policy as CertificatePolicy,
      );
      return undefined;
  }
}

/** The Azure resource a change writes, for status and Events. */
export function changeTarget(change: Change, clusterName: string): string {
  switch (change.op) {
    case 'AddScaleSetSecret':
    case 'RemoveScaleSetSecret':
    case 'InstallKeyVaultExtension':
    case 'SetServiceFabricExtensionCertificate':
    case 'RetryScaleSetUpdate':
      return `vmss/${change.vmss}`;
    case 'PatchCluster':
    case 'SetClusterCommonNames':
      return `cluster/${clusterName}`;
    case 'GrantVaultAccess':
      return `vault/${change.vault}`;
    case 'DisableVaultVersion':
      return `vault/${change.vault}/certificates/${change.certificateName}/${change.version}`;
    case 'CreateVaultCertificate':
    case 'UpdateVaultCertificatePolicy':
      return `vault/${change.vault}/certificates/${change.certificateName}`;
  }
}
