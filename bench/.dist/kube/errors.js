// Classification of Kubernetes API failures into the domain taxonomy (src/domain/errors.ts), once, at
// the adapter boundary: 409/429/5xx and network failures are transient; other 4xx are terminal.
import { TerminalError, TransientError } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
/** The HTTP status of a client-node failure (`ApiException.code`, or `statusCode` from `Watch`). */
export function kubeStatusCode(err) {
    if (typeof err !== 'object' || err === null)
        return undefined;
    const e = err;
    if (typeof e.code === 'number')
        return e.code;
    if (typeof e.statusCode === 'number')
        return e.statusCode;
    return undefined;
}
export function isNotFound(err) {
    return kubeStatusCode(err) === 404;
}
export function isConflict(err) {
    return kubeStatusCode(err) === 409;
}
export function isAlreadyExists(err) {
    return kubeStatusCode(err) === 409 && /AlreadyExists/i.test(bodyText(err));
}
function bodyText(err) {
    const body = err.body;
    return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}
/** The `message` of a Kubernetes Status body, when there is one. */
export function kubeErrorMessage(err) {
    const body = err?.body;
    try {
        const parsed = (typeof body === 'string' ? JSON.parse(body) : body);
        if (typeof parsed?.message === 'string')
            return parsed.message;
    }
    catch {
        // not JSON
    }
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
}
/** `Retry-After` (seconds) of a failed request, in milliseconds, when the server sent one. */
export function retryAfterMs(err) {
    if (typeof err !== 'object' || err === null)
        return undefined;
    const headers = err.headers;
    const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
    const seconds = value === undefined ? NaN : Number(value);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
/**
 * Reason for Kubernetes API failures that are not 403/404. Not in src/domain/names.ts (owned by the
 * lead); it appears only in logs and the `reason` label of reconcile error metrics.
 */
export const KUBERNETES_API_ERROR = 'KubernetesApiError';
export function classifyKubeError(err, what) {
    if (err instanceof TransientError || err instanceof TerminalError)
        return err;
    const code = kubeStatusCode(err);
    const message = `${what}: ${code ?? 'network'} ${kubeErrorMessage(err)}`;
    if (code === undefined || code === 409 || code === 429 || code >= 500) {
        return new TransientError(message, KUBERNETES_API_ERROR, {
            cause: err,
            retryAfterMs: retryAfterMs(err),
        });
    }
    const reason = code === 403 ? Reason.PermissionDenied : code === 404 ? Reason.ResourceNotFound : KUBERNETES_API_ERROR;
    return new TerminalError(message, reason, { cause: err });
}
//# sourceMappingURL=errors.js.map