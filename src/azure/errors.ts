// Error classification at the Azure boundary (design §5): every failure of an Azure call is turned,
// once, into a TransientError (back off and retry) or a TerminalError (condition + Event, no retry of
// the same input). Callers above this layer never look at HTTP status codes.
//
// The SDKs in use throw three different RestError classes (core-rest-pipeline, ts-http-runtime for the
// modular clients, ms-rest-js for Batch data plane), so errors are recognised by shape, never by
// `instanceof`.
import { Reason } from '../domain/names.js';
import { TerminalError, TransientError, errorMessage } from '../domain/errors.js';

export type AzureService = 'arm' | 'keyvault' | 'batch' | 'aad';

/** What the caller was doing, so the message a person reads names the resource and the missing right. */
export interface AzureCallContext {
  readonly service: AzureService;
  /** Short operation name, e.g. `getScaleSet`, `updateAccessPolicy`. */
  readonly operation: string;
  /** The resource in words a person recognises, e.g. `scale set "nt1vm" in resource group "sf-rg"`. */
  readonly resource?: string;
  /** The role or permission the operation needs, named in 403 messages. */
  readonly permission?: string;
}

interface HeaderBag {
  get(name: string): string | undefined | null;
}

interface RestErrorShape {
  readonly message: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly response?: {
    readonly headers?: HeaderBag | Record<string, string>;
    readonly bodyAsText?: string | null;
  };
}

function isRestErrorShape(err: unknown): err is RestErrorShape & Error {
  return (
    err instanceof Error &&
    (err.name === 'RestError' || typeof (err as { statusCode?: unknown }).statusCode === 'number')
  );
}

function header(err: RestErrorShape, name: string): string | undefined {
  const headers = err.response?.headers;
  if (headers === undefined) return undefined;
  if (typeof (headers as HeaderBag).get === 'function') return (headers as HeaderBag).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/**
 * Milliseconds to wait as the service asked: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds),
 * else `Retry-After` in seconds or as an HTTP date [ARM-THR][KV-THR].
 */
export function retryAfterMs(get: (name: string) => string | undefined, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = get(name);
    if (v !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Math.round(Number(v)));
  }
  const v = get('retry-after');
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Math.round(Number(v) * 1000));
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function errorFields(parsed: Record<string, unknown>): { code?: string; message?: string } {
  const inner = (parsed.error ?? parsed['odata.error'] ?? parsed) as Record<string, unknown>;
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const rawMessage = inner.message;
  const message =
    typeof rawMessage === 'string'
      ? rawMessage
      : typeof (rawMessage as { value?: unknown } | undefined)?.value === 'string'
        ? (rawMessage as { value: string }).value
        : undefined;
  return { code, message };
}

/**
 * `{ error: { code, message } }` (ARM, Key Vault) or `{ code, message }` / `{ odata.error }` (Batch), from
 * the response text, or from `details` where the modular clients (which parse the body) keep it.
 */
function bodyError(err: RestErrorShape): { code?: string; message?: string } {
  const text = err.response?.bodyAsText;
  if (typeof text === 'string' && text !== '') {
    try {
      return errorFields(JSON.parse(text) as Record<string, unknown>);
    } catch {
      return {};
    }
  }
  const details = (err as { details?: unknown }).details;
  return typeof details === 'object' && details !== null
    ? errorFields(details as Record<string, unknown>)
    : {};
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const IDENTITY_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
]);

// Conflicts that mean "another operation is running on this resource": retry later [ARM-THR].
const RETRYABLE_CONFLICT_CODES = new Set([
  'RetryableErrorDueToAnotherOperation',
  'AnotherOperationInProgress',
  'OperationNotAllowed',
  'Conflict',
  'ConflictingOperation',
]);

function what(ctx: AzureCallContext): string {
  return ctx.resource === undefined ? ctx.operation : `${ctx.operation} on ${ctx.resource}`;
}

function detail(code: string | undefined, message: string | undefined, fallback: string): string {
  // Messages are embedded in sentences: drop their own final period.
  const m = message?.trim().replace(/\.+$/, '');
  if (code !== undefined && m !== undefined) return `${code}: ${m}`;
  return m ?? code ?? fallback;
}

