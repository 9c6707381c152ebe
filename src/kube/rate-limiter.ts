// Retry rate limiters with client-go's semantics (util/workqueue/default_rate_limiters.go): the
// controller's default is the max of a per-item exponential backoff (5ms → 1000s) and a global token
// bucket (10 qps, burst 100), so one failing key backs off alone while a storm of failures is
// throttled as a whole.
import type { RuntimeClock } from './clock.js';

export interface RateLimiter {
  /** How long `key` should wait before its next retry; each call counts as one more failure. */
  when(key: string): number;
  /** The key succeeded: reset its failure history. */
  forget(key: string): void;
  /** Failures recorded for `key` since it was last forgotten. */
  numRequeues(key: string): number;
}

export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {
    if (!(baseDelayMs > 0) || !(maxDelayMs >= baseDelayMs)) {
      throw new RangeError(`invalid backoff bounds ${baseDelayMs}ms..${maxDelayMs}ms`);
    }
  }

  when(key: string): number {
    const exp = this.failures.get(key) ?? 0;
    this.failures.set(key, exp + 1);
    // 2^exp overflows to Infinity long before it matters; the cap keeps it bounded.
    return Math.min(this.baseDelayMs * 2 ** exp, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** A token bucket shared by all keys: `qps` tokens a second, at most `burst` saved up. */
export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: RuntimeClock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`invalid token bucket ${qps} qps, burst ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    // Reserve a token even when none is left (the balance goes negative): the wait is the time the
    // bucket needs to refill to zero, as golang.org/x/time/rate's Reserve().Delay() computes it.
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    // Every limiter must see the failure (each keeps its own state), so no short-circuit.
    return this.limiters.map((l) => l.when(key)).reduce((a, b) => Math.max(a, b), 0);
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return this.limiters.map((l) => l.numRequeues(key)).reduce((a, b) => Math.max(a, b), 0);
  }
}

export interface RateLimiterOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  qps: number;
  burst: number;
}

export const DEFAULT_RATE_LIMITER_OPTIONS: RateLimiterOptions = {
  baseDelayMs: 5,
  maxDelayMs: 1_000_000,
  qps: 10,
  burst: 100,
};

/** client-go's `DefaultTypedControllerRateLimiter`, with configurable bounds. */
export function defaultControllerRateLimiter(
  clock: RuntimeClock,
  options: RateLimiterOptions = DEFAULT_RATE_LIMITER_OPTIONS,
): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(options.baseDelayMs, options.maxDelayMs),
    new BucketRateLimiter(options.qps, options.burst, clock),
  );
}
