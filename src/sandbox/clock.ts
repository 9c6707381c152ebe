// The sandbox's virtual clock. Everything simulated (certificate validity, auto-renewal, extension
// polling, upgrade progress) reads time from here so scenarios can advance time without waiting.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

type Listener = (now: Date) => void;

export class VirtualClock implements Clock {
  private current: number;
  private readonly listeners = new Set<Listener>();

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward and lets every listener (simulated agents) act at the new time. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    this.current += ms;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
    return now;
  }

  onAdvance(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
