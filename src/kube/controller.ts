// One controller = one kind + one reconciler + one work queue + N workers (controller-runtime's
// pkg/internal/controller/controller.go, reduced to what kv-rollover needs). Informer events only
// enqueue keys; workers run `reconcile(key, ctx)` and turn its outcome into the queue's next move:
// success → forget the backoff; `{ requeueAfterMs }` → forget + delayed add; TransientError or any
// other error → rate-limited re-add (at least Retry-After); TerminalError → no retry until the object
// changes. Workers run only while this replica is the leader; followers keep the queue filled and the
// caches warm so a takeover starts from a complete view.
import type { Logger } from 'pino';
import { TerminalError, TransientError, errorMessage } from '../domain/errors.js';
import { boundedMemo } from '../domain/memo.js';
import type {
  ObjectStatus,
  ReconcileContext,
  ReconcileResult,
  Reconciler,
  StatusWriteResult,
} from '../controllers/reconciler.js';
import {
  reconcileDurationSeconds,
  reconcileErrorsTotal,
  reconcileTotal,
  workqueueDepth,
  workqueueQueueDurationSeconds,
  workqueueRetriesTotal,
} from '../observability/metrics.js';
import {
  activeWorkers,
  maxConcurrentReconciles,
  reconcileTimeoutsTotal,
  terminalReconcileErrorsTotal,
  workqueueAddsTotal,
} from '../observability/runtime-metrics.js';
import type { InformerCache } from './cache.js';
import type { RuntimeClock } from './clock.js';
import type { EventRecorder } from './events.js';
import { defaultControllerRateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import type { StatusWriter } from './status-writer.js';
import { keyOf, parseObjectKey, type KubeObject, type ObjectKey, type ResourceKind } from './types.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerOptions {
  readonly name: string;
  readonly kind: ResourceKind;
  readonly reconciler: Reconciler;
  readonly cache: InformerCache;
  readonly statusWriter: StatusWriter;
  readonly events: EventRecorder;
  readonly clock: RuntimeClock;
  readonly log: Logger;
  readonly concurrency: number;
  readonly reconcileTimeoutMs: number;
  readonly rateLimiter: RateLimiterOptions;
  readonly isLeader: () => boolean;
}

/** What counts as "the object changed" for a key parked after a terminal error. */
function changeFingerprint(obj: KubeObject): string {
  const m = obj.metadata;
  return JSON.stringify([
    m.uid,
    m.generation,
    m.labels ?? {},
    m.annotations ?? {},
    m.deletionTimestamp ?? null,
  ]);
}

class StatusAlreadyWrittenError extends Error {
  override readonly name = 'StatusAlreadyWrittenError';
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly terminal = new Map<ObjectKey, string>();
  private readonly workers: Promise<void>[] = [];
  private leaderGate: { promise: Promise<void>; open: () => void } = gate();
  private leadership = new AbortController();
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Map<ObjectKey, AbortController>();
  private active = 0;

  constructor(private readonly options: ControllerOptions) {
    const { clock, name } = options;
    this.queue = new WorkQueue(clock, defaultControllerRateLimiter(clock, options.rateLimiter), {
      onDepth: (d) => workqueueDepth.set({ controller: name }, d),
      onDequeue: (ms) => workqueueQueueDurationSeconds.observe({ controller: name }, ms / 1000),
      onRetry: () => workqueueRetriesTotal.inc({ controller: name }),
    });
    options.cache.addHandlers(options.kind, {
      onAdd: (obj) => this.enqueueObject(obj, false),
      onUpdate: (_old, obj) => this.enqueueObject(obj, true),
      onResync: (obj) => this.enqueueObject(obj, true),
      onDelete: (obj) => {
        this.terminal.delete(keyOf(obj));
        this.enqueue(keyOf(obj));
      },
    });
    if (options.isLeader()) this.leaderGate.open();
  }

  get name(): string {
    return this.options.name;
  }

  /** Queues a reconcile of `key` (for sources other than the informer, e.g. the vault watcher). */
  enqueue(key: ObjectKey): void {
    workqueueAddsTotal.inc({ controller: this.options.name });
    this.queue.add(key);
  }

  enqueueAll(): void {
    for (const obj of this.options.cache.list(this.options.kind)) this.enqueue(keyOf(obj));
  }

