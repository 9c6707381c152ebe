// ARM long-running operations [ARM-ASYNC]. A resource provider handler answers 201/202 (or 200) with
// the headers of `LroHandle.headers()`; the SDK poller then follows `Azure-AsyncOperation` (status body
// `{status: InProgress|Succeeded|Failed|Canceled, error?}`) or `Location` (202 while running, then 200
// with the resource or 204). Without one of those headers the JS poller never polls (test-substrate §3),
// so every asynchronous write in the emulator must go through here.

import { randomUUID } from 'node:crypto';
import type { VirtualClock } from '../clock.js';
import type { RequestContext, RouteResponse, Router } from './router.js';
import { armError, json, noContent } from './router.js';

export type LroStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface LroError {
  readonly code: string;
  readonly message: string;
}

export interface LroProgress {
  /** Status polls answered so far (both URL kinds). */
  readonly polls: number;
  /** Virtual time since the operation began. */
  readonly elapsedMs: number;
  readonly now: Date;
}

export interface BeginLroOptions {
  readonly subscriptionId: string;
  /** Resource provider namespace in the operation URLs, e.g. `Microsoft.Compute`. */
  readonly providerNamespace: string;
  /** Location segment in the operation URLs, e.g. `westeurope`. */
  readonly location: string;
  /**
   * When the operation is done. Evaluated on every status poll and every virtual-clock advance; the
   * first of the given conditions to hold completes it. With none given, it completes on the first poll.
   */
  readonly completeAfterPolls?: number;
  readonly completeAfterMs?: number;
  readonly isDone?: (progress: LroProgress) => boolean;
  /**
   * Runs exactly once when the operation completes (e.g. set `provisioningState: Succeeded` and apply
   * the model). Returning an error fails the operation with it.
   */
  readonly onComplete?: () => LroError | void;
  /** Runs once if the operation fails (injected failure or `failWith`), e.g. `provisioningState: Failed`. */
  readonly onFailed?: (error: LroError) => void;
  /** Fail the operation with this error when it completes. */
  readonly failWith?: LroError;
  /** Body the `Location` URL answers with (200) once succeeded; absent ⇒ 204. Usually the resource's GET body. */
  readonly result?: () => unknown;
}

export interface LroHandle {
  readonly id: string;
  /** Absolute `Azure-AsyncOperation` URL. */
  readonly asyncOperationUrl: string;
  /** Absolute `Location` URL. */
  readonly locationUrl: string;
  /**
   * Headers for the initial response: `Azure-AsyncOperation`, `Location` (or just one of them) and
   * `Retry-After`.
   */
  headers(kind?: 'both' | 'async' | 'location'): Record<string, string>;
  status(): LroStatus;
}

interface Operation {
  readonly id: string;
  readonly options: BeginLroOptions;
  readonly startedAt: number;
  readonly name: string;
  polls: number;
  status: LroStatus;
  endedAt?: number;
  error?: LroError;
}

export interface LroManagerOptions {
  /** `Retry-After` seconds on 202s and status polls; the JS pollers wait exactly this long (0 ⇒ poll at once). */
  readonly retryAfterSeconds: number;
  /** Consulted once per `begin`: an injected failure for this operation name (see faults.ts). */
  readonly injectedFailure?: (operation: string) => LroError | undefined;
}

const OP_PATH = '/subscriptions/:sub/providers/:ns/locations/:loc';

export class LroManager {
  private readonly operations = new Map<string, Operation>();

  constructor(
    private readonly clock: VirtualClock,
    router: Router,
    private readonly options: LroManagerOptions,
  ) {
    router.register('GET', 'arm', `${OP_PATH}/operationStatuses/:id`, (ctx) => this.statusResponse(ctx), {
      operation: 'ARM/operationStatuses/read',
    });
    router.register('GET', 'arm', `${OP_PATH}/operationResults/:id`, (ctx) => this.resultResponse(ctx), {
      operation: 'ARM/operationResults/read',
    });
    clock.onAdvance(() => {
      for (const op of this.operations.values()) this.evaluate(op);
    });
  }

