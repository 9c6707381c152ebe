// The transport an informer needs: paginated LIST and a WATCH stream. The real one goes through
// @kubernetes/client-node (CustomObjectsApi for LIST, `Watch` for the chunked watch stream), so auth,
// TLS and proxies are the client's; tests may supply an in-memory source.
import { CustomObjectsApi, Watch } from '@kubernetes/client-node';
export function resourcePath(kind, namespace) {
    const base = `/apis/${kind.group}/${kind.version}`;
    return namespace === undefined
        ? `${base}/${kind.plural}`
        : `${base}/namespaces/${namespace}/${kind.plural}`;
}
/** LIST and WATCH of one custom resource kind, in all namespaces or in one. */
export function customObjectListWatch(kc, kind, namespace) {
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
                : api.listNamespacedCustomObject({ ...common, namespace })));
            return {
                items: raw.items ?? [],
                resourceVersion: raw.metadata?.resourceVersion ?? '',
                continueToken: raw.metadata?.continue || undefined,
            };
        },
        async watch(params, onEvent, onDone) {
            const controller = await watcher.watch(path, { ...params }, (type, object) => onEvent(type, object), onDone);
            return { abort: () => controller.abort() };
        },
    };
}
//# sourceMappingURL=list-watch.js.map