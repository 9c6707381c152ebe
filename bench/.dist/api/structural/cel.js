// `x-kubernetes-validations` CEL rules, evaluated with @bufbuild/cel the way the API server does
// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules):
// `self` is the value at the rule's node, typed from the schema (integer → CEL int, number → double);
// a rule that mentions `oldSelf` is a transition rule, evaluated only on update when an old value correlates;
// a failed rule reports `Invalid value: "<schema type>": <message>` at the node (or at `fieldPath`).
import { isCelError, parse, plan, celEnv, isCelList, isCelMap } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { kubernetesCelFunctions } from './k8s-cel.js';
import { childPath, duplicate, forbidden, invalid, required } from './causes.js';
import { additionalPropertiesSchema, isJsonObject } from './schema.js';
const env = celEnv({ funcs: [...strings, ...kubernetesCelFunctions] });
const programs = new Map();
/** Parses and plans a CEL expression once; a syntax error is returned (and cached), not thrown. */
export function compileCel(expression) {
    let program = programs.get(expression);
    if (!program) {
        try {
            const planned = plan(env, parse(expression));
            program = (bindings) => planned(bindings);
        }
        catch (err) {
            program = err instanceof Error ? err : new Error(String(err));
        }
        programs.set(expression, program);
    }
    return program;
}
/** True when the rule reads `oldSelf` (a transition rule). */
export function isTransitionRule(rule) {
    return /\boldSelf\b/.test(rule.rule);
}
/** Converts a JSON value to CEL input following the schema: integers become bigint, the rest stays. */
export function toCelValue(value, schema) {
    if (value === null || value === undefined)
        return null;
    if (typeof value === 'number') {
        const asInt = schema?.type === 'integer' ||
            (schema?.type === undefined && Number.isInteger(value)) ||
            schema?.['x-kubernetes-int-or-string'] === true;
        return asInt && Number.isInteger(value) ? BigInt(value) : value;
    }
    if (Array.isArray(value))
        return value.map((item) => toCelValue(item, schema?.items));
    if (isJsonObject(value)) {
        const out = {};
        const mapValues = schema ? additionalPropertiesSchema(schema) : undefined;
        for (const [key, item] of Object.entries(value)) {
            out[key] = toCelValue(item, schema?.properties?.[key] ?? mapValues);
        }
        return out;
    }
    return value;
}
/** The schema type a rule failure names as its bad value (`"object"`, `"string"`, …). */
function schemaTypeName(schema) {
    if (schema['x-kubernetes-int-or-string'])
        return 'integer-or-string';
    return schema.type ?? '';
}
// cel-go says `no such key: x` where @bufbuild/cel says `field not found: x`; report the apiserver's words.
function celErrorText(err) {
    return err.message.replace(/^field not found: /, 'no such key: ');
}
/** Splits a rule's `fieldPath` (`.a.b`, `['a.b']`, `.a['b']`) into property names. */
export function parseFieldPath(fieldPath) {
    const parts = [];
    const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]/y;
    let index = 0;
    while (index < fieldPath.length) {
        re.lastIndex = index;
        const match = re.exec(fieldPath);
        if (!match)
            return undefined;
        parts.push(match[1] ?? (match[2] ?? '').replace(/\\(.)/g, '$1'));
        index = re.lastIndex;
    }
    return parts;
}
/** Evaluates the node's own rules (not its children's) and returns the causes of the failed ones. */
export function evaluateRules(ctx) {
    const rules = ctx.schema['x-kubernetes-validations'] ?? [];
    const causes = [];
    if (rules.length === 0)
        return causes;
    const self = toCelValue(ctx.value, ctx.schema);
    const oldSelf = ctx.old ? toCelValue(ctx.old.value, ctx.schema) : undefined;
    const typeName = schemaTypeName(ctx.schema);
    for (const rule of rules) {
        const transition = isTransitionRule(rule);
        if (transition && !ctx.old)
            continue;
        if (!transition && ctx.unchanged)
            continue;
        const program = compileCel(rule.rule);
        if (program instanceof Error) {
            causes.push(invalid(ctx.path, typeName, `compilation failed: ${program.message}`));
            continue;
        }
        const bindings = { self };
        if (transition)
            bindings.oldSelf = oldSelf;
        const result = program(bindings);
        if (isCelError(result)) {
            causes.push(invalid(ctx.path, typeName, celErrorText(result)));
            continue;
        }
        if (result === true)
            continue;
        if (typeof result !== 'boolean') {
            causes.push(invalid(ctx.path, typeName, `rule did not evaluate to a bool: ${rule.rule}`));
            continue;
        }
        const message = ruleMessage(rule, bindings);
        causes.push(causeForReason(fieldFor(ctx.path, rule), typeName, message, rule.reason));
    }
    return causes;
}
function fieldFor(path, rule) {
    if (!rule.fieldPath)
        return path;
    const parts = parseFieldPath(rule.fieldPath) ?? [];
    return parts.reduce(childPath, path);
}
function ruleMessage(rule, bindings) {
    if (rule.messageExpression) {
        const program = compileCel(rule.messageExpression);
        if (!(program instanceof Error)) {
            const result = program(bindings);
            if (typeof result === 'string' && result.trim() !== '' && !result.includes('\n'))
                return result;
        }
    }
    if (rule.message)
        return rule.message;
    return `failed rule: ${rule.rule}`;
}
function causeForReason(field, typeName, message, reason) {
    switch (reason) {
        case 'FieldValueForbidden':
            return forbidden(field, message);
        case 'FieldValueRequired':
            return required(field, message);
        case 'FieldValueDuplicate':
            return duplicate(field, typeName);
        default:
            return invalid(field, typeName, message);
    }
}
/** Unwraps CEL lists/maps produced by an expression into plain JS (for callers evaluating CEL directly). */
export function fromCelValue(value) {
    if (isCelList(value))
        return [...value].map(fromCelValue);
    if (isCelMap(value)) {
        const out = {};
        for (const [key, item] of value)
            out[typeof key === 'object' ? key.value.toString() : String(key)] = fromCelValue(item);
        return out;
    }
    if (typeof value === 'bigint')
        return Number(value);
    return value;
}
//# sourceMappingURL=cel.js.map