// Pruning of unknown fields (structuralpruning.Prune in apiextensions-apiserver): a field the schema does
// not declare is dropped unless the node (or a parent map) preserves unknown fields. The fields dropped
// are returned so a caller can honour `fieldValidation=Strict|Warn` as the API server does.
// Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
import { additionalPropertiesSchema, isJsonObject, preservesUnknownFields } from './schema.js';
import { childPath, indexPath, keyPath } from './causes.js';
const RESOURCE_ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);
/** Removes undeclared fields from `value` IN PLACE; returns the paths removed (e.g. `spec.foo`). */
export function prune(schema, value, options = {}) {
    const pruned = [];
    pruneNode(schema, value, '', options.resourceRoot ?? false, pruned);
    return pruned;
}
function pruneNode(schema, value, path, isRoot, out) {
    if (Array.isArray(value)) {
        if (schema.items)
            value.forEach((item, i) => pruneNode(schema.items, item, indexPath(path, i), false, out));
        return;
    }
    if (!isJsonObject(value))
        return;
    const keepMeta = isRoot || schema['x-kubernetes-embedded-resource'] === true;
    const mapValues = additionalPropertiesSchema(schema);
    for (const key of Object.keys(value)) {
        if (keepMeta && RESOURCE_ROOT_FIELDS.has(key))
            continue;
        const propertySchema = schema.properties?.[key];
        if (propertySchema) {
            pruneNode(propertySchema, value[key], childPath(path, key), false, out);
        }
        else if (mapValues) {
            pruneNode(mapValues, value[key], keyPath(path, key), false, out);
        }
        else if (!preservesUnknownFields(schema)) {
            delete value[key];
            out.push(childPath(path, key));
        }
    }
}
//# sourceMappingURL=prune.js.map