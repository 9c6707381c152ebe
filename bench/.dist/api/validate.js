// Runtime validation of the two kinds, built on the structural-schema engine the Kubernetes emulator uses
// (src/api/structural), applied to the very schema the CRD carries: prune (or reject) unknown fields, apply
// defaults, validate types/enums/patterns/required/ranges, evaluate the x-kubernetes-validations CEL rules.
// So `plan -f`, the controllers and the API server agree on what is valid. On top: a few semantic checks
// the API server cannot make (the time zone exists, the pool body is creatable), and a hint on generic
// errors: the field's description.
import { KIND_BATCH_POOL, KIND_SERVICE_FABRIC } from '../domain/names.js';
import { openApiSchema } from './crds.js';
import { ROTATION_API_VERSION } from './metadata.js';
import { isJsonObject, processObject } from './structural/index.js';
import * as P from './patterns.js';
export function validateServiceFabricRotation(obj, options = {}) {
    return validateKind(KIND_SERVICE_FABRIC, obj, options);
}
export function validateBatchPoolRotation(obj, options = {}) {
    return validateKind(KIND_BATCH_POOL, obj, options);
}
/** Validates either kind, chosen by its `kind` field. */
export function validateRotation(obj, options = {}) {
    const kind = isJsonObject(obj) ? obj.kind : undefined;
    if (kind === KIND_BATCH_POOL)
        return validateBatchPoolRotation(obj, options);
    if (kind === KIND_SERVICE_FABRIC)
        return validateServiceFabricRotation(obj, options);
    return {
        ok: false,
        errors: [
            {
                field: 'kind',
                type: 'FieldValueNotSupported',
                message: `Unsupported value: ${JSON.stringify(kind ?? null)}: supported values: "${KIND_SERVICE_FABRIC}", "${KIND_BATCH_POOL}"`,
            },
        ],
    };
}
/** `field: message` lines, one per error, for a terminal or a condition message. */
export function formatFieldErrors(errors) {
    return errors.map((e) => `${e.field || '<root>'}: ${e.message}`).join('\n');
}
const schemas = new Map();
function schemaFor(kind) {
    let schema = schemas.get(kind);
    if (!schema) {
        schema = openApiSchema(kind);
        schemas.set(kind, schema);
    }
    return schema;
}
function validateKind(kind, input, options) {
    if (!isJsonObject(input)) {
        return {
            ok: false,
            errors: [{ field: '', type: 'FieldValueTypeInvalid', message: `must be a ${kind} object` }],
        };
    }
    const schema = schemaFor(kind);
    // JSON semantics, as on the wire: `undefined` members vanish, Dates become RFC 3339 strings.
    const wire = JSON.parse(JSON.stringify(input));
    const errors = [...envelopeErrors(kind, wire)];
    // What the API server does on create/update: prune → default → validate (the emulator runs the same).
    const { object: obj, causes, prunedFields, } = processObject(schema, wire, {
        resourceRoot: true,
        oldObject: options.oldObject,
    });
    if ((options.unknownFields ?? 'reject') === 'reject') {
        for (const field of prunedFields) {
            errors.push({
                field,
                type: 'FieldValueUnknown',
                message: 'unknown field: not declared in the schema (check its spelling and nesting)',
            });
        }
    }
    for (const cause of causes) {
        errors.push({
            field: cause.field,
            type: cause.type,
            message: withHint(schema, cause.field, cause.message),
        });
    }
    errors.push(...semanticErrors(obj));
    if (errors.length > 0)
        return { ok: false, errors };
    return { ok: true, value: obj };
}
function envelopeErrors(kind, obj) {
    const errors = [];
    if (obj.apiVersion !== ROTATION_API_VERSION) {
        errors.push({
            field: 'apiVersion',
            type: 'FieldValueNotSupported',
            message: `Unsupported value: ${JSON.stringify(obj.apiVersion ?? null)}: supported values: "${ROTATION_API_VERSION}"`,
        });
    }
    if (obj.kind !== kind) {
        errors.push({
            field: 'kind',
            type: 'FieldValueNotSupported',
            message: `Unsupported value: ${JSON.stringify(obj.kind ?? null)}: supported values: "${kind}"`,
        });
    }
    const metadata = obj.metadata;
    if (!isJsonObject(metadata)) {
        errors.push({ field: 'metadata', type: 'FieldValueRequired', message: 'Required value' });
        return errors;
    }
    const name = metadata.name;
    if (name === undefined && metadata.generateName === undefined) {
        errors.push({
            field: 'metadata.name',
            type: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
        });
    }
    else if (name !== undefined && (typeof name !== 'string' || !new RegExp(P.DNS_SUBDOMAIN).test(name))) {
        errors.push({
            field: 'metadata.name',
            type: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        });
    }
    return errors;
}
/**
 * Checks the API server cannot make: they need data CEL does not have (the time zone database), or look
 * inside `spec.pool.body`, whose fields the schema leaves free (CEL cannot see undeclared fields).
 */
