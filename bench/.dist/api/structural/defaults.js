// Defaulting (structuraldefaulting.Default): a property with a `default` that is absent — or null while
// not nullable — gets a copy of the default; a non-nullable null without a default is dropped. Defaults
// are applied top-down, so defaults inside a default value apply too.
// Source: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting-and-nullable
import { additionalPropertiesSchema, deepClone, isJsonObject } from './schema.js';
/** Applies the schema's defaults to `value` IN PLACE. */
export function applyDefaults(schema, value) {
    if (Array.isArray(value)) {
        const items = schema.items;
        if (!items)
            return;
        for (let i = 0; i < value.length; i++) {
            if (value[i] === null && !items.nullable && items.default !== undefined)
                value[i] = deepClone(items.default);
            applyDefaults(items, value[i]);
        }
        return;
    }
    if (!isJsonObject(value))
        return;
    for (const [key, propertySchema] of Object.entries(schema.properties ?? {})) {
        const current = value[key];
        const nonNullableNull = current === null && propertySchema.nullable !== true;
        if (propertySchema.default !== undefined && (current === undefined || nonNullableNull)) {
            value[key] = deepClone(propertySchema.default);
        }
        else if (nonNullableNull) {
            delete value[key];
        }
    }
    const mapValues = additionalPropertiesSchema(schema);
    for (const key of Object.keys(value)) {
        const propertySchema = schema.properties?.[key] ?? mapValues;
        if (!propertySchema)
            continue;
        if (mapValues && !schema.properties?.[key] && value[key] === null && !mapValues.nullable) {
            if (mapValues.default !== undefined)
                value[key] = deepClone(mapValues.default);
            else
                delete value[key];
        }
        applyDefaults(propertySchema, value[key]);
    }
}
//# sourceMappingURL=defaults.js.map