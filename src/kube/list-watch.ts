// The transport an informer needs: paginated LIST and a WATCH stream. The real one goes through
// @kubernetes/client-node (CustomObjectsApi for LIST, `Watch` for the chunked watch stream), so auth,
// TLS and proxies are the client's; tests may supply an in-memory source.
import { CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ResourceKind } from './types.js';

export interface ListPage {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchParams {
  readonly resourceVersion: string;
  readonly allowWatchBookmarks: boolean;
  readonly timeoutSeconds: number;
}

export interface WatchHandle {
  abort(): void;
}

export interface ListWatchSource {
  /** A description for logs and metric labels, e.g. `servicefabriccertificaterotations` or `…@ns`. */
  readonly description: string;
  list(options: { limit: number; continueToken?: string }): Promise<ListPage>;
  /**
   * Opens a watch. Resolves once the request was answered (connected, or failed — then `onDone` has
   * already been called with the error). `onDone(null)` means the server closed the stream.
   */
  watch(
    params: WatchParams,
    onEvent: (type: WatchEventType, object: unknown) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchHandle>;
}

export function resourcePath(kind: ResourceKind, namespace: string | undefined): string {
  const base = `/apis/${kind.group}/${kind.version}`;
  return namespace === undefined
    ? `${base}/${kind.plural}`
    : `${base}/namespaces/${namespace}/${kind.plural}`;
}

interface RawList {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** LIST and WATCH of one custom resource kind, in all namespaces or in one. */
export function customObjectListWatch(
  kc: KubeConfig,
  kind: ResourceKind,
  namespace: string | undefined,
): ListWatchSource {
  const api = kc.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(kc);
  const path = resourcePath(kind, namespace);
  return {
    description: namespace === undefined ? kind.plural : `${kind.plural}@${namespace}`,
    async list({ limit, continueToken }) {
      const common = {
        group: kind.group,
        version: kind.version,
        plural: kind.plural,
        limit,
        _continue: continueToken,
      };
      const raw = (await (namespace === undefined
        ? api.listClusterCustomObject(common)
        : api.listNamespacedCustomObject({ ...common, namespace }))) as RawList;
      return {
        items: raw.items ?? [],
        resourceVersion: raw.metadata?.resourceVersion ?? '',
        continueToken: raw.metadata?.continue || undefined,
      };
    },
    async watch(params, onEvent, onDone) {
      const controller = await watcher.watch(
        path,
        { ...params },
        (type: string, object: unknown) => onEvent(type as WatchEventType, object),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}