  /**
   * Starts an operation for the request being handled. `ctx.operation` selects injected failures and
   * `ctx.baseUrl` makes the polling URLs point back at the host the client used.
   */
  begin(ctx: Pick<RequestContext, 'baseUrl' | 'operation'>, options: BeginLroOptions): LroHandle {
    const id = randomUUID();
    const injected = this.options.injectedFailure?.(ctx.operation);
    const op: Operation = {
      id,
      options: injected ? { ...options, failWith: injected } : options,
      startedAt: this.clock.now().getTime(),
      name: id,
      polls: 0,
      status: 'InProgress',
    };
    this.operations.set(id, op);
    const base = `${ctx.baseUrl}/subscriptions/${options.subscriptionId}/providers/${options.providerNamespace}/locations/${options.location}`;
    const apiVersion = 'api-version=2024-07-01';
    const asyncOperationUrl = `${base}/operationStatuses/${id}?${apiVersion}`;
    const locationUrl = `${base}/operationResults/${id}?${apiVersion}`;
    const retryAfter = String(this.options.retryAfterSeconds);
    return {
      id,
      asyncOperationUrl,
      locationUrl,
      headers: (kind = 'both') => ({
        ...(kind !== 'location' ? { 'Azure-AsyncOperation': asyncOperationUrl } : {}),
        ...(kind !== 'async' ? { Location: locationUrl } : {}),
        'Retry-After': retryAfter,
      }),
      status: () => op.status,
    };
  }

  /** Number of operations not yet terminal (benchmarks and tests read it). */
  pendingCount(): number {
    let n = 0;
    for (const op of this.operations.values()) if (op.status === 'InProgress') n++;
    return n;
  }

  private evaluate(op: Operation): void {
    if (op.status !== 'InProgress') return;
    const now = this.clock.now();
    const progress: LroProgress = { polls: op.polls, elapsedMs: now.getTime() - op.startedAt, now };
    const o = op.options;
    const hasCondition = o.completeAfterPolls !== undefined || o.completeAfterMs !== undefined || o.isDone;
    const done =
      (!hasCondition && op.polls >= 1) ||
      (o.completeAfterPolls !== undefined && op.polls >= o.completeAfterPolls) ||
      (o.completeAfterMs !== undefined && progress.elapsedMs >= o.completeAfterMs) ||
      (o.isDone?.(progress) ?? false);
    if (!done) return;
    op.endedAt = now.getTime();
    const error = o.failWith ?? o.onComplete?.() ?? undefined;
    if (error) {
      op.status = 'Failed';
      op.error = error;
      o.onFailed?.(error);
    } else {
      op.status = 'Succeeded';
    }
  }

  private find(ctx: RequestContext): Operation | undefined {
    const op = this.operations.get(ctx.params['id'] ?? '');
    if (op && op.options.subscriptionId.toLowerCase() !== (ctx.params['sub'] ?? '').toLowerCase())
      return undefined;
    return op;
  }

  private statusResponse(ctx: RequestContext): RouteResponse {
    const op = this.find(ctx);
    if (!op) return armError(404, 'OperationNotFound', `The operation '${ctx.params['id']}' was not found.`);
    op.polls++;
    this.evaluate(op);
    const body: Record<string, unknown> = {
      id: ctx.path,
      name: op.name,
      status: op.status,
      startTime: new Date(op.startedAt).toISOString(),
    };
    if (op.endedAt !== undefined) body['endTime'] = new Date(op.endedAt).toISOString();
    if (op.error) body['error'] = { code: op.error.code, message: op.error.message };
    const headers: Record<string, string> =
      op.status === 'InProgress' ? { 'Retry-After': String(this.options.retryAfterSeconds) } : {};
    return json(200, body, headers);
  }

  private resultResponse(ctx: RequestContext): RouteResponse {
    const op = this.find(ctx);
    if (!op) return armError(404, 'OperationNotFound', `The operation '${ctx.params['id']}' was not found.`);
    op.polls++;
    this.evaluate(op);
    if (op.status === 'InProgress') {
      return noContent(202, {
        Location: `${ctx.baseUrl}${ctx.path}?${ctx.query.toString()}`,
        'Retry-After': String(this.options.retryAfterSeconds),
      });
    }
    if (op.error) return armError(400, op.error.code, op.error.message);
    const result = op.options.result?.();
    return result === undefined ? noContent(204) : json(200, result);
  }
}
