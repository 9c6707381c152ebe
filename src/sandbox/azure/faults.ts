// Scriptable fault injection per operation: a scenario or test adds rules; each matching request consumes
// one use of the first matching rule. Kinds: an HTTP error status (5xx with the service's error envelope),
// a 429 with Retry-After, a timeout (the request is held, then the connection is reset — the SDK retry
// policies treat ECONNRESET as transient), or a failed long-running operation (the LRO ends `Failed`).

import type { HostKind } from './router.js';

export type FaultAction =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      /** Adds `Retry-After` (seconds); the SDKs retry 503 + Retry-After through the throttling strategy. */
      readonly retryAfterSeconds?: number;
    }
  | { readonly type: 'throttle'; readonly retryAfterSeconds?: number }
  | {
      readonly type: 'timeout';
      /** Wall-clock ms to hold the request before resetting it (default 50). */ readonly holdMs?: number;
    }
  | { readonly type: 'failLro'; readonly code: string; readonly message: string };

export interface FaultRule {
  readonly service?: HostKind;
  /** Exact operation name (see RouteOptions.operation) or a RegExp tested against it. */
  readonly operation?: string | RegExp;
  readonly method?: string;
  /** Tested against the request path. */
  readonly path?: RegExp;
  /** How many requests the rule affects (default 1; `Infinity` for always). */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface FaultRequest {
  readonly service: HostKind;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
}

export interface FaultHandle {
  /** Uses left. */
  remaining(): number;
  /** Requests this rule has affected so far. */
  hits(): number;
  remove(): void;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
  hits: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, remaining: rule.times ?? 1, hits: 0 };
    this.rules.push(active);
    return {
      remaining: () => active.remaining,
      hits: () => active.hits,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== active);
      },
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The request-level fault (anything but `failLro`) for this request, consuming one use. */
  take(req: FaultRequest): Exclude<FaultAction, { type: 'failLro' }> | undefined {
    const found = this.rules.find(
      (r) => r.remaining > 0 && r.rule.action.type !== 'failLro' && matches(r.rule, req),
    );
    if (!found) return undefined;
    found.remaining--;
    found.hits++;
    return found.rule.action as Exclude<FaultAction, { type: 'failLro' }>;
  }

  /** An injected LRO failure for the operation that is starting an LRO, consuming one use. */
  takeLroFailure(operation: string): { code: string; message: string } | undefined {
    const found = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        r.rule.action.type === 'failLro' &&
        (r.rule.operation === undefined ||
          (typeof r.rule.operation === 'string'
            ? r.rule.operation === operation
            : r.rule.operation.test(operation))),
    );
    if (!found || found.rule.action.type !== 'failLro') return undefined;
    found.remaining--;
    found.hits++;
    return { code: found.rule.action.code, message: found.rule.action.message };
  }
}

function matches(rule: FaultRule, req: FaultRequest): boolean {
  if (rule.service !== undefined && rule.service !== req.service) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== req.method) return false;
  if (rule.path !== undefined && !rule.path.test(req.path)) return false;
  if (typeof rule.operation === 'string' && rule.operation !== req.operation) return false;
  if (rule.operation instanceof RegExp && !rule.operation.test(req.operation)) return false;
  return true;
}
