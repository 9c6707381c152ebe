// A generic engine for Kubernetes structural schemas (apiextensions.k8s.io/v1 `openAPIV3Schema`):
// pruning, defaulting, OpenAPI validation, list-type invariants and `x-kubernetes-validations` (CEL),
// with causes worded as the API server words them. Pure: no I/O.
//
//   const { object, causes, prunedFields } = processObject(schema, input, { oldObject });
//   if (causes.length) → 422 Invalid, message invalidMessage(kind, group, name, causes), details.causes = causes
//
// Used by the sandbox's API server (src/sandbox/kube) and by the product's CR validator (src/api).
import { applyDefaults } from './defaults.js';
import { prune } from './prune.js';
import { deepClone } from './schema.js';
import { validate } from './validate.js';
export { aggregateMessage, causeToString, duplicate, forbidden, formatBadValue, internalError, invalid, invalidMessage, notFound, notSupported, required, tooLong, tooMany, typeInvalid, } from './causes.js';
export { prune } from './prune.js';
export { applyDefaults } from './defaults.js';
export { validate, hasRules, jsonTypeName } from './validate.js';
export { compileCel, evaluateRules, fromCelValue, isTransitionRule, parseFieldPath, toCelValue, } from './cel.js';
export { matchesFormat } from './formats.js';
export { structuralSchemaErrors } from './structural.js';
export { deepClone, deepEqual, isJsonObject } from './schema.js';
/** What the API server does to a custom resource on create/update: prune → default → validate. */
export function processObject(schema, input, options = {}) {
    const object = deepClone(input);
    const prunedFields = prune(schema, object, { resourceRoot: options.resourceRoot ?? true });
    applyDefaults(schema, object);
    const causes = validate(schema, object, {
        oldObject: options.oldObject,
        ratcheting: options.ratcheting ?? true,
    });
    return { object, causes, prunedFields };
}
//# sourceMappingURL=index.js.map