// The emulator's "etcd": objects per storage key, one global resourceVersion counter, and a bounded
// history of changes that watches replay from. A watch (or continue token) older than the oldest retained
// change gets 410 Gone, as after an etcd compaction.
const objectKey = (namespace, name) => `${namespace ?? ''}/${name}`;
export class ObjectStore {
    historyLimit;
    revision;
    compactedRevision;
    buckets = new Map();
    history = [];
    listeners = new Set();
    constructor(historyLimit = 10_000, initialRevision = 1) {
        this.historyLimit = historyLimit;
        this.revision = initialRevision;
        this.compactedRevision = initialRevision;
    }
    currentRevision() {
        return this.revision;
    }
    /** Watches may resume from any revision ≥ this one. */
    oldestResumableRevision() {
        return this.compactedRevision;
    }
    nextRevision() {
        this.revision += 1;
        return this.revision;
    }
    get(storageKey, namespace, name) {
        return this.buckets.get(storageKey)?.get(objectKey(namespace, name));
    }
    /** Objects sorted as etcd keys sort (namespace, then name). */
    list(storageKey, namespace) {
        const bucket = this.buckets.get(storageKey);
        if (!bucket)
            return [];
        const keys = [...bucket.keys()].sort();
        const out = [];
        for (const key of keys) {
            const object = bucket.get(key);
            if (namespace === undefined || object.metadata.namespace === namespace)
                out.push(object);
        }
        return out;
    }
    storageKeys() {
        return [...this.buckets.keys()];
    }
    /** Stores `object` (its resourceVersion already set to a fresh revision) and records the change. */
    put(storageKey, object, revision) {
        let bucket = this.buckets.get(storageKey);
        if (!bucket)
            this.buckets.set(storageKey, (bucket = new Map()));
        const key = objectKey(object.metadata.namespace, object.metadata.name);
        const previous = bucket.get(key);
        bucket.set(key, object);
        const event = previous
            ? { type: 'MODIFIED', storageKey, revision, object, previous }
            : { type: 'ADDED', storageKey, revision, object };
        this.record(event);
        return event;
    }
    remove(storageKey, object, revision) {
        const bucket = this.buckets.get(storageKey);
        const key = objectKey(object.metadata.namespace, object.metadata.name);
        const previous = bucket?.get(key);
        if (!bucket || !previous)
            return undefined;
        bucket.delete(key);
        const event = { type: 'DELETED', storageKey, revision, object, previous };
        this.record(event);
        return event;
    }
    /** Drops every bucket of a storage key (CRD removal), recording DELETED events. */
    dropStorage(storageKey) {
        for (const object of this.list(storageKey)) {
            const revision = this.nextRevision();
            this.remove(storageKey, { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } }, revision);
        }
        this.buckets.delete(storageKey);
    }
    record(event) {
        this.history.push(event);
        if (this.history.length > this.historyLimit) {
            const dropped = this.history.splice(0, this.history.length - this.historyLimit);
            this.compactedRevision = dropped[dropped.length - 1].revision;
        }
        for (const listener of this.listeners)
            listener(event);
    }
    /** Changes after `revision`, or `undefined` when that revision has been compacted away. */
    changesSince(revision) {
        if (revision < this.compactedRevision)
            return undefined;
        return this.history.filter((event) => event.revision > revision);
    }
    subscribe(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** Forgets all history up to now: any watch or continue token from an older revision gets 410 Gone. */
    compact() {
        this.history.length = 0;
        this.compactedRevision = this.revision;
    }
    snapshot() {
        const objects = [];
        for (const [storageKey, bucket] of this.buckets) {
            for (const object of bucket.values())
                objects.push({ storageKey, object });
        }
        return { revision: this.revision, objects };
    }
    /** Replaces the content with a snapshot; history starts empty (old revisions answer 410). */
    restore(state) {
        this.buckets.clear();
        this.history.length = 0;
        for (const { storageKey, object } of state.objects) {
            let bucket = this.buckets.get(storageKey);
            if (!bucket)
                this.buckets.set(storageKey, (bucket = new Map()));
            bucket.set(objectKey(object.metadata.namespace, object.metadata.name), object);
        }
        this.revision = state.revision;
        this.compactedRevision = state.revision;
    }
}
//# sourceMappingURL=store.js.map