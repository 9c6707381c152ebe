import { watchRestartsTotal } from '../observability/metrics.js';
import { sleep } from './clock.js';
import { retryAfterMs } from './errors.js';
import { keyOf } from './types.js';
class WatchFailure extends Error {
    name = 'WatchFailure';
}
export class Informer {
    source;
    options;
    store = new Map();
    handlers = [];
    resourceVersion = '';
    synced = false;
    consecutiveFailures = 0;
    lastError;
    stopped = true;
    loop;
    currentWatch;
    watchConnected = false;
    finishCurrentWatch;
    stopController = new AbortController();
    resyncTimer;
    syncWaiters = [];
    backoffBaseMs;
    backoffMaxMs;
    jitter;
    failureThreshold;
    resyncMs;
    pageSize;
    minWatchMs;
    watchTimeoutSeconds;
    random;
    constructor(source, options) {
        this.source = source;
        this.options = options;
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
    get description() {
        return this.source.description;
    }
    addHandlers(handlers) {
        this.handlers.push(handlers);
    }
    get(key) {
        return this.store.get(key);
    }
    list() {
        return [...this.store.values()];
    }
    status() {
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
    isReady() {
        const s = this.status();
        return s.synced && s.healthy;
    }
    start() {
        if (!this.stopped)
            return;
        this.stopped = false;
        this.stopController = new AbortController();
        this.loop = this.run();
        this.scheduleResync();
    }
    async stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        this.stopController.abort(new Error('informer stopped'));
        this.resyncTimer?.cancel();
        this.currentWatch?.abort();
        this.finishCurrentWatch?.();
        for (const w of this.syncWaiters.splice(0))
            w();
        await this.loop;
    }
    /** Resolves once the first LIST has been applied (or when stopped). */
    waitForSync() {
        if (this.synced || this.stopped)
            return Promise.resolve();
        return new Promise((resolve) => this.syncWaiters.push(resolve));
    }
    async run() {
        while (!this.stopped) {
            try {
                if (this.resourceVersion === '')
                    await this.relist();
                if (this.stopped)
                    break;
                const outcome = await this.watchOnce();
                if (this.stopped)
                    break;
                if (outcome.cause === 'gone') {
                    this.resourceVersion = '';
                    this.restarted('gone');
                }
                else if (outcome.eventsSeen === 0 &&
                    outcome.durationMs < this.minWatchMs &&
                    outcome.cause === 'dropped') {
                    throw new WatchFailure(`watch closed after ${outcome.durationMs}ms without any event`);
                }
                else {
                    this.restarted('dropped');
                }
            }
            catch (err) {
                if (this.stopped)
                    break;
                if (isGone(err)) {
                    this.resourceVersion = '';
                    this.restarted('gone');
                    continue;
                }
                await this.failed(err);
            }
        }
    }
    restarted(cause) {
        watchRestartsTotal.inc({ resource: this.source.description, cause });
        this.options.log.debug({ resource: this.source.description, cause }, 'Restarted watch');
    }
    async failed(err) {
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
        if (wasHealthy)
            this.options.log.error(fields, 'Informer is failing; reporting not ready');
        else
            this.options.log.warn(fields, 'List or watch failed; retrying');
        try {
            await sleep(this.options.clock, delay, this.stopController.signal);
        }
        catch {
            // stopped while waiting
        }
    }
    backoffDelay() {
        const exp = Math.min(this.consecutiveFailures - 1, 30);
        const base = Math.min(this.backoffBaseMs * 2 ** exp, this.backoffMaxMs);
        return Math.round(base * (1 + this.jitter * this.random()));
    }
    succeeded() {
        if (this.consecutiveFailures >= this.failureThreshold) {
            this.options.log.info({ resource: this.source.description }, 'Informer recovered');
        }
        this.consecutiveFailures = 0;
        this.lastError = undefined;
    }
    async relist() {
        const items = [];
        let continueToken;
        let resourceVersion = '';
        do {
            const page = await this.source.list({ limit: this.pageSize, continueToken });
            items.push(...page.items);
            continueToken = page.continueToken;
            resourceVersion = page.resourceVersion;
        } while (continueToken !== undefined && !this.stopped);
        if (this.stopped)
            return;
        this.replace(items);
        this.resourceVersion = resourceVersion;
        this.succeeded();
        if (!this.synced) {
            this.synced = true;
            this.options.log.info({ resource: this.source.description, objects: items.length }, 'Informer synced');
            for (const w of this.syncWaiters.splice(0))
                w();
        }
    }
    replace(items) {
        const fresh = new Map(items.map((o) => [keyOf(o), o]));
        for (const [key, old] of this.store) {
            if (!fresh.has(key)) {
                this.store.delete(key);
                this.emit((h) => h.onDelete?.(old));
            }
        }
        for (const obj of fresh.values())
            this.upsert(obj);
    }
    upsert(obj) {
        const key = keyOf(obj);
        const old = this.store.get(key);
        this.store.set(key, obj);
        if (old === undefined)
            this.emit((h) => h.onAdd?.(obj));
        else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
            this.emit((h) => h.onUpdate?.(old, obj));
    }
    remove(obj) {
        const key = keyOf(obj);
        const old = this.store.get(key);
        if (old === undefined)
            return;
        this.store.delete(key);
        this.emit((h) => h.onDelete?.(obj));
    }
    emit(call) {
        for (const h of this.handlers) {
            try {
                call(h);
            }
            catch (err) {
                this.options.log.error({ err: describeError(err) }, 'Informer event handler threw');
            }
        }
    }
    watchOnce() {
        const started = this.options.clock.now();
        let eventsSeen = 0;
        let goneEvent = false;
        let streamError;
        return new Promise((resolve, reject) => {
            let finished = false;
            const finish = (err) => {
                if (finished)
                    return;
                finished = true;
                this.finishCurrentWatch = undefined;
                this.currentWatch = undefined;
                this.watchConnected = false;
                const durationMs = this.options.clock.now() - started;
                // Only a watch that delivered something or stayed open clears the failure count; otherwise a
                // server that accepts and immediately closes watches would keep the backoff at its base.
                const cleanEnd = err === null || err === undefined || isTimeout(err);
                if (cleanEnd && (eventsSeen > 0 || durationMs >= this.minWatchMs))
                    this.succeeded();
                if (err !== null && err !== undefined) {
                    if (isTimeout(err))
                        resolve({ cause: 'timeout', eventsSeen, durationMs });
                    else
                        reject(err instanceof Error
                            ? err
                            : Object.assign(new WatchFailure(describeError(err)), { statusCode: statusCodeOf(err) }));
                }
                else if (goneEvent)
                    resolve({ cause: 'gone', eventsSeen, durationMs });
                else if (streamError !== undefined)
                    reject(new WatchFailure(streamError));
                else
                    resolve({ cause: 'dropped', eventsSeen, durationMs });
            };
            this.finishCurrentWatch = () => finish(null);
            const onEvent = (type, object) => {
                if (finished)
                    return;
                if (eventsSeen++ === 0)
                    this.succeeded();
                if (type === 'ERROR') {
                    const status = object;
                    // A 410 ERROR event means our resourceVersion was compacted away: relist when the stream ends.
                    if (status?.code === 410)
                        goneEvent = true;
                    else
                        streamError = `watch ERROR event: ${status?.code ?? '?'} ${status?.message ?? ''}`.trim();
                    return;
                }
                const obj = object;
                const rv = obj.metadata?.resourceVersion;
                if (type === 'ADDED' || type === 'MODIFIED')
                    this.upsert(obj);
                else if (type === 'DELETED')
                    this.remove(obj);
                if (rv !== undefined && rv !== '')
                    this.resourceVersion = rv;
            };
            const timeoutSeconds = Math.round(this.watchTimeoutSeconds * (1 + this.random()));
            this.source
                .watch({ resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds }, onEvent, finish)
                .then((handle) => {
                if (finished) {
                    handle.abort(); // stopped while connecting: do not leave the stream open
                    return;
                }
                this.currentWatch = handle;
                this.watchConnected = true;
                if (this.stopped)
                    handle.abort();
            })
                .catch(finish);
        });
    }
    scheduleResync() {
        if (this.resyncMs <= 0 || this.stopped)
            return;
        this.resyncTimer = this.options.clock.setTimer(() => {
            if (this.stopped)
                return;
            if (this.synced)
                for (const obj of this.store.values())
                    this.emit((h) => h.onResync?.(obj));
            this.scheduleResync();
        }, this.resyncMs);
    }
}
function statusCodeOf(err) {
    if (typeof err !== 'object' || err === null)
        return undefined;
    const e = err;
    if (typeof e.statusCode === 'number')
        return e.statusCode;
    if (typeof e.code === 'number')
        return e.code;
    return undefined;
}
function isGone(err) {
    return statusCodeOf(err) === 410;
}
function isTimeout(err) {
    return typeof err === 'object' && err !== null && err.name === 'TimeoutError';
}
export function describeError(err) {
    const code = statusCodeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    return code === undefined ? message : `${code}: ${message.split('\n')[0] ?? ''}`;
}
//# sourceMappingURL=informer.js.map