// A list+watch cache of one resource kind in one scope (all namespaces or one namespace), in the manner
// of client-go's Reflector (tools/cache/reflector.go):
// - LIST (paginated), then WATCH from the list's resourceVersion with bookmarks, so a resumed watch
//   starts from a recent resourceVersion even when nothing changed;
// - a dropped or timed-out watch resumes from the last resourceVersion seen, without a relist;
// - `410 Gone` (as the HTTP status or as an ERROR event) clears the resourceVersion and relists,
//   emitting deletes for objects that vanished meanwhile;
// - any other failure (LIST or WATCH answered 429/5xx, connection refused, a very short watch) backs
//   off exponentially (bounded) and tries again — it never stops, unlike client-node's ListWatch, which
//   stops on errors and must be restarted by hand (kubernetes-client/javascript#364, #596, #958);
// - after `failureThreshold` consecutive failures the informer reports itself unhealthy (not ready)
//   until a LIST or WATCH succeeds again;
// - every `resyncMs` it replays the cache as resync notifications (level-triggered safety net).
import type { Logger } from 'pino';
import { watchRestartsTotal } from '../observability/metrics.js';
import { sleep, type RuntimeClock, type TimerHandle } from './clock.js';
import { retryAfterMs } from './errors.js';
import type { ListWatchSource, WatchEventType, WatchHandle } from './list-watch.js';
import { keyOf, type KubeObject, type ObjectKey } from './types.js';

export interface InformerHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
  onResync?(obj: KubeObject): void;
}

export interface InformerOptions {
  readonly clock: RuntimeClock;
  readonly log: Logger;
  /** Backoff after a failed LIST/WATCH: base doubling to max (client-go's reflector uses 800ms → 30s). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Fraction of random extra delay added to each backoff (0 for deterministic tests). */
  readonly jitter?: number;
  /** Consecutive failures after which the informer reports unhealthy. */
  readonly failureThreshold?: number;
  /** Period of the cache replay; 0 disables it. */
  readonly resyncMs?: number;
  /** LIST page size. */
  readonly pageSize?: number;
  /** A watch that ends sooner than this with no event counts as a failure (client-go's "very short watch"). */
  readonly minWatchMs?: number;
  /** Server-side watch timeout range in seconds: a random value in [min, 2×min] spreads reconnects. */
  readonly watchTimeoutSeconds?: number;
  readonly random?: () => number;
}

export type RestartCause = 'dropped' | 'gone' | 'error';

interface WatchOutcome {
  readonly cause: 'dropped' | 'gone' | 'timeout';
  readonly eventsSeen: number;
  readonly durationMs: number;
}

class WatchFailure extends Error {
  override readonly name = 'WatchFailure';
}

export interface InformerStatus {
  readonly synced: boolean;
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  readonly lastError: string | undefined;
  readonly resourceVersion: string;
}

export class Informer {
  private readonly store = new Map<ObjectKey, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private resourceVersion = '';
  private synced = false;
  private consecutiveFailures = 0;
  private lastError: string | undefined;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private currentWatch: WatchHandle | undefined;
  private watchConnected = false;
  private finishCurrentWatch: (() => void) | undefined;
  private stopController = new AbortController();
  private resyncTimer: TimerHandle | undefined;
  private syncWaiters: (() => void)[] = [];

  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly jitter: number;
  private readonly failureThreshold: number;
  private readonly resyncMs: number;
  private readonly pageSize: number;
  private readonly minWatchMs: number;
  private readonly watchTimeoutSeconds: number;
  private readonly random: () => number;

  constructor(
    private readonly source: ListWatchSource,
    private readonly options: InformerOptions,
  ) {
    this.backoffBaseMs = options.backoffBaseMs ?? 800;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.jitter = options.jitter ?? 0.2;
    this.failureThreshold = options.failureThreshold ?? 3;
    this.resyncMs = options.resyncMs ?? 0;
    this.pageSize = options.pageSize ?? 500;
    this.minWatchMs = options.minWatchMs ?? 1000;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.random = options.random ?? Math.random;
  }

  get description(): string {
    return this.source.description;
  }

  addHandlers(handlers: InformerHandlers): void {
    this.handlers.push(handlers);
  }

