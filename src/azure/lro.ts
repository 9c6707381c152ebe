// Long-running operations, resumable across operator restarts. Every write that Azure runs as an LRO
// returns an `LroHandle` once the initial request was accepted; its `resumeToken` is a string the
// controller keeps in status. After a crash, `resumeOperation(token)` (in operations.ts) rebuilds the
// poller from it, so the operator waits for the same operation instead of sending the write again.
//
// Two poller generations are wrapped: @azure/core-lro 3 (`PollerLike`: arm-compute 24) and core-lro 2
// (`SimplePollerLike`: arm-servicefabric 3, arm-batch 9). Key Vault's create-certificate operation is
// keyed by the certificate's name, so its token holds only the names (keyvault.ts resumes the SDK's create
// poller at "started", which polls the pending operation).
import { TerminalError, TransientError } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
import { classifyAzureError } from './errors.js';
import type { AzureCallContext } from './errors.js';

export const LroKind = {
  ScaleSetUpdate: 'ScaleSetUpdate',
  ClusterPut: 'ClusterPut',
  PoolDelete: 'PoolDelete',
  CertificateCreate: 'CertificateCreate',
} as const;
export type LroKindName = (typeof LroKind)[keyof typeof LroKind];

export type LroState = 'running' | 'succeeded' | 'failed' | 'canceled';

export interface LroProgress {
  readonly state: LroState;
  /** Refreshed after every poll: store the newest one. */
  readonly resumeToken: string;
  /** Set when the operation ended unsuccessfully (already classified). */
  readonly error?: TransientError | TerminalError;
}

export interface LroHandle {
  readonly kind: LroKindName;
  readonly resumeToken: string;
  /** One poll: sends at most one status request. */
  poll(): Promise<LroProgress>;
  /** Polls until the operation ends; resolves on success, throws a classified error otherwise. */
  wait(): Promise<void>;
}

/** What the controller stores: `{"kind":…,"state":…}` as one opaque string. */
export interface ResumeTokenBody {
  readonly kind: LroKindName;
  /** The SDK poller's serialized state, or for Key Vault the names needed to find the operation. */
  readonly state: string;
  /** Human context (resource) for error messages after a resume. */
  readonly resource: string;
}

export function encodeResumeToken(body: ResumeTokenBody): string {
  return JSON.stringify(body);
}

export function decodeResumeToken(token: string): ResumeTokenBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(token);
  } catch {
    throw new TerminalError('the stored operation resume token is not JSON', Reason.AzureError);
  }
  const o = parsed as Partial<ResumeTokenBody>;
  const kinds: readonly string[] = Object.values(LroKind);
  if (typeof o.kind !== 'string' || !kinds.includes(o.kind) || typeof o.state !== 'string') {
    throw new TerminalError(
      'the stored operation resume token is not one kv-rollover wrote',
      Reason.AzureError,
    );
  }
  return { kind: o.kind, state: o.state, resource: typeof o.resource === 'string' ? o.resource : '' };
}

// ---- poller shapes (structural: the two core-lro generations differ) ----

export interface PollerV3 {
  readonly isDone: boolean;
  readonly operationState: { status: string; error?: Error } | undefined;
  poll(): Promise<unknown>;
  pollUntilDone(): Promise<unknown>;
  serialize(): Promise<string>;
  submitted(): Promise<void>;
}

export interface PollerV2 {
  isDone(): boolean;
  getOperationState(): { status: string; error?: Error };
  poll(): Promise<void>;
  pollUntilDone(): Promise<unknown>;
  toString(): string;
}

function isV3(p: PollerV3 | PollerV2): p is PollerV3 {
  return typeof (p as PollerV3).serialize === 'function';
}

function statusOf(p: PollerV3 | PollerV2): { status: string; error?: Error } {
  return isV3(p) ? (p.operationState ?? { status: 'running' }) : p.getOperationState();
}

async function serializeOf(p: PollerV3 | PollerV2): Promise<string> {
  return isV3(p) ? p.serialize() : p.toString();
}

function toState(status: string): LroState {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    default:
      return 'running';
  }
}

function failure(
  state: LroState,
  error: Error | undefined,
  ctx: AzureCallContext,
): TransientError | TerminalError {
  // A failed LRO (e.g. VMExtensionProvisioningError, an SF upgrade rolled back) is retried with backoff:
  // the next reconcile re-reads the world and re-plans; the message keeps Azure's reason.
  if (error !== undefined) {
    const classified = classifyAzureError(error, ctx);
    if (classified instanceof TransientError) return classified;
    if (classified.reason === Reason.AzureError) {
      return new TransientError(classified.message, Reason.AzureError, { cause: error });
    }
    return classified;
  }
  return new TransientError(
    `${ctx.operation} on ${ctx.resource ?? 'the resource'} ended ${state}`,
    Reason.AzureError,
  );
}

/** The `state` of a poller-based resume token: what the resume needs plus the SDK's serialized poller. */
export interface PollerTokenState {
  readonly args: readonly string[];
  readonly poller: string;
}

export function decodePollerState(state: string): PollerTokenState {
  const parsed = JSON.parse(state) as Partial<PollerTokenState>;
  if (!Array.isArray(parsed.args) || typeof parsed.poller !== 'string') {
    throw new TerminalError('the stored operation resume token has no poller state', Reason.AzureError);
  }
  return { args: parsed.args.map(String), poller: parsed.poller };
}

/**
 * Wraps an SDK poller whose initial request has been sent. `args` are what a resume needs besides the
 * poller's own state (e.g. resource group and name for the core-client SDKs' `resumeFrom`).
 */
export async function handleFromPoller(
  kind: LroKindName,
  poller: PollerV3 | PollerV2,
  ctx: AzureCallContext,
  args: readonly string[] = [],
): Promise<LroHandle> {
  if (isV3(poller)) await poller.submitted();
  const resource = ctx.resource ?? '';
  const token = async (): Promise<string> =>
    encodeResumeToken({
      kind,
      state: JSON.stringify({ args, poller: await serializeOf(poller) } satisfies PollerTokenState),
      resource,
    });
  const initialToken = await token();
  const progress = async (): Promise<LroProgress> => {
    const { status, error } = statusOf(poller);
    const state = toState(status);
    const resumeToken = await token();
    return state === 'succeeded' || state === 'running'
      ? { state, resumeToken }
      : { state, resumeToken, error: failure(state, error, ctx) };
  };
  return {
    kind,
    resumeToken: initialToken,
    async poll(): Promise<LroProgress> {
      const done = isV3(poller) ? poller.isDone : poller.isDone();
      if (!done) {
        try {
          await poller.poll();
        } catch (err) {
          const { status } = statusOf(poller);
          const state = toState(status);
          if (state === 'failed' || state === 'canceled') {
            return { state, resumeToken: await token(), error: failure(state, err as Error, ctx) };
          }
          throw classifyAzureError(err, ctx);
        }
      }
      return progress();
    },
    async wait(): Promise<void> {
      try {
        await poller.pollUntilDone();
      } catch (err) {
        const { status } = statusOf(poller);
        const state = toState(status);
        throw state === 'failed' || state === 'canceled'
          ? failure(state, err as Error, ctx)
          : classifyAzureError(err, ctx);
      }
      const { state } = await progress();
      if (state !== 'succeeded') throw failure(state, statusOf(poller).error, ctx);
    },
  };
}
