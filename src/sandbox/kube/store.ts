// The emulator's "etcd": objects per storage key, one global resourceVersion counter, and a bounded
// history of changes that watches replay from. A watch (or continue token) older than the oldest retained
// change gets 410 Gone, as after an etcd compaction.

import type { KubeObject } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  storageKey: string;
  revision: number;
  object: KubeObject;
  /** The object before this change (MODIFIED/DELETED). */
  previous?: KubeObject;
}

export interface PersistedState {
  revision: number;
  objects: { storageKey: string; object: KubeObject }[];
}

const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class ObjectStore {
  private revision: number;
  private compactedRevision: number;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(
    private readonly historyLimit = 10_000,
    initialRevision = 1,
  ) {
    this.revision = initialRevision;
    this.compactedRevision = initialRevision;
  }

  currentRevision(): number {
    return this.revision;
  }

  /** Watches may resume from any revision ≥ this one. */
  oldestResumableRevision(): number {
    return this.compactedRevision;
  }

  nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  get(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(storageKey)?.get(objectKey(namespace, name));
  }

  /** Objects sorted as etcd keys sort (namespace, then name). */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(storageKey);
    if (!bucket) return [];
    const keys = [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    for (const key of keys) {
      const object = bucket.get(key)!;
      if (namespace === undefined || object.metadata.namespace === namespace) out.push(object);
    }
    return out;
  }

  storageKeys(): string[] {
    return [...this.buckets.keys()];
  }

  /** Stores `object` (its resourceVersion already set to a fresh revision) and records the change. */
  put(storageKey: string, object: KubeObject, revision: number): StoreEvent {
    let bucket = this.buckets.get(storageKey);
    if (!bucket) this.buckets.set(storageKey, (bucket = new Map<string, KubeObject>()));
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = bucket.get(key);
    bucket.set(key, object);
    const event: StoreEvent = previous
      ? { type: 'MODIFIED', storageKey, revision, object, previous }
      : { type: 'ADDED', storageKey, revision, object };
    this.record(event);
    return event;
  }

  remove(storageKey: string, object: KubeObject, revision: number): StoreEvent | undefined {
    const bucket = this.buckets.get(storageKey);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) return undefined;
    bucket.delete(key);
    const event: StoreEvent = { type: 'DELETED', storageKey, revision, object, previous };
    this.record(event);
    return event;
  }

  /** Drops every bucket of a storage key (CRD removal), recording DELETED events. */
  dropStorage(storageKey: string): void {
    for (const object of this.list(storageKey)) {
      const revision = this.nextRevision();
      this.remove(
        storageKey,
        { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } },
        revision,
      );
    }
    this.buckets.delete(storageKey);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped[dropped.length - 1]!.revision;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Changes after `revision`, or `undefined` when that revision has been compacted away. */
  changesSince(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedRevision) return undefined;
    return this.history.filter((event) => event.revision > revision);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets all history up to now: any watch or continue token from an older revision gets 410 Gone. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
  }

  snapshot(): PersistedState {
    const objects: PersistedState['objects'] = [];
    for (const [storageKey, bucket] of this.buckets) {
      for (const object of bucket.values()) objects.push({ storageKey, object });
    }
    return { revision: this.revision, objects };
  }

  /** Replaces the content with a snapshot; history starts empty (old revisions answer 410). */
  restore(state: PersistedState): void {
    this.buckets.clear();
    this.history.length = 0;
    for (const { storageKey, object } of state.objects) {
      let bucket = this.buckets.get(storageKey);
      if (!bucket) this.buckets.set(storageKey, (bucket = new Map<string, KubeObject>()));
      bucket.set(objectKey(object.metadata.namespace, object.metadata.name), object);
    }
    this.revision = state.revision;
    this.compactedRevision = state.revision;
  }
}
