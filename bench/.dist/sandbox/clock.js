// The sandbox's virtual clock. Everything simulated (certificate validity, auto-renewal, extension
// polling, upgrade progress) reads time from here so scenarios can advance time without waiting.
export const systemClock = { now: () => new Date() };
export class VirtualClock {
    current;
    listeners = new Set();
    constructor(start = new Date()) {
        this.current = start.getTime();
    }
    now() {
        return new Date(this.current);
    }
    /** Moves time forward and lets every listener (simulated agents) act at the new time. */
    advance(ms) {
        if (!Number.isFinite(ms) || ms < 0)
            throw new RangeError(`cannot advance the clock by ${ms} ms`);
        this.current += ms;
        const now = this.now();
        for (const listener of this.listeners)
            listener(now);
        return now;
    }
    onAdvance(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
}
//# sourceMappingURL=clock.js.map