  start(): void {
    const { concurrency, name } = this.options;
    maxConcurrentReconciles.set({ controller: name }, concurrency);
    for (let i = 0; i < concurrency; i++) this.workers.push(this.work());
  }

  /** Leadership changed: open the gate (and reconcile everything) or close it and abort in-flight work. */
  setLeader(leading: boolean): void {
    if (leading) {
      this.leadership = new AbortController();
      this.leaderGate.open();
      this.enqueueAll();
    } else {
      this.leadership.abort(new Error('leadership lost'));
      this.leaderGate = gate();
    }
  }

  /**
   * Stops taking work, waits for in-flight reconciles up to `deadlineMs`, then aborts their signals
   * and gives them a short grace to notice before abandoning them.
   */
  async stop(deadlineMs: number): Promise<{ abandoned: number }> {
    this.queue.shutDown();
    this.leaderGate.open(); // let idle workers observe the shutdown
    const drained = await withDeadline(this.queue.drained(), deadlineMs, this.options.clock);
    if (drained) {
      await Promise.all(this.workers);
      return { abandoned: 0 };
    }
    const abandoned = this.inFlight.size;
    this.shutdown.abort(new Error('shutting down'));
    await withDeadline(this.queue.drained(), Math.min(1000, deadlineMs), this.options.clock);
    return { abandoned };
  }

  private enqueueObject(obj: KubeObject, isUpdate: boolean): void {
    const key = keyOf(obj);
    const parked = this.terminal.get(key);
    if (parked !== undefined) {
      if (isUpdate && parked === changeFingerprint(obj)) return;
      this.terminal.delete(key);
    }
    this.enqueue(key);
  }

