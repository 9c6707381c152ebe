// The informer cache of the whole process: one informer per (kind, namespace scope). With the
// namespace scope "all" a kind has one cluster-wide informer; with a list, one informer per namespace
// (the operator then needs RBAC in those namespaces only).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { CacheReader } from '../controllers/reconciler.js';
import { Informer, type InformerHandlers, type InformerOptions, type InformerStatus } from './informer.js';
import { customObjectListWatch, type ListWatchSource } from './list-watch.js';
import { parseObjectKey, type KubeObject, type ObjectKey, type ResourceKind } from './types.js';

/** `undefined` (or an empty list) = all namespaces. */
export type NamespaceScope = readonly string[] | undefined;

export type SourceFactory = (kind: ResourceKind, namespace: string | undefined) => ListWatchSource;

export function kubeSourceFactory(kc: KubeConfig): SourceFactory {
  return (kind, namespace) => customObjectListWatch(kc, kind, namespace);
}

export function kindId(kind: ResourceKind): string {
  return `${kind.plural}.${kind.group}`;
}

class KindCache {
  /** By namespace; the single cluster-wide informer is under `undefined`. */
  private readonly byNamespace = new Map<string | undefined, Informer>();

  constructor(
    readonly kind: ResourceKind,
    scope: NamespaceScope,
    factory: SourceFactory,
    options: InformerOptions,
  ) {
    const namespaces = scope === undefined || scope.length === 0 ? [undefined] : [...new Set(scope)];
    for (const ns of namespaces) this.byNamespace.set(ns, new Informer(factory(kind, ns), options));
  }

  get informers(): Informer[] {
    return [...this.byNamespace.values()];
  }

  get(key: ObjectKey): KubeObject | undefined {
    return this.informerFor(key)?.get(key);
  }

  list(namespace?: string): KubeObject[] {
    const all = this.informers.flatMap((i) => i.list());
    return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }

  /** Whether `key` is inside the namespace scope at all. */
  covers(key: ObjectKey): boolean {
    return this.informerFor(key) !== undefined;
  }

  private informerFor(key: ObjectKey): Informer | undefined {
    return this.byNamespace.get(undefined) ?? this.byNamespace.get(parseObjectKey(key).namespace);
  }
}

export interface CacheStatus {
  readonly resource: string;
  readonly status: InformerStatus;
}

export class InformerCache implements CacheReader {
  private readonly kinds = new Map<string, KindCache>();
  private started = false;

  constructor(
    private readonly factory: SourceFactory,
    private readonly scope: NamespaceScope,
    private readonly options: InformerOptions,
    private readonly log: Logger,
  ) {}

  /** Registers a kind (idempotent) and returns nothing; add handlers with `addHandlers`. */
  ensureKind(kind: ResourceKind): void {
    const id = kindId(kind);
    if (this.kinds.has(id)) return;
    const kc = new KindCache(kind, this.scope, this.factory, this.options);
    this.kinds.set(id, kc);
    if (this.started) for (const inf of kc.informers) inf.start();
  }

  addHandlers(kind: ResourceKind, handlers: InformerHandlers): void {
    this.ensureKind(kind);
    for (const inf of this.kindCache(kind).informers) inf.addHandlers(handlers);
  }

  get(kind: ResourceKind, key: ObjectKey): KubeObject | undefined {
    return this.kinds.get(kindId(kind))?.get(key);
  }

  list(kind: ResourceKind, namespace?: string): KubeObject[] {
    return this.kinds.get(kindId(kind))?.list(namespace) ?? [];
  }

  /** Whether `key` of `kind` is inside the namespace scope this process watches. */
  covers(kind: ResourceKind, key: ObjectKey): boolean {
    return this.kinds.get(kindId(kind))?.covers(key) ?? false;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const resources = [...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.description));
    this.log.info({ resources }, 'Starting informers');
    for (const k of this.kinds.values()) for (const inf of k.informers) inf.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.stop())));
  }

  /** Resolves when every informer has listed once (or was stopped). */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.kinds.values()].flatMap((k) => k.informers.map((i) => i.waitForSync())));
  }

  /** Ready = every informer synced and none failing. */
  isReady(): boolean {
    return [...this.kinds.values()].every((k) => k.informers.every((i) => i.isReady()));
  }

  statuses(): CacheStatus[] {
    return [...this.kinds.values()].flatMap((k) =>
      k.informers.map((i) => ({ resource: i.description, status: i.status() })),
    );
  }

  private kindCache(kind: ResourceKind): KindCache {
    const kc = this.kinds.get(kindId(kind));
    if (kc === undefined) throw new Error(`kind ${kindId(kind)} is not registered in the cache`);
    return kc;
  }
}
