// An events.k8s.io/v1 recorder with the aggregation of client-go's tools/events (event_broadcaster.go):
// the first occurrence of an event creates an Event at once; repeats of the same event (same object,
// type, reason, action, note) within the series window only bump an in-memory series, which a
// heartbeat writes as `series: { count, lastObservedTime }` with a merge patch; after the window
// (6 minutes without a repeat) the next occurrence starts a new Event. A controller that logs the same
// wait on every reconcile therefore costs one write per heartbeat, not one per reconcile.
// Source: https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
import { EventsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describeError } from './informer.js';
import { apiVersionOf } from './types.js';
export function kubeEventClient(kc) {
    const api = kc.makeApiClient(EventsV1Api);
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    return {
        async create(namespace, body) {
            await api.createNamespacedEvent({ namespace, body: body });
        },
        async patchSeries(namespace, name, series) {
            await api.patchNamespacedEvent({ namespace, name, body: { series } }, mergePatch);
        },
    };
}
/** MicroTime: RFC 3339 with microseconds. */
export function microTime(epochMs) {
    return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}
const NOTE_MAX = 1024; // API validation: note is at most 1 kB
export class EventRecorder {
    client;
    options;
    series = new Map();
    pending = new Set();
    heartbeat;
    sequence = 0;
    heartbeatMs;
    seriesWindowMs;
    constructor(client, options) {
        this.client = client;
        this.options = options;
        this.heartbeatMs = options.heartbeatMs ?? 30_000;
        this.seriesWindowMs = options.seriesWindowMs ?? 6 * 60_000;
    }
    /** Events bound to one object (what a reconcile context carries). */
    forObject(kind, object) {
        return {
            normal: (reason, action, note) => this.record(kind, object, 'Normal', reason, action, note),
            warning: (reason, action, note) => this.record(kind, object, 'Warning', reason, action, note),
        };
    }
    record(kind, object, type, reason, action, note) {
        if (object === undefined)
            return; // the object is gone: nothing to attach the event to
        const namespace = object.metadata.namespace ?? 'default';
        const trimmed = note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX - 1)}…` : note;
        const key = JSON.stringify([
            object.metadata.uid ?? '',
            namespace,
            object.metadata.name,
            type,
            reason,
            action,
            trimmed,
        ]);
        const now = this.options.clock.now();
        if (this.sequence % 256 === 255)
            this.prune(now);
        const existing = this.series.get(key);
        if (existing !== undefined && now - existing.lastObserved < this.seriesWindowMs) {
            existing.count++;
            existing.lastObserved = now;
            this.ensureHeartbeat();
            return;
        }
        const name = `${object.metadata.name}.${(BigInt(now) * 1000000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`;
        const body = {
            metadata: { name, namespace },
            eventTime: microTime(now),
            reportingController: this.options.controller,
            reportingInstance: this.options.instance,
            action,
            reason,
            note: trimmed,
            type,
            regarding: {
                apiVersion: apiVersionOf(kind),
                kind: kind.kind,
                name: object.metadata.name,
                namespace,
                ...(object.metadata.uid !== undefined ? { uid: object.metadata.uid } : {}),
                ...(object.metadata.resourceVersion !== undefined
                    ? { resourceVersion: object.metadata.resourceVersion }
                    : {}),
            },
        };
        const state = {
            name,
            namespace,
            created: Promise.resolve(false),
            count: 1,
            lastObserved: now,
            written: 1,
        };
        state.created = this.track(this.client.create(namespace, body).then(() => true, (err) => {
            this.options.log.warn({ reason, err: describeError(err) }, 'Could not record Event');
            return false;
        }));
        this.series.set(key, state);
    }
    /** Writes pending series updates now and waits for every request in flight. */
    async flush() {
        this.writeSeries(true);
        while (this.pending.size > 0)
            await Promise.all([...this.pending]);
    }
    /** Stops the heartbeat (call `flush` first to keep the last counts). */
    stop() {
        this.heartbeat?.cancel();
        this.heartbeat = undefined;
    }
    ensureHeartbeat() {
        if (this.heartbeat !== undefined)
            return;
        this.heartbeat = this.options.clock.setTimer(() => {
            this.heartbeat = undefined;
            this.writeSeries(false);
            if ([...this.series.values()].some((s) => s.count !== s.written))
                this.ensureHeartbeat();
        }, this.heartbeatMs);
    }
    writeSeries(all) {
        const now = this.options.clock.now();
        for (const [key, s] of this.series) {
            if (s.count !== s.written) {
                const series = { count: s.count, lastObservedTime: microTime(s.lastObserved) };
                s.written = s.count;
                void this.track(s.created.then(async (created) => {
                    if (!created)
                        return;
                    try {
                        await this.client.patchSeries(s.namespace, s.name, series);
                    }
                    catch (err) {
                        this.options.log.warn({ err: describeError(err) }, 'Could not update Event series');
                    }
                }));
            }
            if (!all && now - s.lastObserved >= this.seriesWindowMs)
                this.series.delete(key);
        }
    }
    prune(now) {
        for (const [key, s] of this.series) {
            if (s.count === s.written && now - s.lastObserved >= this.seriesWindowMs)
                this.series.delete(key);
        }
    }
    track(p) {
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
        return p;
    }
}
//# sourceMappingURL=events.js.map