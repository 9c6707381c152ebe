// The runtime's notion of time: `now()` plus timers. Everything in src/kube that waits (work queue
// delays, backoff, resync, lease renewal, event series flushes) goes through this, so tests drive the
// schedule with `FakeClock` and assert counts instead of sleeping.
export const systemRuntimeClock = {
    now: () => Date.now(),
    setTimer(fn, ms) {
        const t = setTimeout(fn, Math.max(0, ms));
        t.unref();
        return { cancel: () => clearTimeout(t) };
    },
};
/** Resolves after `ms` on `clock`, or rejects when `signal` aborts first. */
export function sleep(clock, ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            timer.cancel();
            reject(signal?.reason);
        };
        const timer = clock.setTimer(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/** A manual clock for tests: timers fire only inside `advance()`, in due-time order. */
export class FakeClock {
    current;
    nextId = 0;
    timers = new Map();
    constructor(startMs = Date.UTC(2026, 0, 1)) {
        this.current = startMs;
    }
    now() {
        return this.current;
    }
    setTimer(fn, ms) {
        const id = this.nextId++;
        this.timers.set(id, { id, at: this.current + Math.max(0, ms), fn });
        return { cancel: () => this.timers.delete(id) };
    }
    /** Due times (relative to now) of the timers still pending, soonest first. */
    pendingDelays() {
        return [...this.timers.values()].map((t) => t.at - this.current).sort((a, b) => a - b);
    }
    /**
     * Moves time forward by `ms`, firing each due timer at its own due time; awaits a few microtask
     * turns after each so async work started by a timer can schedule the next one.
     */
    async advance(ms) {
        const target = this.current + ms;
        for (;;) {
            const due = [...this.timers.values()]
                .filter((t) => t.at <= target)
                .sort((a, b) => a.at - b.at || a.id - b.id)[0];
            if (due === undefined)
                break;
            this.timers.delete(due.id);
            this.current = Math.max(this.current, due.at);
            due.fn();
            await settle();
        }
        this.current = target;
        await settle();
    }
}
/** Lets pending promise callbacks run (a bounded number of macrotask-free turns). */
export async function settle(turns = 20) {
    for (let i = 0; i < turns; i++)
        await Promise.resolve();
}
//# sourceMappingURL=clock.js.map