// Throttling at Azure's documented limits, on by default as in Azure.
// ARM [ARM-THR]: regional token buckets per subscription, per service principal, per operation type —
//   reads 250 refilled 25/s, writes 200 refilled 10/s, deletes 200 refilled 10/s; remaining tokens are
//   reported in `x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}`.
// Key Vault [KV-LIM][KV-THR]: per vault per 10 s, 4,000 transactions of all kinds and 300 CREATE/IMPORT;
//   excess answers 429 with Retry-After. Failed (429) requests are not counted [KV-THR].
// Time is wall-clock by default: throttling limits the rate at which real clients send requests, which
// the virtual clock (simulated Azure time) does not measure.
export const AZURE_LIMITS = {
    armReads: { capacity: 250, refillPerSecond: 25 },
    armWrites: { capacity: 200, refillPerSecond: 10 },
    armDeletes: { capacity: 200, refillPerSecond: 10 },
    vaultAll: 4000,
    vaultCreate: 300,
    vaultWindowMs: 10_000,
};
class TokenBucket {
    limit;
    tokens;
    last;
    constructor(limit, now) {
        this.limit = limit;
        this.tokens = limit.capacity;
        this.last = now;
    }
    refill(now) {
        const elapsed = Math.max(0, now - this.last) / 1000;
        this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.refillPerSecond);
        this.last = now;
    }
    take(now) {
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
    start;
    all = 0;
    create = 0;
    constructor(now) {
        this.start = now;
    }
    roll(now, windowMs) {
        if (now - this.start >= windowMs) {
            this.start = now;
            this.all = 0;
            this.create = 0;
        }
    }
    secondsLeft(now, windowMs) {
        return Math.max(1, Math.ceil((this.start + windowMs - now) / 1000));
    }
}
export class Throttler {
    limits;
    now;
    buckets = new Map();
    windows = new Map();
    enabled;
    constructor(limits = AZURE_LIMITS, enabled = true, now = () => performance.timeOrigin + performance.now()) {
        this.limits = limits;
        this.now = now;
        this.enabled = enabled;
    }
    /** One ARM request of `cls` by `principalKey` on `subscriptionId`. */
    arm(subscriptionId, principalKey, cls) {
        const header = `x-ms-ratelimit-remaining-subscription-${cls === 'read' ? 'reads' : cls === 'write' ? 'writes' : 'deletes'}`;
        if (!this.enabled)
            return { allowed: true, headers: {} };
        const key = `${subscriptionId.toLowerCase()}|${principalKey}|${cls}`;
        const now = this.now();
        let bucket = this.buckets.get(key);
        if (!bucket) {
            const limit = cls === 'read'
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
    vault(vaultName, cls) {
        if (!this.enabled)
            return { allowed: true, headers: {} };
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
        if (cls === 'create')
            w.create++;
        return { allowed: true, headers: {} };
    }
    reset() {
        this.buckets.clear();
        this.windows.clear();
    }
}
//# sourceMappingURL=throttle.js.map