// The subset of apiextensions.k8s.io/v1 JSONSchemaProps that a structural schema may use
// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
// Only what the engine reads is typed; everything else (description, example, …) passes through.
export function isJsonObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The schema of a map's values: `additionalProperties` when it is a schema, otherwise none. */
export function additionalPropertiesSchema(schema) {
    return isJsonObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
}
/** Keeps unknown fields: the node preserves them, or it is a map with `additionalProperties: true`. */
export function preservesUnknownFields(schema) {
    return schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
}
/** JSON equality (key order and `undefined`-valued keys do not matter). */
export function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a)) {
        return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
    }
    if (isJsonObject(a) && isJsonObject(b)) {
        // As JSON: a key holding `undefined` is an absent key.
        const keys = Object.keys(a).filter((key) => a[key] !== undefined);
        if (keys.length !== Object.keys(b).filter((key) => b[key] !== undefined).length)
            return false;
        return keys.every((key) => deepEqual(a[key], b[key]));
    }
    return false;
}
export function deepClone(value) {
    return value === undefined ? value : structuredClone(value);
}
//# sourceMappingURL=schema.js.map