import { Informer } from './informer.js';
import { customObjectListWatch } from './list-watch.js';
import { parseObjectKey } from './types.js';
export function kubeSourceFactory(kc) {
    return (kind, namespace) => customObjectListWatch(kc, kind, namespace);
}
export function kindId(kind) {
    return `${kind.plural}.${kind.group}`;
}
class KindCache {
    kind;
    /** By namespace; the single cluster-wide informer is under `undefined`. */
    byNamespace = new Map();
    constructor(kind, scope, factory, options) {
        this.kind = kind;
        const namespaces = scope === undefined || scope.length === 0 ? [undefined] : [...new Set(scope)];
        for (const ns of namespaces)
            this.byNamespace.set(ns, new Informer(factory(kind, ns), options));
    }
    get informers() {
        return [...this.byNamespace.values()];
    }
    get(key) {
        return this.informerFor(key)?.get(key);
    }
    list(namespace) {
        const all = this.informers.flatMap((i) => i.list());
        return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
    }
    /** Whether `key` is inside the namespace scope at all. */
    covers(key) {
        return this.informerFor(key) !== undefined;
    }
    informerFor(key) {
        return this.byNamespace.get(undefined) ?? this.byNamespace.get(parseObjectKey(key).namespace);
    }
}
export class InformerCache {
    factory;
    scope;
    options;
    log;
    kinds = new Map();
    started = false;
    constructor(factory, scope, options, log) {
        this.factory = factory;
        this.scope = scope;
        this.options = options;
        this.log = log;
    }
    /** Registers a kind (idempotent) and returns nothing; add handlers with `addHandlers`. */
    ensureKind(kind) {
        const id = kindId(kind);
        if (this.kinds.has(id))
            return;
        const kc = new KindCache(kind, this.scope, this.factory, this.options);
        this.kinds.set(id, kc);
        if (this.started)
            for (const inf of kc.informers)
                inf.start();
    }
    addHandlers(kind, handlers) {
        this.ensureKind(kind);
        for (const inf of this.kindCache(kind).informers)
            inf.addHandlers(handlers);
    }
    get(kind, key) {
        return this.kinds.get(kindId(kind))?.get(key);
    }
    list(kind, namespace) {
        return this.kinds.get(kindId(kind))?.list(namespace) ?? [];
    }
    /** Whether `key` of `kind` is inside the namespace scope this process watches. */
    covers(kind, key) {
        return this.kinds.get(kindId(kind))?.covers(key) ?? false;
    }
    start() {
        if (this.started)
            return;
        this.started = true;
        const resources = [...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.description));
        this.log.info({ resources }, 'Starting informers');
        for (const k of this.kinds.values())
            for (const inf of k.informers)
                inf.start();
    }
    async stop() {
        this.started = false;
        await Promise.all([...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.stop())));
    }
    /** Resolves when every informer has listed once (or was stopped). */
    async waitForSync() {
        await Promise.all([...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.waitForSync())));
    }
    /** Ready = every informer synced and none failing. */
    isReady() {
        return [...this.kinds.values()].every((k) => k.informers.every((i) => i.isReady()));
    }
    statuses() {
        return [...this.kinds.values()].flatMap((k) => k.informers.map((i) => ({ resource: i.description, status: i.status() })));
    }
    kindCache(kind) {
        const kc = this.kinds.get(kindId(kind));
        if (kc === undefined)
            throw new Error(`kind ${kindId(kind)} is not registered in the cache`);
        return kc;
    }
}
//# sourceMappingURL=cache.js.map