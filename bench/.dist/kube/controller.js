import { TerminalError, TransientError, errorMessage } from '../domain/errors.js';
import { reconcileDurationSeconds, reconcileErrorsTotal, reconcileTotal, workqueueDepth, workqueueQueueDurationSeconds, workqueueRetriesTotal, } from '../observability/metrics.js';
import { activeWorkers, maxConcurrentReconciles, reconcileTimeoutsTotal, terminalReconcileErrorsTotal, workqueueAddsTotal, } from '../observability/runtime-metrics.js';
import { defaultControllerRateLimiter } from './rate-limiter.js';
import { keyOf, parseObjectKey } from './types.js';
import { WorkQueue } from './work-queue.js';
/** What counts as "the object changed" for a key parked after a terminal error. */
function changeFingerprint(obj) {
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
    name = 'StatusAlreadyWrittenError';
}
export class Controller {
    options;
    queue;
    terminal = new Map();
    workers = [];
    leaderGate = gate();
    leadership = new AbortController();
    shutdown = new AbortController();
    inFlight = new Map();
    active = 0;
    constructor(options) {
        this.options = options;
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
        if (options.isLeader())
            this.leaderGate.open();
    }
    get name() {
        return this.options.name;
    }
    /** Queues a reconcile of `key` (for sources other than the informer, e.g. the vault watcher). */
    enqueue(key) {
        workqueueAddsTotal.inc({ controller: this.options.name });
        this.queue.add(key);
    }
    enqueueAll() {
        for (const obj of this.options.cache.list(this.options.kind))
            this.enqueue(keyOf(obj));
    }
    start() {
        const { concurrency, name } = this.options;
        maxConcurrentReconciles.set({ controller: name }, concurrency);
        for (let i = 0; i < concurrency; i++)
            this.workers.push(this.work());
    }
    /** Leadership changed: open the gate (and reconcile everything) or close it and abort in-flight work. */
    setLeader(leading) {
        if (leading) {
            this.leadership = new AbortController();
            this.leaderGate.open();
            this.enqueueAll();
        }
        else {
            this.leadership.abort(new Error('leadership lost'));
            this.leaderGate = gate();
        }
    }
    /**
     * Stops taking work, waits for in-flight reconciles up to `deadlineMs`, then aborts their signals
     * and gives them a short grace to notice before abandoning them.
     */
    async stop(deadlineMs) {
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
    enqueueObject(obj, isUpdate) {
        const key = keyOf(obj);
        const parked = this.terminal.get(key);
        if (parked !== undefined) {
            if (isUpdate && parked === changeFingerprint(obj))
                return;
            this.terminal.delete(key);
        }
        this.enqueue(key);
    }
    async work() {
        for (;;) {
            await this.leaderGate.promise;
            if (this.queue.isShuttingDown)
                return;
            const key = await this.queue.get();
            if (key === undefined)
                return;
            if (!this.options.isLeader()) {
                // Leadership was lost while waiting: put the key back for the next leader term.
                this.queue.add(key);
                this.queue.done(key);
                continue;
            }
            try {
                await this.process(key);
            }
            catch (err) {
                // process() handles reconcile outcomes itself; this only guards the worker loop against a
                // bug in the runtime, so one bad key cannot kill a worker (or the process) silently.
                this.options.log.error({ err: errorMessage(err), key }, 'Worker failed to process a key; retrying');
                this.queue.addRateLimited(key);
            }
            finally {
                this.queue.done(key);
            }
        }
    }
    async process(key) {
        const { clock, name, kind, reconcileTimeoutMs } = this.options;
        const { namespace, name: objectName } = parseObjectKey(key);
        const log = this.options.log.child({
            resource_kind: kind.kind,
            resource_namespace: namespace,
            resource_name: objectName,
        });
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
        }
        catch (err) {
            this.handleError(key, object, err, abort.signal, log);
        }
        finally {
            timeout.cancel();
            unlink();
            this.inFlight.delete(key);
            this.active--;
            activeWorkers.set({ controller: name }, this.active);
            reconcileDurationSeconds.observe({ controller: name }, (clock.now() - started) / 1000);
        }
    }
    context(key, object, log, signal) {
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
                write: (compute) => {
                    if (statusWrites++ > 0) {
                        return Promise.reject(new StatusAlreadyWrittenError('status is written at most once per reconcile'));
                    }
                    if (object === undefined)
                        return Promise.resolve({ written: false, object: undefined });
                    if (signal.aborted)
                        return Promise.reject(signal.reason);
                    return statusWriter.write({ kind, object, compute });
                },
            },
        };
    }
    handleSuccess(key, result, log) {
        const { name } = this.options;
        this.queue.forget(key);
        this.terminal.delete(key);
        const after = result.requeueAfterMs;
        if (after !== undefined && after > 0) {
            this.queue.addAfter(key, after);
            reconcileTotal.inc({ controller: name, result: 'requeue_after' });
            log.debug({ requeue_after_ms: after }, 'Reconciled; requeued');
        }
        else {
            reconcileTotal.inc({ controller: name, result: 'success' });
            log.debug('Reconciled');
        }
    }
    handleError(key, object, err, signal, log) {
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
            if (cached !== undefined)
                this.terminal.set(key, changeFingerprint(cached));
            log.error({ reason: err.reason, err: err.message }, 'Reconcile failed terminally; waiting for the object to change');
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
        if (err instanceof TransientError)
            log.warn(fields, 'Reconcile failed; retrying with backoff');
        else
            log.error({ ...fields, stack: err instanceof Error ? err.stack : undefined }, 'Reconcile threw; retrying with backoff');
    }
}
function errName(err) {
    return err instanceof Error ? err.name : undefined;
}
function gate() {
    let open;
    const promise = new Promise((resolve) => (open = resolve));
    return { promise, open };
}
function linkAbort(target, sources) {
    const listeners = sources.map((s) => {
        const fn = () => target.abort(s.reason);
        if (s.aborted)
            fn();
        else
            s.addEventListener('abort', fn, { once: true });
        return [s, fn];
    });
    return () => {
        for (const [s, fn] of listeners)
            s.removeEventListener('abort', fn);
    };
}
/** True when `p` settled before `ms` elapsed on `clock`. */
async function withDeadline(p, ms, clock) {
    let timer;
    const expired = new Promise((resolve) => {
        timer = clock.setTimer(() => resolve(false), ms);
    });
    const result = await Promise.race([p.then(() => true), expired]);
    timer?.cancel();
    return result;
}
//# sourceMappingURL=controller.js.map