function semanticErrors(obj) {
    const spec = isJsonObject(obj.spec) ? obj.spec : {};
    return [...timeZoneErrors(spec), ...poolBodyErrors(spec)];
}
function timeZoneErrors(spec) {
    const errors = [];
    const policy = isJsonObject(spec.policy) ? spec.policy : {};
    const windows = Array.isArray(policy.maintenanceWindows) ? policy.maintenanceWindows : [];
    windows.forEach((window, i) => {
        const zone = isJsonObject(window) ? window.timezone : undefined;
        if (typeof zone === 'string' && !isKnownTimeZone(zone)) {
            errors.push({
                field: `spec.policy.maintenanceWindows[${i}].timezone`,
                type: 'FieldValueInvalid',
                message: `Invalid value: ${JSON.stringify(zone)}: not a known IANA time zone (e.g. UTC, Europe/Paris, America/New_York)`,
            });
        }
    });
    return errors;
}
/** The pool body must be creatable with a managed identity: Virtual Machine Configuration [B-MI][B-ROT]. */
function poolBodyErrors(spec) {
    const pool = isJsonObject(spec.pool) ? spec.pool : {};
    if (pool.body === undefined)
        return [];
    const base = 'spec.pool.body.properties';
    const properties = isJsonObject(pool.body) ? pool.body.properties : undefined;
    if (!isJsonObject(properties)) {
        return [
            {
                field: base,
                type: 'FieldValueRequired',
                message: 'Required value: the body is a Batch management API Pool, {properties: {vmSize, deploymentConfiguration, scaleSettings, …}}',
            },
        ];
    }
    const errors = [];
    if (typeof properties.vmSize !== 'string' || properties.vmSize === '') {
        errors.push({
            field: `${base}.vmSize`,
            type: 'FieldValueRequired',
            message: 'Required value: the VM size of the nodes',
        });
    }
    const deployment = isJsonObject(properties.deploymentConfiguration)
        ? properties.deploymentConfiguration
        : {};
    if (!isJsonObject(deployment.virtualMachineConfiguration)) {
        errors.push({
            field: `${base}.deploymentConfiguration.virtualMachineConfiguration`,
            type: 'FieldValueRequired',
            message: 'Required value: pools with a managed identity and the KeyVault extension must use the Virtual Machine Configuration',
        });
    }
    return errors;
}
function isKnownTimeZone(zone) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
    }
    catch {
        return false;
    }
}
/** Appends what the field expects (its description) to a generic message (regex, bound, type). */
function withHint(schema, field, message) {
    // Rule (CEL) messages already say what to do; the generic ones quote a regex or a bound.
    if (!/ in body |^Too long:/.test(message))
        return message;
    const node = schemaAt(schema, field);
    return node?.description ? `${message} (expected: ${node.description})` : message;
}
/** The schema node of a field path like `spec.certificates[0].secretId`. */
export function schemaAt(schema, field) {
    let node = schema;
    for (const token of field.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
        if (!node)
            return undefined;
        node = token.startsWith('[') ? node.items : node.properties?.[token];
    }
    return node;
}
//# sourceMappingURL=validate.js.map