/** Classifies any error thrown by an Azure SDK call (or a credential) into the runtime's taxonomy. */
export function classifyAzureError(
  err: unknown,
  ctx: AzureCallContext,
  nowMs: number = Date.now(),
): TransientError | TerminalError {
  if (err instanceof TransientError || err instanceof TerminalError) return err;

  // @azure/identity failures: a misconfigured credential will not fix itself. (A rejected client secret
  // surfaces as AuthenticationRequiredError from the MSAL path, a missing token file as CredentialUnavailableError.)
  if (err instanceof Error && IDENTITY_ERRORS.has(err.name)) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && (status >= 500 || status === 429)) {
      return new TransientError(
        `Azure AD is unavailable during ${what(ctx)}: ${err.message}`,
        Reason.AzureError,
        {
          cause: err,
        },
      );
    }
    return new TerminalError(
      `cannot authenticate to Azure for ${what(ctx)}: ${err.message} — check the operator's workload identity or the credential Secret`,
      Reason.PermissionDenied,
      { cause: err },
    );
  }

  if (err instanceof Error && err.name === 'AbortError') {
    return new TransientError(`${what(ctx)} was aborted or timed out`, Reason.AzureError, { cause: err });
  }

  if (!isRestErrorShape(err)) {
    return new TransientError(`${what(ctx)} failed: ${errorMessage(err)}`, Reason.AzureError, { cause: err });
  }

  const status = err.statusCode;
  const body = bodyError(err);
  const code = body.code ?? (err.code !== undefined && !/^\d+$/.test(err.code) ? err.code : undefined);
  const message = body.message ?? (err.message !== '' ? err.message : undefined);
  const text = detail(code, message, `HTTP ${status ?? 'error'}`);
  const retryAfter = retryAfterMs((n) => header(err, n), nowMs);

  if (status === undefined) {
    // No response at all: the connection failed, was reset or timed out (`ECONNRESET`, `ETIMEDOUT`, ...).
    const net = err.code !== undefined && NETWORK_CODES.has(err.code) ? ` (${err.code})` : '';
    return new TransientError(`${what(ctx)} could not reach Azure${net}: ${text}`, Reason.AzureError, {
      cause: err,
    });
  }
  if (status === 429) {
    return new TransientError(`Azure throttled ${what(ctx)}: ${text}`, Reason.AzureThrottled, {
      cause: err,
      retryAfterMs: retryAfter,
    });
  }
  if (status === 408 || status === 412 || status >= 500) {
    return new TransientError(`${what(ctx)} failed with HTTP ${status}: ${text}`, Reason.AzureError, {
      cause: err,
      retryAfterMs: retryAfter,
    });
  }
  if (status === 409) {
    // Most 409s in ARM and Key Vault mean "another operation is in progress" (a pending certificate
    // creation, an ongoing scale-set update). A conflict that never clears stays visible through backoff.
    const hint = code !== undefined && RETRYABLE_CONFLICT_CODES.has(code) ? '' : ' (treated as retryable)';
    return new TransientError(
      `${what(ctx)} conflicts with another operation${hint}: ${text}`,
      Reason.AzureError,
      {
        cause: err,
        retryAfterMs: retryAfter,
      },
    );
  }
  if (status === 401) {
    return new TerminalError(
      `Azure rejected the operator's credentials for ${what(ctx)}: ${text} — check the workload identity or credential Secret`,
      Reason.PermissionDenied,
      { cause: err },
    );
  }
  if (status === 403) {
    const need = ctx.permission === undefined ? '' : ` It needs ${ctx.permission}.`;
    return new TerminalError(
      `the operator's identity is not allowed to ${what(ctx)}: ${text}.${need} Grant it (README, "Azure access", least-privilege roles).`,
      Reason.PermissionDenied,
      { cause: err },
    );
  }
  if (status === 404) {
    const subject = ctx.resource ?? 'the resource';
    return new TerminalError(
      `${subject} was not found (${ctx.operation}): ${text}`,
      Reason.ResourceNotFound,
      {
        cause: err,
      },
    );
  }
  return new TerminalError(`Azure rejected ${what(ctx)} (HTTP ${status}): ${text}`, Reason.AzureError, {
    cause: err,
  });
}

/** Runs `fn` and rethrows any failure classified for `ctx`. */
export async function azureCall<T>(ctx: AzureCallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyAzureError(err, ctx);
  }
}
