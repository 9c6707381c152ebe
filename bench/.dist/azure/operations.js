// Resuming a long-running operation from the token the controller stored in status.
import { resumePatchScaleSet, resumeUpdateClusterCertificates } from './arm.js';
import { resumeDeletePool } from './batch.js';
import { resumeCreateCertificate } from './keyvault.js';
import { LroKind, decodeResumeToken } from './lro.js';
/** Rebuilds the handle of the operation behind `resumeToken`; sends no new write. */
export async function resumeOperation(clients, resumeToken) {
    const { kind, state, resource } = decodeResumeToken(resumeToken);
    switch (kind) {
        case LroKind.ScaleSetUpdate:
            return resumePatchScaleSet(clients, state, resource);
        case LroKind.ClusterPut:
            return resumeUpdateClusterCertificates(clients, state, resource);
        case LroKind.PoolDelete:
            return resumeDeletePool(clients, state, resource);
        case LroKind.CertificateCreate:
            return resumeCreateCertificate(clients, state);
    }
}
//# sourceMappingURL=operations.js.map