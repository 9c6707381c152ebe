export class ItemExponentialFailureRateLimiter {
    baseDelayMs;
    maxDelayMs;
    failures = new Map();
    constructor(baseDelayMs, maxDelayMs) {
        this.baseDelayMs = baseDelayMs;
        this.maxDelayMs = maxDelayMs;
        if (!(baseDelayMs > 0) || !(maxDelayMs >= baseDelayMs)) {
            throw new RangeError(`invalid backoff bounds ${baseDelayMs}ms..${maxDelayMs}ms`);
        }
    }
    when(key) {
        const exp = this.failures.get(key) ?? 0;
        this.failures.set(key, exp + 1);
        // 2^exp overflows to Infinity long before it matters; the cap keeps it bounded.
        return Math.min(this.baseDelayMs * 2 ** exp, this.maxDelayMs);
    }
    forget(key) {
        this.failures.delete(key);
    }
    numRequeues(key) {
        return this.failures.get(key) ?? 0;
    }
}
/** A token bucket shared by all keys: `qps` tokens a second, at most `burst` saved up. */
export class BucketRateLimiter {
    qps;
    burst;
    clock;
    tokens;
    last;
    constructor(qps, burst, clock) {
        this.qps = qps;
        this.burst = burst;
        this.clock = clock;
        if (!(qps > 0) || !(burst >= 1))
            throw new RangeError(`invalid token bucket ${qps} qps, burst ${burst}`);
        this.tokens = burst;
        this.last = clock.now();
    }
    when() {
        const now = this.clock.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
        this.last = now;
        // Reserve a token even when none is left (the balance goes negative): the wait is the time the
        // bucket needs to refill to zero, as golang.org/x/time/rate's Reserve().Delay() computes it.
        this.tokens -= 1;
        return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
    }
    forget() { }
    numRequeues() {
        return 0;
    }
}
export class MaxOfRateLimiter {
    limiters;
    constructor(...limiters) {
        this.limiters = limiters;
    }
    when(key) {
        // Every limiter must see the failure (each keeps its own state), so no short-circuit.
        return this.limiters.map((l) => l.when(key)).reduce((a, b) => Math.max(a, b), 0);
    }
    forget(key) {
        for (const l of this.limiters)
            l.forget(key);
    }
    numRequeues(key) {
        return this.limiters.map((l) => l.numRequeues(key)).reduce((a, b) => Math.max(a, b), 0);
    }
}
export const DEFAULT_RATE_LIMITER_OPTIONS = {
    baseDelayMs: 5,
    maxDelayMs: 1_000_000,
    qps: 10,
    burst: 100,
};
/** client-go's `DefaultTypedControllerRateLimiter`, with configurable bounds. */
export function defaultControllerRateLimiter(clock, options = DEFAULT_RATE_LIMITER_OPTIONS) {
    return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(options.baseDelayMs, options.maxDelayMs), new BucketRateLimiter(options.qps, options.burst, clock));
}
//# sourceMappingURL=rate-limiter.js.map