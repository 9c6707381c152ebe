// Patch formats the API server accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
// strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) — the last one approximated:
// maps merge, lists merge by key where the type declares a merge key (list-type map), otherwise replace;
// `$patch: delete|replace`, `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` are honoured.
import { deepClone, deepEqual, isJsonObject } from '../../api/structural/index.js';
import { errors } from './status.js';
export function mergePatch(target, patch) {
    if (!isJsonObject(patch))
        return deepClone(patch);
    const out = isJsonObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null)
            delete out[key];
        else
            out[key] = mergePatch(out[key], value);
    }
    return out;
}
function pointer(path) {
    if (path === '')
        return [];
    if (!path.startsWith('/'))
        throw errors.badRequest(`invalid JSON pointer: ${JSON.stringify(path)}`);
    return path
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function parentOf(doc, parts, path) {
    let current = doc;
    for (const part of parts.slice(0, -1)) {
        if (Array.isArray(current))
            current = current[Number(part)];
        else if (isJsonObject(current))
            current = current[part];
        else
            current = undefined;
        if (current === undefined)
            throw invalidPatch(`doc is missing path: "${path}"`);
    }
    return current;
}
function invalidPatch(message) {
    return errors.invalid('', '', '', [{ type: 'FieldValueInvalid', field: 'patch', message }]);
}
function getAt(doc, path) {
    let current = doc;
    for (const part of pointer(path)) {
        if (Array.isArray(current))
            current = current[Number(part)];
        else if (isJsonObject(current))
            current = current[part];
        else
            return undefined;
    }
    return current;
}
/** Applies an RFC 6902 patch; a failed `test` or a missing path is 422, a malformed patch 400. */
export function jsonPatch(doc, ops) {
    if (!Array.isArray(ops))
        throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    let root = deepClone(doc);
    for (const raw of ops) {
        if (!isJsonObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
            throw errors.badRequest('invalid JSON patch operation');
        }
        const op = raw;
        const parts = pointer(op.path);
        const add = (value) => {
            if (parts.length === 0) {
                root = deepClone(value);
                return;
            }
            const parent = parentOf(root, parts, op.path);
            const last = parts[parts.length - 1];
            if (Array.isArray(parent)) {
                const index = last === '-' ? parent.length : Number(last);
                if (!Number.isInteger(index) || index < 0 || index > parent.length) {
                    throw invalidPatch(`Unable to access invalid index: ${last}`);
                }
                parent.splice(index, 0, deepClone(value));
            }
            else if (isJsonObject(parent))
                parent[last] = deepClone(value);
            else
                throw invalidPatch(`doc is missing path: "${op.path}"`);
        };
        const remove = () => {
            const parent = parentOf(root, parts, op.path);
            const last = parts[parts.length - 1];
            if (Array.isArray(parent)) {
                const index = Number(last);
                if (!(index >= 0 && index < parent.length))
                    throw invalidPatch(`Unable to remove nonexistent key: ${last}: missing value`);
                return parent.splice(index, 1)[0];
            }
            if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
                const value = parent[last];
                delete parent[last];
                return value;
            }
            throw invalidPatch(`Unable to remove nonexistent key: ${last}: missing value`);
        };
        switch (op.op) {
            case 'add':
                add(op.value);
                break;
            case 'remove':
                remove();
                break;
            case 'replace':
                if (getAt(root, op.path) === undefined)
                    throw invalidPatch(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
                remove();
                add(op.value);
                break;
            case 'move': {
                const value = getAt(root, op.from ?? '');
                if (value === undefined)
                    throw invalidPatch(`move operation does not apply: doc is missing from path: ${op.from}`);
                const fromParts = pointer(op.from ?? '');
                const saved = parts.splice(0, parts.length, ...fromParts);
                remove();
                parts.splice(0, parts.length, ...saved);
                add(value);
                break;
            }
            case 'copy': {
                const value = getAt(root, op.from ?? '');
                if (value === undefined)
                    throw invalidPatch(`copy operation does not apply: doc is missing from path: ${op.from}`);
                add(value);
                break;
            }
            case 'test':
                if (!deepEqual(getAt(root, op.path), op.value)) {
                    throw invalidPatch(`testing value ${op.path} failed: test failed`);
                }
                break;
            default:
                throw errors.badRequest(`Unexpected kind: ${op.op}`);
        }
    }
    return root;
}
function child(schema, name) {
    if (!schema)
        return undefined;
    return (schema.properties?.[name] ??
        (isJsonObject(schema.additionalProperties) ? schema.additionalProperties : undefined));
}
/** Strategic merge patch (see the module comment for what is supported). */
export function strategicMergePatch(target, patch, schema) {
    if (!isJsonObject(patch))
        return deepClone(patch);
    if (patch.$patch === 'replace') {
        const { $patch: _ignored, ...rest } = patch;
        return stripDirectives(rest);
    }
    if (patch.$patch === 'delete')
        return undefined;
    const out = isJsonObject(target) ? { ...target } : {};
    const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys) : undefined;
    for (const [key, value] of Object.entries(patch)) {
        if (key === '$retainKeys' || key === '$patch' || key.startsWith('$setElementOrder/'))
            continue;
        if (key.startsWith('$deleteFromPrimitiveList/')) {
            const name = key.slice('$deleteFromPrimitiveList/'.length);
            const current = out[name];
            if (Array.isArray(current) && Array.isArray(value)) {
                out[name] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
            }
            continue;
        }
        if (value === null) {
            delete out[key];
            continue;
        }
        const propertySchema = child(schema, key);
        const keys = propertySchema?.['x-kubernetes-list-map-keys'];
        if (Array.isArray(value) &&
            Array.isArray(out[key]) &&
            propertySchema?.['x-kubernetes-list-type'] === 'map' &&
            keys) {
            const merged = [...out[key]];
            for (const item of value) {
                const same = (e) => isJsonObject(e) && isJsonObject(item) && keys.every((k) => deepEqual(e[k], item[k]));
                const index = merged.findIndex(same);
                if (isJsonObject(item) && item.$patch === 'delete') {
                    if (index >= 0)
                        merged.splice(index, 1);
                }
                else if (index >= 0)
                    merged[index] = strategicMergePatch(merged[index], item, propertySchema.items);
                else
                    merged.push(stripDirectives(item));
            }
            out[key] = merged;
        }
        else if (isJsonObject(value)) {
            const next = strategicMergePatch(out[key], value, propertySchema);
            if (next === undefined)
                delete out[key];
            else
                out[key] = next;
        }
        else {
            out[key] = stripDirectives(value);
        }
    }
    if (retain)
        for (const key of Object.keys(out))
            if (!retain.has(key))
                delete out[key];
    return out;
}
function stripDirectives(value) {
    if (Array.isArray(value))
        return value.map(stripDirectives);
    if (!isJsonObject(value))
        return value;
    const out = {};
    for (const [k, v] of Object.entries(value))
        if (!k.startsWith('$'))
            out[k] = stripDirectives(v);
    return out;
}
//# sourceMappingURL=patch.js.map