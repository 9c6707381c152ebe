import { azureCall } from '../azure/errors.js';
import { beginCreateCertificate } from '../azure/keyvault.js';
import { inOperation } from '../azure/pipeline.js';
import { Annotation } from '../domain/names.js';
/** `status.pendingOperation.operation` of a renewal in flight. */
export const RENEW_OPERATION = 'RenewVaultCertificate';
/** The token of a renewal requested and not acted on yet, if any. */
export function pendingRenewalToken(object) {
    const token = object.metadata.annotations?.[Annotation.RenewRequested]?.trim();
    if (token === undefined || token === '')
        return undefined;
    const handled = object.status?.renewal?.token;
    return token === handled ? undefined : token;
}
/** Whether a start error means the vault already runs an operation on the certificate (409 [KV-CREATE]). */
export function isOperationConflict(err) {
    const cause = err?.cause;
    return cause?.statusCode === 409;
}
/**
 * Starts the renewal of `certificate`: reads its current policy and creates a new version with it
 * (supplying the same policy leaves it unchanged [KV-CERT]). Returns the create's long-running handle.
 */
export async function beginRenewal(clients, vault, certificate) {
    const policy = await azureCall({
        service: 'keyvault',
        operation: 'getCertificatePolicy',
        resource: `the policy of certificate "${certificate}" in vault "${vault}"`,
        permission: 'certificate permission get',
    }, () => inOperation('getCertificatePolicy', () => clients.certificates(vault).getCertificatePolicy(certificate)));
    return beginCreateCertificate(clients, vault, certificate, policy);
}
//# sourceMappingURL=renew.js.map