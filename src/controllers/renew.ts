// Renewal on request (`kv-rollover renew`, like `cmctl renew`): the CLI sets the annotation
// `kvrollover.io/renew-requested` to a fresh token; a controller that sees a token it has not acted on
// asks the vault for a new version once, by creating the certificate again with its existing policy
// [KV-CREATE] ("a create with the existing policy = renewal"). The token acted on is remembered in
// `status.renewal`, so a restart never renews twice; the operator never writes spec or annotations.
import type { RotationStatus } from '../api/index.js';
import type { AzureClients } from '../azure/clients.js';
import { azureCall } from '../azure/errors.js';
import { beginCreateCertificate } from '../azure/keyvault.js';
import type { LroHandle } from '../azure/lro.js';
import { inOperation } from '../azure/pipeline.js';
import { Annotation } from '../domain/names.js';
import type { KubeObject } from '../kube/types.js';

/** `status.pendingOperation.operation` of a renewal in flight. */
export const RENEW_OPERATION = 'RenewVaultCertificate';

export interface RenewalRecord {
  readonly token: string;
  readonly requestedAt: string;
}

/** The token of a renewal requested and not acted on yet, if any. */
export function pendingRenewalToken(object: KubeObject): string | undefined {
  const token = object.metadata.annotations?.[Annotation.RenewRequested]?.trim();
  if (token === undefined || token === '') return undefined;
  const handled = (object.status as RotationStatus | undefined)?.renewal?.token;
  return token === handled ? undefined : token;
}

/** Whether a start error means the vault already runs an operation on the certificate (409 [KV-CREATE]). */
export function isOperationConflict(err: unknown): boolean {
  const cause = (err as { cause?: { statusCode?: unknown } } | undefined)?.cause;
  return cause?.statusCode === 409;
}

/**
 * Starts the renewal of `certificate`: reads its current policy and creates a new version with it
 * (supplying the same policy leaves it unchanged [KV-CERT]). Returns the create's long-running handle.
 */
export async function beginRenewal(
  clients: AzureClients,
  vault: string,
  certificate: string,
): Promise<LroHandle> {
  const policy = await azureCall(
    {
      service: 'keyvault',
      operation: 'getCertificatePolicy',
      resource: `the policy of certificate "${certificate}" in vault "${vault}"`,
      permission: 'certificate permission get',
    },
    () =>
      inOperation('getCertificatePolicy', () =>
        clients.certificates(vault).getCertificatePolicy(certificate),
      ),
  );
  return beginCreateCertificate(clients, vault, certificate, policy);
}