  private async work(): Promise<void> {
    for (;;) {
      await this.leaderGate.promise;
      if (this.queue.isShuttingDown) return;
      const key = await this.queue.get();
      if (key === undefined) return;
      if (!this.options.isLeader()) {
        // Leadership was lost while waiting: put the key back for the next leader term.
        this.queue.add(key);
        this.queue.done(key);
        continue;
      }
      try {
        await this.process(key);
      } catch (err: unknown) {
        // process() handles reconcile outcomes itself; this only guards the worker loop against a
        // bug in the runtime, so one bad key cannot kill a worker (or the process) silently.
        this.options.log.error({ err: errorMessage(err), key }, 'Worker failed to process a key; retrying');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /**
   * One child logger per object, made once: pino's child() (bindings, redaction) was a noticeable part of
   * a converged resource's resync reconcile (bench profile, issue 8).
   */
  private readonly loggers = boundedMemo(
    8192,
    (key: ObjectKey, _namespace: string | undefined, _name: string) => key,
    (_key: ObjectKey, namespace: string | undefined, name: string): Logger =>
      this.options.log.child({
        resource_kind: this.options.kind.kind,
        resource_namespace: namespace,
        resource_name: name,
      }),
  );

  private loggerFor(key: ObjectKey, namespace: string | undefined, name: string): Logger {
    return this.loggers(key, namespace, name);
  }

  private async process(key: ObjectKey): Promise<void> {
    const { clock, name, kind, reconcileTimeoutMs } = this.options;
    const { namespace, name: objectName } = parseObjectKey(key);
    const log = this.loggerFor(key, namespace, objectName);
    const cached = this.options.cache.get(kind, key);
    const object = cached === undefined ? undefined : structuredClone(cached);
    const abort = new AbortController();
    this.inFlight.set(key, abort);
    const timeout = clock.setTimer(() => {
      reconcileTimeoutsTotal.inc({ controller: name });
      abort.abort(new DOMException(`reconcile exceeded ${reconcileTimeoutMs}ms`, 'TimeoutError'));
    }, reconcileTimeoutMs);
    const unlink = linkAbort(abort, [this.leadership.signal, this.shutdown.signal]);
    const ctx = this.context(key, object, log, abort.signal);
    const started = clock.now();
    this.active++;
    activeWorkers.set({ controller: name }, this.active);
    try {
      const result = (await this.options.reconciler.reconcile(key, ctx)) ?? {};
      this.handleSuccess(key, result, log);
    } catch (err: unknown) {
      this.handleError(key, object, err, abort.signal, log);
    } finally {
      timeout.cancel();
      unlink();
      this.inFlight.delete(key);
      this.active--;
      activeWorkers.set({ controller: name }, this.active);
      reconcileDurationSeconds.observe({ controller: name }, (clock.now() - started) / 1000);
    }
  }

  private context(
    key: ObjectKey,
    object: KubeObject | undefined,
    log: Logger,
    signal: AbortSignal,
  ): ReconcileContext {
    const { kind, cache, events, statusWriter, clock, isLeader } = this.options;
    let statusWrites = 0;
    return {
      kind,
      key,
      object,
      log,
      signal,
      isLeader: () => isLeader() && !signal.aborted,
      events: events.forObject(kind, object),
      cache,
      now: () => clock.now(),
      status: {
        write: (compute: (current: ObjectStatus | undefined) => ObjectStatus): Promise<StatusWriteResult> => {
          if (statusWrites++ > 0) {
            return Promise.reject(
              new StatusAlreadyWrittenError('status is written at most once per reconcile'),
            );
          }
          if (object === undefined) return Promise.resolve({ written: false, object: undefined });
          if (signal.aborted) return Promise.reject(signal.reason as Error);
          return statusWriter.write({ kind, object, compute });
        },
      },
    };
  }

  private handleSuccess(key: ObjectKey, result: ReconcileResult, log: Logger): void {
    const { name } = this.options;
    this.queue.forget(key);
    this.terminal.delete(key);
    const after = result.requeueAfterMs;
    if (after !== undefined && after > 0) {
      this.queue.addAfter(key, after);
      reconcileTotal.inc({ controller: name, result: 'requeue_after' });
      log.debug({ requeue_after_ms: after }, 'Reconciled; requeued');
    } else {
      reconcileTotal.inc({ controller: name, result: 'success' });
      log.debug('Reconciled');
    }
  }

  private handleError(
    key: ObjectKey,
    object: KubeObject | undefined,
    err: unknown,
    signal: AbortSignal,
    log: Logger,
  ): void {
    const { name, kind } = this.options;
    if (this.shutdown.signal.aborted || this.queue.isShuttingDown) {
      log.info({ err: errorMessage(err) }, 'Reconcile interrupted by shutdown');
      return;
    }
    if (this.leadership.signal.aborted && signal.aborted) {
      // Not a failure: the next leader (maybe us again) picks the key up.
      this.queue.add(key);
      log.info('Reconcile interrupted: leadership lost');
      return;
    }
    reconcileTotal.inc({ controller: name, result: 'error' });
    if (err instanceof TerminalError) {
      reconcileErrorsTotal.inc({ controller: name, reason: err.reason });
      terminalReconcileErrorsTotal.inc({ controller: name });
      this.queue.forget(key);
      const cached = this.options.cache.get(kind, key);
      if (cached !== undefined) this.terminal.set(key, changeFingerprint(cached));
      log.error(
        { reason: err.reason, err: err.message },
        'Reconcile failed terminally; waiting for the object to change',
      );
      this.options.events.forObject(kind, object).warning(err.reason, 'Reconcile', err.message);
      return;
    }
    const reason = err instanceof TransientError ? err.reason : (errName(err) ?? 'Error');
    reconcileErrorsTotal.inc({ controller: name, reason });
    const minDelay = err instanceof TransientError ? (err.retryAfterMs ?? 0) : 0;
    const delay = this.queue.addRateLimited(key, minDelay);
    const fields = {
      reason,
      err: errorMessage(err),
      retry_in_ms: delay,
      retries: this.queue.numRequeues(key),
    };
    if (err instanceof TransientError) log.warn(fields, 'Reconcile failed; retrying with backoff');
    else
      log.error(
        { ...fields, stack: err instanceof Error ? err.stack : undefined },
        'Reconcile threw; retrying with backoff',
      );
  }
}

function errName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function linkAbort(target: AbortController, sources: AbortSignal[]): () => void {
  const listeners = sources.map((s) => {
    const fn = (): void => target.abort(s.reason);
    if (s.aborted) fn();
    else s.addEventListener('abort', fn, { once: true });
    return [s, fn] as const;
  });
  return () => {
    for (const [s, fn] of listeners) s.removeEventListener('abort', fn);
  };
}

/** True when `p` settled before `ms` elapsed on `clock`. */
async function withDeadline(p: Promise<unknown>, ms: number, clock: RuntimeClock): Promise<boolean> {
  let timer: { cancel(): void } | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = clock.setTimer(() => resolve(false), ms);
  });
  const result = await Promise.race([p.then(() => true as const), expired]);
  timer?.cancel();
  return result;
}
