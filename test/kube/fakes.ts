// In-memory stand-ins for the API server used by the unit tests (the integration tests use the
// sandbox's Kubernetes emulator instead).
import type { ListPage, ListWatchSource, WatchEventType, WatchParams } from '../../src/kube/list-watch.js';
import type { KubeObject } from '../../src/kube/types.js';

/** One kind in one scope: LIST returns the map, WATCH streams what `put`/`del` do. */
export class MemorySource implements ListWatchSource {
  readonly description: string;
  readonly objects = new Map<string, KubeObject>();
  rv = 100;
  lists = 0;
  watches: WatchParams[] = [];
  private emit: ((t: WatchEventType, o: unknown) => void) | undefined;

  constructor(description = 'memory') {
    this.description = description;
  }

  put(name: string, patch: Partial<KubeObject['metadata']> = {}, namespace = 'ns'): KubeObject {
    this.rv++;
    const key = `${namespace}/${name}`;
    const old = this.objects.get(key);
    const obj: KubeObject = {
      metadata: {
        ...old?.metadata,
        name,
        namespace,
        uid: old?.metadata.uid ?? `uid-${name}`,
        generation: 1,
        ...patch,
        resourceVersion: String(this.rv),
      },
    };
    this.objects.set(key, obj);
    this.emit?.(old === undefined ? 'ADDED' : 'MODIFIED', structuredClone(obj));
    return obj;
  }

  del(name: string, namespace = 'ns'): void {
    const key = `${namespace}/${name}`;
    const old = this.objects.get(key);
    if (old === undefined) return;
    this.rv++;
    this.objects.delete(key);
    this.emit?.('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: String(this.rv) } });
  }

  list(): Promise<ListPage> {
    this.lists++;
    return Promise.resolve({
      items: [...this.objects.values()].map((o) => structuredClone(o)),
      resourceVersion: String(this.rv),
    });
  }

  watch(params: WatchParams, onEvent: (t: WatchEventType, o: unknown) => void) {
    this.watches.push(params);
    this.emit = onEvent;
    return Promise.resolve({ abort: () => (this.emit = undefined) });
  }
}
