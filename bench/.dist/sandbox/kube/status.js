// metav1.Status errors as the API server returns them (k8s.io/apimachinery/pkg/api/errors): the HTTP code,
// the reason and the message wording that clients (client-go, kubectl, @kubernetes/client-node) parse.
import { invalidMessage } from '../../api/structural/index.js';
/** A request failure carrying the Status body to send. */
export class ApiError extends Error {
    status;
    headers;
    constructor(status, headers = {}) {
        super(status.message ?? status.reason ?? `HTTP ${status.code}`);
        this.status = status;
        this.headers = headers;
    }
    get code() {
        return this.status.code ?? 500;
    }
}
export function statusBody(code, reason, message, details) {
    const status = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
    };
    if (details)
        status.details = details;
    return status;
}
export function successStatus(details) {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
    if (details)
        status.details = details;
    return status;
}
const qualified = (gr) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
const detailsOf = (gr, name, kind = gr.resource) => {
    const details = { name, kind };
    if (gr.group)
        details.group = gr.group;
    return details;
};
export const errors = {
    notFound: (gr, name) => new ApiError(statusBody(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name))),
    resourceNotFound: () => new ApiError(statusBody(404, 'NotFound', 'the server could not find the requested resource', {})),
    alreadyExists: (gr, name) => new ApiError(statusBody(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsOf(gr, name))),
    conflict: (gr, name, why) => new ApiError(statusBody(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, detailsOf(gr, name))),
    staleResourceVersion: (gr, name) => errors.conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again'),
    invalid: (kind, group, name, causes) => {
        const details = { name, kind, causes: causes.map(toStatusCause) };
        if (group)
            details.group = group;
        return new ApiError(statusBody(422, 'Invalid', invalidMessage(kind, group, name, causes), details));
    },
    badRequest: (message) => new ApiError(statusBody(400, 'BadRequest', message)),
    forbidden: (gr, name, why) => new ApiError(statusBody(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, detailsOf(gr, name))),
    methodNotAllowed: (verb) => new ApiError(statusBody(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {}), { Allow: verb }),
    unsupportedMediaType: (contentType) => new ApiError(statusBody(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got ${contentType}`)),
    unauthorized: () => new ApiError(statusBody(401, 'Unauthorized', 'Unauthorized')),
    gone: (message) => new ApiError(statusBody(410, 'Expired', message)),
    tooManyRequests: (retryAfterSeconds) => new ApiError(statusBody(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', {
        causes: [{ type: 'ServerTimeout', message: 'the server has received too many requests' }],
        retryAfterSeconds,
    }), { 'Retry-After': String(retryAfterSeconds) }),
    internal: (message) => new ApiError(statusBody(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] })),
    timeout: (message, retryAfterSeconds = 1) => new ApiError(statusBody(504, 'Timeout', message, { retryAfterSeconds }), {
        'Retry-After': String(retryAfterSeconds),
    }),
};
export function toStatusCause(cause) {
    const out = { type: cause.type, message: cause.message };
    if (cause.field)
        out.field = cause.field;
    return out;
}
//# sourceMappingURL=status.js.map