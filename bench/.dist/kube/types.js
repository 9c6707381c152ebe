// The shapes the runtime handles: custom objects as the API server returns them, kinds, keys.
export function objectKey(namespace, name) {
    return `${namespace}/${name}`;
}
export function keyOf(obj) {
    return objectKey(obj.metadata.namespace ?? '', obj.metadata.name);
}
export function parseObjectKey(key) {
    const slash = key.indexOf('/');
    if (slash < 0)
        return { namespace: '', name: key };
    return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
export function apiVersionOf(kind) {
    return `${kind.group}/${kind.version}`;
}
//# sourceMappingURL=types.js.map