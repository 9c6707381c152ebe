// Throttling at Azure's documented limits, on by default as in Azure.
// ARM [ARM-THR]: regional token buckets per subscription, per service principal, per operation type —
//   reads 250 refilled 25/s, writes 200 refilled 10/s, deletes 200 refilled 10/s; remaining tokens are
//   reported in `x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}`.
// Key Vault [KV-LIM][KV-THR]: per vault per 10 s, 4,000 transactions of all kinds and 300 CREATE/IMPORT;
//   excess answers 429 with Retry-After. Failed (429) requests are not counted [KV-THR].
// Time is wall-clock by default: throttling limits the rate at which real clients send requests, which
// the virtual clock (simulated Azure time) does not measure.

export interface BucketLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface ThrottleLimits {
  readonly armReads: BucketLimit;
  readonly armWrites: BucketLimit;
  readonly armDeletes: BucketLimit;
  /** Key Vault all transactions per vault per window. */
  readonly vaultAll: number;
  /** Key Vault CREATE/IMPORT per vault per window. */
  readonly vaultCreate: number;
  readonly vaultWindowMs: number;
}

export const AZURE_LIMITS: ThrottleLimits = {
  armReads: { capacity: 250, refillPerSecond: 25 },
  armWrites: { capacity: 200, refillPerSecond: 10 },
  armDeletes: { capacity: 200, refillPerSecond: 10 },
  vaultAll: 4000,
  vaultCreate: 300,
  vaultWindowMs: 10_000,
};

export type ArmClass = 'read' | 'write' | 'delete';

export type ThrottleDecision =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly headers: Record<string, string> };

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly limit: BucketLimit,
    now: number,
  ) {
    this.tokens = limit.capacity;
    this.last = now;
  }
  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.refillPerSecond);
    this.last = now;
  }
  take(now: number): { ok: boolean; remaining: number; retryAfterSeconds: number } {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens), retryAfterSeconds: 0 };
    }
    return {
      ok: false,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.limit.refillPerSecond)),
    };
  }
}

class Window {
  private start: number;
  all = 0;
  create = 0;
  constructor(now: number) {
    this.start = now;
  }
  roll(now: number, windowMs: number): void {
    if (now - this.start >= windowMs) {
      this.start = now;
      this.all = 0;
      this.create = 0;
    }
  }
  secondsLeft(now: number, windowMs: number): number {
    return Math.max(1, Math.ceil((this.start + windowMs - now) / 1000));
  }
}

export class Throttler {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly windows = new Map<string, Window>();
  enabled: boolean;

  constructor(
    readonly limits: ThrottleLimits = AZURE_LIMITS,
    enabled = true,
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {
    this.enabled = enabled;
  }

  /** One ARM request of `cls` by `principalKey` on `subscriptionId`. */
  arm(subscriptionId: string, principalKey: string, cls: ArmClass): ThrottleDecision {
    const header = `x-ms-ratelimit-remaining-subscription-${cls === 'read' ? 'reads' : cls === 'write' ? 'writes' : 'deletes'}`;
    if (!this.enabled) return { allowed: true, headers: {} };
    const key = `${subscriptionId.toLowerCase()}|${principalKey}|${cls}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit =
        cls === 'read'
          ? this.limits.armReads
          : cls === 'write'
            ? this.limits.armWrites
            : this.limits.armDeletes;
      bucket = new TokenBucket(limit, now);
      this.buckets.set(key, bucket);
    }
    const r = bucket.take(now);
    const headers = { [header]: String(r.remaining) };
    return r.ok
      ? { allowed: true, headers }
      : { allowed: false, retryAfterSeconds: r.retryAfterSeconds, headers };
  }

  /** One Key Vault request on `vaultName`; `create` also counts against the CREATE/IMPORT budget. */
  vault(vaultName: string, cls: 'all' | 'create'): ThrottleDecision {
    if (!this.enabled) return { allowed: true, headers: {} };
    const now = this.now();
    let w = this.windows.get(vaultName);
    if (!w) {
      w = new Window(now);
      this.windows.set(vaultName, w);
    }
    w.roll(now, this.limits.vaultWindowMs);
    const over = w.all >= this.limits.vaultAll || (cls === 'create' && w.create >= this.limits.vaultCreate);
    if (over)
      return {
        allowed: false,
        retryAfterSeconds: w.secondsLeft(now, this.limits.vaultWindowMs),
        headers: {},
      };
    w.all++;
    if (cls === 'create') w.create++;
    return { allowed: true, headers: {} };
  }

  reset(): void {
    this.buckets.clear();
    this.windows.clear();
  }
}
