// metav1.Status errors as the API server returns them (k8s.io/apimachinery/pkg/api/errors): the HTTP code,
// the reason and the message wording that clients (client-go, kubectl, @kubernetes/client-node) parse.

import type { FieldCause } from '../../api/structural/index.js';
import { invalidMessage } from '../../api/structural/index.js';

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  /** Absent on the Success status a delete returns (registry.Store.finalizeDelete). */
  code?: number;
}

/** A request failure carrying the Status body to send. */
export class ApiError extends Error {
  constructor(
    readonly status: Status,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
  }
  get code(): number {
    return this.status.code ?? 500;
  }
}

export function statusBody(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return status;
}

export function successStatus(details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) status.details = details;
  return status;
}

/** `group/resource` as the API server names it in messages (`secrets`, `leases.coordination.k8s.io`). */
export interface GroupResource {
  group: string;
  resource: string;
}
const qualified = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
const detailsOf = (gr: GroupResource, name: string, kind = gr.resource): StatusDetails => {
  const details: StatusDetails = { name, kind };
  if (gr.group) details.group = gr.group;
  return details;
};

export const errors = {
  notFound: (gr: GroupResource, name: string) =>
    new ApiError(statusBody(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name))),
  resourceNotFound: () =>
    new ApiError(statusBody(404, 'NotFound', 'the server could not find the requested resource', {})),
  alreadyExists: (gr: GroupResource, name: string) =>
    new ApiError(
      statusBody(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsOf(gr, name)),
    ),
  conflict: (gr: GroupResource, name: string, why: string) =>
    new ApiError(
      statusBody(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
        detailsOf(gr, name),
      ),
    ),
  staleResourceVersion: (gr: GroupResource, name: string) =>
    errors.conflict(
      gr,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  invalid: (kind: string, group: string, name: string, causes: FieldCause[]) => {
    const details: StatusDetails = { name, kind, causes: causes.map(toStatusCause) };
    if (group) details.group = group;
    return new ApiError(statusBody(422, 'Invalid', invalidMessage(kind, group, name, causes), details));
  },
  badRequest: (message: string) => new ApiError(statusBody(400, 'BadRequest', message)),
  forbidden: (gr: GroupResource, name: string, why: string) =>
    new ApiError(
      statusBody(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, detailsOf(gr, name)),
    ),
  methodNotAllowed: (verb: string) =>
    new ApiError(
      statusBody(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
        {},
      ),
      { Allow: verb },
    ),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(
      statusBody(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got ${contentType}`,
      ),
    ),
  unauthorized: () => new ApiError(statusBody(401, 'Unauthorized', 'Unauthorized')),
  gone: (message: string) => new ApiError(statusBody(410, 'Expired', message)),
  tooManyRequests: (retryAfterSeconds: number) =>
    new ApiError(
      statusBody(
        429,
        'TooManyRequests',
        'the server has received too many requests and has asked us to try again later',
        {
          causes: [{ type: 'ServerTimeout', message: 'the server has received too many requests' }],
          retryAfterSeconds,
        },
      ),
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  internal: (message: string) =>
    new ApiError(
      statusBody(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
    ),
  timeout: (message: string, retryAfterSeconds = 1) =>
    new ApiError(statusBody(504, 'Timeout', message, { retryAfterSeconds }), {
      'Retry-After': String(retryAfterSeconds),
    }),
};

export function toStatusCause(cause: FieldCause): StatusCause {
  const out: StatusCause = { type: cause.type, message: cause.message };
  if (cause.field) out.field = cause.field;
  return out;
}
