// An events.k8s.io/v1 recorder with the aggregation of client-go's tools/events (event_broadcaster.go):
// the first occurrence of an event creates an Event at once; repeats of the same event (same object,
// type, reason, action, note) within the series window only bump an in-memory series, which a
// heartbeat writes as `series: { count, lastObservedTime }` with a merge patch; after the window
// (6 minutes without a repeat) the next occurrence starts a new Event. A controller that logs the same
// wait on every reconcile therefore costs one write per heartbeat, not one per reconcile.
// The series memory is bounded (client-go's event correlator keeps an LRU of 4,096 entries) and keyed by
// a digest, not by the note itself: at 1,000 resources it was the largest map in the heap (bench, issue 8).
// Source: https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
import { createHash } from 'node:crypto';
import { EventsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ObjectEvents } from '../controllers/reconciler.js';
import type { RuntimeClock, TimerHandle } from './clock.js';
import { describeError } from './informer.js';
import type { KubeObject, ResourceKind } from './types.js';
import { apiVersionOf } from './types.js';

export type EventType = 'Normal' | 'Warning';

/** The wire shape we send (a subset of events.k8s.io/v1 Event). */
export interface EventBody {
  metadata: { name: string; namespace: string };
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  note: string;
  type: EventType;
  regarding: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
  };
  series?: { count: number; lastObservedTime: string };
}

export interface EventClient {
  create(namespace: string, body: EventBody): Promise<void>;
  patchSeries(
    namespace: string,
    name: string,
    series: { count: number; lastObservedTime: string },
  ): Promise<void>;
}

export function kubeEventClient(kc: KubeConfig): EventClient {
  const api = kc.makeApiClient(EventsV1Api);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  return {
    async create(namespace, body) {
      await api.createNamespacedEvent({ namespace, body: body as never });
    },
    async patchSeries(namespace, name, series) {
      await api.patchNamespacedEvent({ namespace, name, body: { series } }, mergePatch);
    },
  };
}

/** MicroTime: RFC 3339 with microseconds. */
export function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

export interface EventRecorderOptions {
  readonly clock: RuntimeClock;
  readonly log: Logger;
  /** `reportingController`, e.g. `kvrollover.io/kv-rollover`. */
  readonly controller: string;
  /** `reportingInstance`: this replica (pod name). */
  readonly instance: string;
  /** How often repeats are written as a series update (client-go: 30s). */
  readonly heartbeatMs?: number;
  /** Silence after which a repeat starts a new Event (client-go: 6 minutes). */
  readonly seriesWindowMs?: number;
  /** Series remembered at most; the least recently started go first (client-go's LRU: 4,096). */
  readonly maxSeries?: number;
}

interface SeriesState {
  readonly name: string;
  readonly namespace: string;
  created: Promise<boolean>;
  count: number;
  lastObserved: number;
  written: number;
}

const NOTE_MAX = 1024; // API validation: note is at most 1 kB

export class EventRecorder {
  private readonly series = new Map<string, SeriesState>();
  private readonly pending = new Set<Promise<unknown>>();
  private heartbeat: TimerHandle | undefined;
  private sequence = 0;
  private readonly heartbeatMs: number;
  private readonly seriesWindowMs: number;
  private readonly maxSeries: number;

  constructor(
    private readonly client: EventClient,
    private readonly options: EventRecorderOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.seriesWindowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.maxSeries = options.maxSeries ?? 4096;
  }

  /** Events bound to one object (what a reconcile context carries). */
  forObject(kind: ResourceKind, object: KubeObject | undefined): ObjectEvents {
    return {
      normal: (reason, action, note) => this.record(kind, object, 'Normal', reason, action, note),
      warning: (reason, action, note) => this.record(kind, object, 'Warning', reason, action, note),
    };
  }

  record(
    kind: ResourceKind,
    object: KubeObject | undefined,
    type: EventType,
    reason: string,
    action: string,
    note: string,
  ): void {
    if (object === undefined) return; // the object is gone: nothing to attach the event to
    const namespace = object.metadata.namespace ?? 'default';
    const trimmed = note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX - 1)}…` : note;
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          object.metadata.uid ?? '',
          namespace,
          object.metadata.name,
          type,
          reason,
          action,
          trimmed,
        ]),
      )
      .digest('base64');
    const now = this.options.clock.now();
    if (this.sequence % 256 === 255) this.prune(now);
    const existing = this.series.get(key);
    if (existing !== undefined && now - existing.lastObserved < this.seriesWindowMs) {
      existing.count++;
      existing.lastObserved = now;
      this.ensureHeartbeat();
      return;
    }
    const name = `${object.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`;
    const body: EventBody = {
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
    const state: SeriesState = {
      name,
      namespace,
      created: Promise.resolve(false),
      count: 1,
      lastObserved: now,
      written: 1,
    };
    state.created = this.track(
      this.client.create(namespace, body).then(
        () => true,
        (err: unknown) => {
          this.options.log.warn({ reason, err: describeError(err) }, 'Could not record Event');
          return false;
        },
      ),
    );
    this.makeRoom(now);
    this.series.set(key, state);
  }

  /** Writes pending series updates now and waits for every request in flight. */
  async flush(): Promise<void> {
    this.writeSeries(true);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Stops the heartbeat (call `flush` first to keep the last counts). */
  stop(): void {
    this.heartbeat?.cancel();
    this.heartbeat = undefined;
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat !== undefined) return;
    this.heartbeat = this.options.clock.setTimer(() => {
      this.heartbeat = undefined;
      this.writeSeries(false);
      if ([...this.series.values()].some((s) => s.count !== s.written)) this.ensureHeartbeat();
    }, this.heartbeatMs);
  }

  private writeSeries(all: boolean): void {
    const now = this.options.clock.now();
    for (const [key, s] of this.series) {
      this.writeCount(s);
      if (!all && now - s.lastObserved >= this.seriesWindowMs) this.series.delete(key);
    }
  }

  /** Patches the series' count if repeats were seen since the last write. */
  private writeCount(s: SeriesState): void {
    if (s.count === s.written) return;
    const series = { count: s.count, lastObservedTime: microTime(s.lastObserved) };
    s.written = s.count;
    void this.track(
      s.created.then(async (created) => {
        if (!created) return;
        try {
          await this.client.patchSeries(s.namespace, s.name, series);
        } catch (err: unknown) {
          this.options.log.warn({ err: describeError(err) }, 'Could not update Event series');
        }
      }),
    );
  }

  /** Below `maxSeries` before a new series: expired ones go, then the oldest (its count written first). */
  private makeRoom(now: number): void {
    if (this.series.size < this.maxSeries) return;
    this.prune(now);
    for (const [key, s] of this.series) {
      if (this.series.size < this.maxSeries) break;
      this.writeCount(s);
      this.series.delete(key);
    }
  }

  private prune(now: number): void {
    for (const [key, s] of this.series) {
      if (s.count === s.written && now - s.lastObserved >= this.seriesWindowMs) this.series.delete(key);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }
}
