// OpenAPI v3 value validation of a structural schema, then `x-kubernetes-list-type` invariants, then
// `x-kubernetes-validations` — in the API server's order and wording (apiextensions-apiserver
// validation.ValidateCustomResource → kubeOpenAPIResultToFieldErrors; structurallisttype; cel.Validator).
// CEL rules are skipped when a "blocking" error was found, as the API server does (hasBlockingErr).
// On update, an unchanged subtree is not re-validated (validation ratcheting, GA in Kubernetes 1.33).
import { childPath, duplicate, indexPath, invalid, keyPath, notSupported, required, tooLong, tooMany, typeInvalid, } from './causes.js';
import { evaluateRules } from './cel.js';
import { matchesFormat } from './formats.js';
import { additionalPropertiesSchema, deepEqual, isJsonObject } from './schema.js';
const BLOCKING = new Set([
    'FieldValueNotSupported',
    'FieldValueRequired',
    'FieldValueTooLong',
    'FieldValueTooMany',
    'FieldValueTypeInvalid',
]);
/** Validates `value` against the schema; returns the causes (empty when valid). Does not modify `value`. */
export function validate(schema, value, options = {}) {
    const old = options.oldObject === undefined ? undefined : { value: options.oldObject };
    const ratcheting = options.ratcheting ?? true;
    const causes = [];
    validateNode(schema, value, old, '', ratcheting, causes);
    if (options.skipCel)
        return causes;
    if (!hasRules(schema))
        return causes;
    if (causes.some((c) => BLOCKING.has(c.type))) {
        causes.push(invalid('', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
        return causes;
    }
    celNode(schema, value, old, '', ratcheting, causes);
    return causes;
}
/** True when any node of the schema declares `x-kubernetes-validations`. */
export function hasRules(schema) {
    if ((schema['x-kubernetes-validations'] ?? []).length > 0)
        return true;
    const children = [
        ...Object.values(schema.properties ?? {}),
        ...(isJsonObject(schema.additionalProperties) ? [schema.additionalProperties] : []),
        ...(schema.items ? [schema.items] : []),
    ];
    return children.some(hasRules);
}
export function jsonTypeName(value) {
    if (value === null || value === undefined)
        return 'null';
    if (Array.isArray(value))
        return 'array';
    if (typeof value === 'number')
        return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
}
function typeMatches(schema, value) {
    if (schema['x-kubernetes-int-or-string']) {
        return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    }
    switch (schema.type) {
        case undefined:
            return true;
        case 'integer':
            return typeof value === 'number' && Number.isInteger(value);
        case 'number':
            return typeof value === 'number';
        case 'array':
            return Array.isArray(value);
        case 'object':
            return isJsonObject(value);
        default:
            return typeof value === schema.type;
    }
}
/** The value correlated with a child in the old object (properties by name, list-map items by key). */
function oldChild(old, key) {
    if (!old || !isJsonObject(old.value) || !Object.hasOwn(old.value, key))
        return undefined;
    return { value: old.value[key] };
}
function oldItem(old, schema, item) {
    if (!old || !Array.isArray(old.value) || schema['x-kubernetes-list-type'] !== 'map')
        return undefined;
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    if (!isJsonObject(item))
        return undefined;
    const candidates = old.value;
    const match = candidates.find((candidate) => isJsonObject(candidate) && keys.every((k) => deepEqual(candidate[k], item[k])));
    return match === undefined ? undefined : { value: match };
}
function validateNode(schema, value, old, path, ratcheting, out) {
    if (ratcheting && old && deepEqual(old.value, value))
        return;
    const name = path || '.';
    if (value === null) {
        if (schema.nullable || (!schema.type && !schema['x-kubernetes-int-or-string']))
            return;
        out.push(typeInvalid(path, 'null', `${name} in body must be of type ${schema.type ?? 'integer,string'}: "null"`));
        return;
    }
    if (!typeMatches(schema, value)) {
        const expected = schema['x-kubernetes-int-or-string'] ? 'integer,string' : (schema.type ?? '');
        const actual = jsonTypeName(value);
        out.push(typeInvalid(path, actual, `${name} in body must be of type ${expected}: ${JSON.stringify(actual)}`));
        return;
    }
    validateValue(schema, value, path, out);
    if (Array.isArray(value)) {
        validateList(schema, value, path, out);
        if (schema.items) {
            value.forEach((item, i) => validateNode(schema.items, item, oldItem(old, schema, item), indexPath(path, i), ratcheting, out));
        }
    }
    else if (isJsonObject(value)) {
        for (const key of schema.required ?? []) {
            if (value[key] === undefined)
                out.push(required(childPath(path, key)));
        }
        const mapValues = additionalPropertiesSchema(schema);
        for (const [key, item] of Object.entries(value)) {
            const propertySchema = schema.properties?.[key] ?? mapValues;
            if (propertySchema)
                validateNode(propertySchema, item, oldChild(old, key), childPath(path, key), ratcheting, out);
        }
    }
}
/** The value validations of one node (also applied for allOf/anyOf/oneOf/not branches). */
function validateValue(schema, value, path, out) {
    const name = path || '.';
    if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
        out.push(notSupported(path, value, schema.enum));
    }
    if (typeof value === 'string') {
        const length = [...value].length;
        if (schema.maxLength !== undefined && length > schema.maxLength)
            out.push(tooLong(path, schema.maxLength));
        if (schema.minLength !== undefined && length < schema.minLength) {
            out.push(invalid(path, value, `${name} in body should be at least ${schema.minLength} chars long`));
        }
        if (schema.pattern !== undefined && !safeRegExp(schema.pattern).test(value)) {
            out.push(invalid(path, value, `${name} in body should match '${schema.pattern}'`));
        }
        if (schema.format && !matchesFormat(schema.format, value)) {
            out.push(invalid(path, value, `${name} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
        }
    }
    else if (typeof value === 'number') {
        if (schema.maximum !== undefined) {
            if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
                const rel = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
                out.push(invalid(path, value, `${name} in body should be ${rel} ${schema.maximum}`));
            }
        }
        if (schema.minimum !== undefined) {
            if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
                const rel = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
                out.push(invalid(path, value, `${name} in body should be ${rel} ${schema.minimum}`));
            }
        }
        if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
            const quotient = value / schema.multipleOf;
            if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
                out.push(invalid(path, value, `${name} in body should be a multiple of ${schema.multipleOf}`));
            }
        }
        if (schema.format === 'int32' && (value < -2147483648 || value > 2147483647)) {
            out.push(invalid(path, value, `${name} in body must be of type int32: "${value}"`));
        }
    }
    else if (Array.isArray(value)) {
        if (schema.maxItems !== undefined && value.length > schema.maxItems) {
            out.push(tooMany(path, value.length, schema.maxItems));
        }
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            out.push(invalid(path, value.length, `${name} in body should have at least ${schema.minItems} items`));
        }
        if (schema.uniqueItems &&
            value.some((item, i) => value.findIndex((other) => deepEqual(other, item)) !== i)) {
            out.push(invalid(path, value, `${name} in body shouldn't contain duplicates`));
        }
    }
    else if (isJsonObject(value)) {
        const count = Object.keys(value).length;
        if (schema.maxProperties !== undefined && count > schema.maxProperties) {
            out.push(tooMany(path, count, schema.maxProperties));
        }
        if (schema.minProperties !== undefined && count < schema.minProperties) {
            out.push(invalid(path, count, `${name} in body should have at least ${schema.minProperties} properties`));
        }
    }
    for (const branch of schema.allOf ?? [])
        validateValue(branch, value, path, out);
    const branchValid = (branch) => {
        const scratch = [];
        if (!typeMatches(branch, value))
            return false;
        validateValue(branch, value, path, scratch);
        if (isJsonObject(value))
            for (const key of branch.required ?? [])
                if (value[key] === undefined)
                    return false;
        return scratch.length === 0;
    };
    if (schema.anyOf && !schema.anyOf.some(branchValid)) {
        out.push(invalid(path, value, `${name} in body must validate at least one schema (anyOf)`));
    }
    if (schema.oneOf && schema.oneOf.filter(branchValid).length !== 1) {
        out.push(invalid(path, value, `${name} in body must validate one and only one schema (oneOf)`));
    }
    if (schema.not && branchValid(schema.not)) {
        out.push(invalid(path, value, `${name} in body must not validate the schema (not)`));
    }
}
/** `x-kubernetes-list-type: set|map` uniqueness (structurallisttype.ValidateListSetsAndMaps). */
function validateList(schema, list, path, out) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set') {
        list.forEach((item, i) => {
            if (list.findIndex((other) => deepEqual(other, item)) < i)
                out.push(duplicate(indexPath(path, i), item));
        });
    }
    else if (listType === 'map') {
        const keys = schema['x-kubernetes-list-map-keys'] ?? [];
        const keyOf = (item) => {
            if (!isJsonObject(item))
                return undefined;
            const key = {};
            for (const k of keys)
                if (item[k] !== undefined)
                    key[k] = item[k];
            return key;
        };
        list.forEach((item, i) => {
            const key = keyOf(item);
            if (!key)
                return;
            const first = list.findIndex((other) => deepEqual(keyOf(other), key));
            if (first < i)
                out.push(duplicate(indexPath(path, i), key));
        });
    }
}
const regexCache = new Map();
// OpenAPI patterns are ECMA 262 in spirit and RE2 in the API server; `u` keeps \p{…} classes working.
function safeRegExp(pattern) {
    let re = regexCache.get(pattern);
    if (!re) {
        try {
            re = new RegExp(pattern, 'u');
        }
        catch {
            re = new RegExp(pattern);
        }
        regexCache.set(pattern, re);
    }
    return re;
}
function celNode(schema, value, old, path, ratcheting, out) {
    if (value === undefined || value === null)
        return;
    const unchanged = ratcheting && old !== undefined && deepEqual(old.value, value);
    out.push(...evaluateRules({ path, schema, value, old, unchanged }));
    if (Array.isArray(value)) {
        if (schema.items) {
            value.forEach((item, i) => celNode(schema.items, item, oldItem(old, schema, item), indexPath(path, i), ratcheting, out));
        }
    }
    else if (isJsonObject(value)) {
        const mapValues = additionalPropertiesSchema(schema);
        for (const [key, item] of Object.entries(value)) {
            const declared = schema.properties?.[key];
            const propertySchema = declared ?? mapValues;
            if (!propertySchema)
                continue;
            const childFieldPath = declared ? childPath(path, key) : keyPath(path, key);
            celNode(propertySchema, item, oldChild(old, key), childFieldPath, ratcheting, out);
        }
    }
}
//# sourceMappingURL=validate.js.map