  get(key: ObjectKey): KubeObject | undefined {
    return this.store.get(key);
  }

  list(): KubeObject[] {
    return [...this.store.values()];
  }

  status(): InformerStatus {
    return {
      synced: this.synced,
      // A connected watch is healthy even if the failures before it have not been cleared yet.
      healthy: this.consecutiveFailures < this.failureThreshold || this.watchConnected,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      resourceVersion: this.resourceVersion,
    };
  }

  /** Synced once and not failing right now. */
  isReady(): boolean {
    const s = this.status();
    return s.synced && s.healthy;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopController = new AbortController();
    this.loop = this.run();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort(new Error('informer stopped'));
    this.resyncTimer?.cancel();
    this.currentWatch?.abort();
    this.finishCurrentWatch?.();
    for (const w of this.syncWaiters.splice(0)) w();
    await this.loop;
  }

  /** Resolves once the first LIST has been applied (or when stopped). */
  waitForSync(): Promise<void> {
    if (this.synced || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === '') await this.relist();
        if (this.stopped) break;
        const outcome = await this.watchOnce();
        if (this.stopped) break;
        if (outcome.cause === 'gone') {
          this.resourceVersion = '';
          this.restarted('gone');
        } else if (
          outcome.eventsSeen === 0 &&
          outcome.durationMs < this.minWatchMs &&
          outcome.cause === 'dropped'
        ) {
          throw new WatchFailure(`watch closed after ${outcome.durationMs}ms without any event`);
        } else {
          this.restarted('dropped');
        }
      } catch (err: unknown) {
        if (this.stopped) break;
        if (isGone(err)) {
          this.resourceVersion = '';
          this.restarted('gone');
          continue;
        }
        await this.failed(err);
      }
    }
  }

  private restarted(cause: RestartCause): void {
    watchRestartsTotal.inc({ resource: this.source.description, cause });
    this.options.log.debug({ resource: this.source.description, cause }, 'Restarted watch');
  }

  private async failed(err: unknown): Promise<void> {
    this.consecutiveFailures++;
    this.lastError = describeError(err);
    this.restarted('error');
    const wasHealthy = this.consecutiveFailures === this.failureThreshold;
    // A throttled LIST (429 with Retry-After) waits at least as long as the server asked.
    const delay = Math.max(this.backoffDelay(), Math.min(retryAfterMs(err) ?? 0, this.backoffMaxMs));
    const fields = {
      resource: this.source.description,
      failures: this.consecutiveFailures,
      retry_in_ms: delay,
      err: this.lastError,
    };
    if (wasHealthy) this.options.log.error(fields, 'Informer is failing; reporting not ready');
    else this.options.log.warn(fields, 'List or watch failed; retrying');
    try {
      await sleep(this.options.clock, delay, this.stopController.signal);
    } catch {
      // stopped while waiting
    }
  }

  private backoffDelay(): number {
    const exp = Math.min(this.consecutiveFailures - 1, 30);
    const base = Math.min(this.backoffBaseMs * 2 ** exp, this.backoffMaxMs);
    return Math.round(base * (1 + this.jitter * this.random()));
  }

  private succeeded(): void {
    if (this.consecutiveFailures >= this.failureThreshold) {
      this.options.log.info({ resource: this.source.description }, 'Informer recovered');
    }
    this.consecutiveFailures = 0;
    this.lastError = undefined;
  }

  private async relist(): Promise<void> {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.source.list({ limit: this.pageSize, continueToken });
      items.push(...page.items);
      continueToken = page.continueToken;
      resourceVersion = page.resourceVersion;
    } while (continueToken !== undefined && !this.stopped);
    if (this.stopped) return;
    this.replace(items);
    this.resourceVersion = resourceVersion;
    this.succeeded();
    if (!this.synced) {
      this.synced = true;
      this.options.log.info({ resource: this.source.description, objects: items.length }, 'Informer synced');
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private replace(items: KubeObject[]): void {
    const fresh = new Map(items.map((o) => [keyOf(o), o] as const));
    for (const [key, old] of this.store) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit((h) => h.onDelete?.(old));
      }
    }
    for (const obj of fresh.values()) this.upsert(obj);
  }

  private upsert(received: KubeObject): void {
    const obj = withoutManagedFields(received);
    const key = keyOf(obj);
    const old = this.store.get(key);
    this.store.set(key, obj);
    if (old === undefined) this.emit((h) => h.onAdd?.(obj));
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
      this.emit((h) => h.onUpdate?.(old, obj));
  }

  private remove(obj: KubeObject): void {
    const key = keyOf(obj);
    const old = this.store.get(key);
    if (old === undefined) return;
    this.store.delete(key);
    this.emit((h) => h.onDelete?.(obj));
  }

  private emit(call: (h: InformerHandlers) => void): void {
    for (const h of this.handlers) {
      try {
        call(h);
      } catch (err: unknown) {
        this.options.log.error({ err: describeError(err) }, 'Informer event handler threw');
      }
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    const started = this.options.clock.now();
    let eventsSeen = 0;
    let goneEvent = false;
    let streamError: string | undefined;
    return new Promise<WatchOutcome>((resolve, reject) => {
      let finished = false;
      const finish = (err: unknown): void => {
        if (finished) return;
        finished = true;
        this.finishCurrentWatch = undefined;
        this.currentWatch = undefined;
        this.watchConnected = false;
        const durationMs = this.options.clock.now() - started;
        // Only a watch that delivered something or stayed open clears the failure count; otherwise a
        // server that accepts and immediately closes watches would keep the backoff at its base.
        const cleanEnd = err === null || err === undefined || isTimeout(err);
        if (cleanEnd && (eventsSeen > 0 || durationMs >= this.minWatchMs)) this.succeeded();
        if (err !== null && err !== undefined) {
          if (isTimeout(err)) resolve({ cause: 'timeout', eventsSeen, durationMs });
          else
            reject(
              err instanceof Error
                ? err
                : Object.assign(new WatchFailure(describeError(err)), { statusCode: statusCodeOf(err) }),
            );
        } else if (goneEvent) resolve({ cause: 'gone', eventsSeen, durationMs });
        else if (streamError !== undefined) reject(new WatchFailure(streamError));
        else resolve({ cause: 'dropped', eventsSeen, durationMs });
      };
      this.finishCurrentWatch = () => finish(null);
      const onEvent = (type: WatchEventType, object: unknown): void => {
        if (finished) return;
        if (eventsSeen++ === 0) this.succeeded();
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string } | null;
          // A 410 ERROR event means our resourceVersion was compacted away: relist when the stream ends.
          if (status?.code === 410) goneEvent = true;
          else streamError = `watch ERROR event: ${status?.code ?? '?'} ${status?.message ?? ''}`.trim();
          return;
        }
        const obj = object as KubeObject;
        const rv = obj.metadata?.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED') this.upsert(obj);
        else if (type === 'DELETED') this.remove(obj);
        if (rv !== undefined && rv !== '') this.resourceVersion = rv;
      };
      const timeoutSeconds = Math.round(this.watchTimeoutSeconds * (1 + this.random()));
      this.source
        .watch(
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          onEvent,
          finish,
        )
        .then((handle) => {
          if (finished) {
            handle.abort(); // stopped while connecting: do not leave the stream open
            return;
          }
          this.currentWatch = handle;
          this.watchConnected = true;
          if (this.stopped) handle.abort();
        })
        .catch(finish);
    });
  }

  private scheduleResync(): void {
    if (this.resyncMs <= 0 || this.stopped) return;
    this.resyncTimer = this.options.clock.setTimer(() => {
      if (this.stopped) return;
      if (this.synced) for (const obj of this.store.values()) this.emit((h) => h.onResync?.(obj));
      this.scheduleResync();
    }, this.resyncMs);
  }
}

function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { statusCode?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

function isGone(err: unknown): boolean {
  return statusCodeOf(err) === 410;
}

function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError';
}

export function describeError(err: unknown): string {
  const code = statusCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return code === undefined ? message : `${code}: ${message.split('\n')[0] ?? ''}`;
}

/**
 * The cached copy without `metadata.managedFields`: the operator never reads them, and the field sets of
 * every manager (the status writer's alone lists each condition and step) were the most repeated
 * structure in the operator's heap at 1,200 resources (bench heap snapshot, issue 8).
 * controller-runtime strips them the same way (`cache.TransformStripManagedFields`).
 */
function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
