// Checks that a CRD's openAPIV3Schema is structural and its CEL rules compile — what the API server
// verifies before accepting a CustomResourceDefinition
// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
// A pragmatic subset: missing types, properties next to additionalProperties, arrays without items,
// list-type map without keys, CEL syntax errors.
import { forbidden, indexPath, invalid, keyPath, required } from './causes.js';
import { compileCel } from './cel.js';
import { additionalPropertiesSchema } from './schema.js';
/** Returns the problems of a schema; `path` names it in the causes (e.g. `spec.versions[0].schema.openAPIV3Schema`). */
export function structuralSchemaErrors(schema, path) {
    const out = [];
    checkNode(schema, path, true, out);
    return out;
}
function checkNode(schema, path, isRoot, out) {
    const untyped = schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-int-or-string'] === true;
    if (!schema.type && !untyped) {
        out.push(required(`${path}.type`, 'must not be empty for specified object fields'));
    }
    if (isRoot && schema.type && schema.type !== 'object') {
        out.push(invalid(`${path}.type`, schema.type, 'must be object at the root'));
    }
    if (schema.properties &&
        schema.additionalProperties !== undefined &&
        schema.additionalProperties !== false) {
        out.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    if (schema.type === 'array' && !schema.items)
        out.push(required(`${path}.items`, 'must be specified'));
    if (schema['x-kubernetes-list-type'] === 'map' && !(schema['x-kubernetes-list-map-keys'] ?? []).length) {
        out.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    }
    (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
        const rulePath = indexPath(`${path}.x-kubernetes-validations`, i);
        const compiled = compileCel(rule.rule);
        if (compiled instanceof Error)
            out.push(invalid(`${rulePath}.rule`, rule.rule, `compilation failed: ${compiled.message}`));
        if (rule.messageExpression) {
            const message = compileCel(rule.messageExpression);
            if (message instanceof Error) {
                out.push(invalid(`${rulePath}.messageExpression`, rule.messageExpression, `compilation failed: ${message.message}`));
            }
        }
    });
    for (const [key, child] of Object.entries(schema.properties ?? {}))
        checkNode(child, keyPath(`${path}.properties`, key), false, out);
    const mapValues = additionalPropertiesSchema(schema);
    if (mapValues)
        checkNode(mapValues, `${path}.additionalProperties`, false, out);
    if (schema.items)
        checkNode(schema.items, `${path}.items`, false, out);
}
//# sourceMappingURL=structural.js.map