export class WorkQueue {
    clock;
    rateLimiter;
    hooks;
    queue = [];
    dirty = new Set();
    processing = new Set();
    readySince = new Map();
    delayed = new Map();
    waiters = [];
    idleWaiters = [];
    shuttingDown = false;
    constructor(clock, rateLimiter, hooks = {}) {
        this.clock = clock;
        this.rateLimiter = rateLimiter;
        this.hooks = hooks;
    }
    /** Queues `key` now (no-op when already waiting, or after shutdown). */
    add(key) {
        if (this.shuttingDown || this.dirty.has(key))
            return;
        this.dirty.add(key);
        this.readySince.set(key, this.clock.now());
        if (this.processing.has(key))
            return; // re-queued by done()
        this.push(key);
    }
    /** Queues `key` after `delayMs`; an earlier pending due time for the same key wins. */
    addAfter(key, delayMs) {
        if (this.shuttingDown)
            return;
        if (delayMs <= 0) {
            this.add(key);
            return;
        }
        const at = this.clock.now() + delayMs;
        const existing = this.delayed.get(key);
        if (existing !== undefined && existing.at <= at)
            return;
        existing?.timer.cancel();
        const timer = this.clock.setTimer(() => {
            this.delayed.delete(key);
            this.add(key);
        }, delayMs);
        this.delayed.set(key, { at, timer });
    }
    /** Queues `key` after its rate-limited backoff (at least `minDelayMs`); returns the delay used. */
    addRateLimited(key, minDelayMs = 0) {
        const delay = Math.max(this.rateLimiter.when(key), minDelayMs);
        this.hooks.onRetry?.();
        this.addAfter(key, delay);
        return delay;
    }
    /** The key was handled successfully: its next failure starts the backoff from the base again. */
    forget(key) {
        this.rateLimiter.forget(key);
    }
    numRequeues(key) {
        return this.rateLimiter.numRequeues(key);
    }
    /** Waits for the next key; `undefined` once the queue is shut down. */
    get() {
        if (this.shuttingDown)
            return Promise.resolve(undefined);
        const key = this.queue.shift();
        if (key !== undefined)
            return Promise.resolve(this.take(key));
        return new Promise((resolve) => this.waiters.push({ resolve }));
    }
    /** The worker finished `key`; if it was added meanwhile it becomes ready again now. */
    done(key) {
        this.processing.delete(key);
        if (this.dirty.has(key) && !this.shuttingDown)
            this.push(key);
        if (this.processing.size === 0)
            for (const w of this.idleWaiters.splice(0))
                w();
    }
    /** Stops handing out keys and drops waiting and delayed ones; keys in flight may still finish. */
    shutDown() {
        if (this.shuttingDown)
            return;
        this.shuttingDown = true;
        for (const { timer } of this.delayed.values())
            timer.cancel();
        this.delayed.clear();
        this.queue.length = 0;
        this.dirty.clear();
        this.hooks.onDepth?.(0);
        for (const w of this.waiters.splice(0))
            w.resolve(undefined);
    }
    /** Resolves when no key is being processed. */
    drained() {
        if (this.processing.size === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    get isShuttingDown() {
        return this.shuttingDown;
    }
    get depth() {
        return this.queue.length;
    }
    get inFlight() {
        return this.processing.size;
    }
    /** Keys with a pending delayed add and their due times (ms since epoch). */
    delayedKeys() {
        return new Map([...this.delayed].map(([k, v]) => [k, v.at]));
    }
    push(key) {
        const waiter = this.waiters.shift();
        if (waiter !== undefined) {
            waiter.resolve(this.take(key));
            return;
        }
        this.queue.push(key);
        this.hooks.onDepth?.(this.queue.length);
    }
    take(key) {
        this.processing.add(key);
        this.dirty.delete(key);
        const since = this.readySince.get(key);
        this.readySince.delete(key);
        this.hooks.onDepth?.(this.queue.length);
        if (since !== undefined)
            this.hooks.onDequeue?.(this.clock.now() - since);
        return key;
    }
}
//# sourceMappingURL=work-queue.js.map