// A work queue of object keys with client-go's guarantees (util/workqueue/queue.go,
// delaying_queue.go, rate_limiting_queue.go): a key waiting in the queue is stored once however often
// it is added; a key being processed is never handed to a second worker — if it is added meanwhile it
// is queued again when the first worker calls `done`; delayed adds keep the earliest due time.
import type { RuntimeClock, TimerHandle } from './clock.js';
import type { RateLimiter } from './rate-limiter.js';

export interface WorkQueueHooks {
  /** Called whenever the number of keys ready in the queue changes. */
  onDepth?(depth: number): void;
  /** Called when a worker takes a key, with how long it waited since it became ready. */
  onDequeue?(waitedMs: number): void;
  /** Called when a key is re-added with rate-limited backoff. */
  onRetry?(): void;
}

interface Waiter {
  resolve(key: string | undefined): void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly readySince = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle }>();
  private readonly waiters: Waiter[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly clock: RuntimeClock,
    private readonly rateLimiter: RateLimiter,
    private readonly hooks: WorkQueueHooks = {},
  ) {}

  /** Queues `key` now (no-op when already waiting, or after shutdown). */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.readySince.set(key, this.clock.now());
    if (this.processing.has(key)) return; // re-queued by done()
    this.push(key);
  }

  /** Queues `key` after `delayMs`; an earlier pending due time for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing !== undefined && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { at, timer });
  }

  /** Queues `key` after its rate-limited backoff (at least `minDelayMs`); returns the delay used. */
  addRateLimited(key: string, minDelayMs = 0): number {
    const delay = Math.max(this.rateLimiter.when(key), minDelayMs);
    this.hooks.onRetry?.();
    this.addAfter(key, delay);
    return delay;
  }

  /** The key was handled successfully: its next failure starts the backoff from the base again. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Waits for the next key; `undefined` once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise((resolve) => this.waiters.push({ resolve }));
  }

  /** The worker finished `key`; if it was added meanwhile it becomes ready again now. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
    if (this.processing.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Stops handing out keys and drops waiting and delayed ones; keys in flight may still finish. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    this.hooks.onDepth?.(0);
    for (const w of this.waiters.splice(0)) w.resolve(undefined);
  }

  /** Resolves when no key is being processed. */
  drained(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
  get depth(): number {
    return this.queue.length;
  }
  get inFlight(): number {
    return this.processing.size;
  }
  /** Keys with a pending delayed add and their due times (ms since epoch). */
  delayedKeys(): ReadonlyMap<string, number> {
    return new Map([...this.delayed].map(([k, v]) => [k, v.at]));
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve(this.take(key));
      return;
    }
    this.queue.push(key);
    this.hooks.onDepth?.(this.queue.length);
  }

  private take(key: string): string {
    this.processing.add(key);
    this.dirty.delete(key);
    const since = this.readySince.get(key);
    this.readySince.delete(key);
    this.hooks.onDepth?.(this.queue.length);
    if (since !== undefined) this.hooks.onDequeue?.(this.clock.now() - since);
    return key;
  }
}
