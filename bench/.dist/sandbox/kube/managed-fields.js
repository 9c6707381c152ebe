// Field ownership (metadata.managedFields, FieldsV1) and server-side apply, after
// sigs.k8s.io/structured-merge-diff as the API server uses it:
// https://kubernetes.io/docs/reference/using-api/server-side-apply/
// - An apply (`application/apply-patch+yaml`) makes its manager own exactly the fields in its config;
//   fields it owned before and no longer sends, and nobody else owns, are removed.
// - A field another manager owns and the config sets to a different value is a conflict (409) unless
//   force=true, which moves ownership to the applier.
// - Any other write (create/update/patch) makes its manager own the fields it changed and takes them
//   away from the others — updates never conflict.
// Lists follow their schema: `x-kubernetes-list-type: map` items are keyed (`k:{"type":"Ready"}`),
// `set` items by value (`v:"a"`), other lists are atomic; maps are granular unless `map-type: atomic`.
import { deepClone, deepEqual, isJsonObject } from '../../api/structural/index.js';
const SEP = '\u0001';
const key = (path) => path.join(SEP);
const unkey = (k) => (k === '' ? [] : k.split(SEP));
/** Fields the server sets itself; never owned by a manager. */
const SERVER_METADATA = new Set([
    'name',
    'namespace',
    'generateName',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
    'selfLink',
]);
// ObjectMeta's list and map semantics (metav1.ObjectMeta's +listType markers).
export const OBJECT_META_SCHEMA = {
    type: 'object',
    properties: {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
        finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ownerReferences: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['uid'],
            items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
    },
};
function child(schema, name) {
    if (!schema)
        return undefined;
    const declared = schema.properties?.[name];
    if (declared)
        return declared;
    return isJsonObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
}
function isGranularMap(schema) {
    return !!schema && isJsonObject(schema.additionalProperties) && !schema.properties;
}
function listType(schema) {
    const t = schema?.['x-kubernetes-list-type'];
    if (t === 'map' && (schema?.['x-kubernetes-list-map-keys'] ?? []).length > 0)
        return 'map';
    return t === 'set' ? 'set' : 'atomic';
}
function itemKey(item, keys) {
    const parts = {};
    for (const k of [...keys].sort())
        if (isJsonObject(item) && item[k] !== undefined)
            parts[k] = item[k];
    return `k:${JSON.stringify(parts)}`;
}
/** The root schema used for field paths: the type's schema with ObjectMeta's semantics under metadata. */
export function rootSchema(schema) {
    return {
        ...(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
        properties: { ...(schema?.properties ?? {}), metadata: OBJECT_META_SCHEMA },
    };
}
/** Leaf and item paths set in `value` (FieldsV1 semantics). */
function collect(value, schema, path, out) {
    if (isJsonObject(value) &&
        schema?.['x-kubernetes-map-type'] !== 'atomic' &&
        Object.keys(value).length > 0) {
        const granular = isGranularMap(schema);
        if (granular && path.length > 0)
            out.add(key([...path, '.']));
        for (const [name, item] of Object.entries(value)) {
            collect(item, child(schema, name), [...path, `f:${name}`], out);
        }
        return;
    }
    if (Array.isArray(value) && value.length > 0) {
        const lt = listType(schema);
        if (lt !== 'atomic' && path.length > 0)
            out.add(key([...path, '.']));
        if (lt === 'map') {
            const keys = schema['x-kubernetes-list-map-keys'];
            for (const item of value) {
                const itemPath = [...path, itemKey(item, keys)];
                out.add(key([...itemPath, '.']));
                collect(item, schema.items, itemPath, out);
            }
            return;
        }
        if (lt === 'set') {
            for (const item of value)
                out.add(key([...path, `v:${JSON.stringify(item)}`]));
            return;
        }
    }
    if (path.length > 0)
        out.add(key(path));
}
/** The field set of an object, without server-managed metadata; `scope` keeps main or status fields. */
export function fieldSet(object, schema, scope) {
    const out = new Set();
    if (!isJsonObject(object))
        return out;
    for (const [name, value] of Object.entries(object)) {
        if (name === 'apiVersion' || name === 'kind')
            continue;
        if (scope === 'main' && name === 'status')
            continue;
        if (scope === 'status' && name !== 'status')
            continue;
        if (name === 'metadata' && isJsonObject(value)) {
            for (const [metaName, metaValue] of Object.entries(value)) {
                if (SERVER_METADATA.has(metaName))
                    continue;
                collect(metaValue, child(OBJECT_META_SCHEMA, metaName), ['f:metadata', `f:${metaName}`], out);
            }
            continue;
        }
        collect(value, child(schema, name), [`f:${name}`], out);
    }
    return out;
}
/** Reads the value at a field path (`.` = the item itself). */
function valueAt(object, path, schema) {
    let current = object;
    let currentSchema = schema;
    for (const element of path) {
        if (element === '.')
            return current;
        if (element.startsWith('f:')) {
            if (!isJsonObject(current))
                return undefined;
            const name = element.slice(2);
            current = current[name];
            currentSchema =
                name === 'metadata' && currentSchema === schema ? OBJECT_META_SCHEMA : child(currentSchema, name);
        }
        else if (element.startsWith('k:')) {
            if (!Array.isArray(current))
                return undefined;
            const keys = currentSchema?.['x-kubernetes-list-map-keys'] ?? [];
            current = current.find((item) => itemKey(item, keys) === element);
            currentSchema = currentSchema?.items;
        }
        else if (element.startsWith('v:')) {
            if (!Array.isArray(current))
                return undefined;
            const wanted = JSON.parse(element.slice(2));
            return current.some((item) => deepEqual(item, wanted)) ? wanted : undefined;
        }
    }
    return current;
}
/** Removes the value at a field path; returns whether anything was removed. */
function removeAt(object, path, schema) {
    if (path.length === 0)
        return;
    const last = path[path.length - 1];
    const parentPath = last === '.' ? path.slice(0, -2) : path.slice(0, -1);
    const target = last === '.' ? path[path.length - 2] : last;
    const parent = valueAt(object, parentPath, schema);
    if (target.startsWith('f:') && isJsonObject(parent)) {
        delete parent[target.slice(2)];
    }
    else if (Array.isArray(parent)) {
        const parentSchema = schemaAt(schema, parentPath);
        const keys = parentSchema?.['x-kubernetes-list-map-keys'] ?? [];
        const index = target.startsWith('k:')
            ? parent.findIndex((item) => itemKey(item, keys) === target)
            : parent.findIndex((item) => deepEqual(item, JSON.parse(target.slice(2))));
        if (index >= 0)
            parent.splice(index, 1);
    }
}
function schemaAt(schema, path) {
    let current = schema;
    for (const element of path) {
        if (element.startsWith('f:')) {
            const name = element.slice(2);
            current = name === 'metadata' && current === schema ? OBJECT_META_SCHEMA : child(current, name);
        }
        else if (element.startsWith('k:'))
            current = current?.items;
    }
    return current;
}
/** Merges an applied configuration into the live object (structured merge). */
function mergeApplied(live, applied, schema) {
    if (isJsonObject(applied) && isJsonObject(live) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
        const out = { ...live };
        for (const [name, value] of Object.entries(applied)) {
            out[name] = mergeApplied(live[name], value, child(schema, name));
        }
        return out;
    }
    if (Array.isArray(applied) && Array.isArray(live)) {
        const lt = listType(schema);
        if (lt === 'map') {
            const keys = schema['x-kubernetes-list-map-keys'];
            const out = [...live];
            for (const item of applied) {
                const index = out.findIndex((existing) => itemKey(existing, keys) === itemKey(item, keys));
                if (index >= 0)
                    out[index] = mergeApplied(out[index], item, schema.items);
                else
                    out.push(deepClone(item));
            }
            return out;
        }
        if (lt === 'set') {
            const out = [...live];
            for (const item of applied)
                if (!out.some((e) => deepEqual(e, item)))
                    out.push(item);
            return out;
        }
    }
    return deepClone(applied);
}
export function toFieldsV1(set) {
    const root = {};
    for (const k of [...set].sort()) {
        let node = root;
        for (const element of unkey(k)) {
            node = (node[element] ??= {});
        }
    }
    return root;
}
export function fromFieldsV1(fields) {
    const out = new Set();
    const walk = (node, path) => {
        const entries = Object.entries(node);
        if (entries.length === 0 && path.length > 0)
            out.add(key(path));
        for (const [element, sub] of entries)
            walk(isJsonObject(sub) ? sub : {}, [...path, element]);
    };
    walk(fields ?? {}, []);
    return out;
}
/** `.spec.nodeTypes[name="a"].vmssName` — the path as conflict messages print it. */
export function describePath(k) {
    let out = '';
    for (const element of unkey(k)) {
        if (element === '.')
            continue;
        if (element.startsWith('f:'))
            out += `.${element.slice(2)}`;
        else if (element.startsWith('k:')) {
            const parts = Object.entries(JSON.parse(element.slice(2)));
            out += `[${parts.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}]`;
        }
        else if (element.startsWith('v:'))
            out += `[=${element.slice(2)}]`;
    }
    return out;
}
function owners(entries) {
    return (entries ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}
function finish(list) {
    return list.filter((o) => o.set.size > 0).map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }));
}
const sameSlot = (entry, id, operation) => entry.manager === id.manager &&
    entry.operation === operation &&
    (entry.subresource ?? '') === (id.subresource ?? '');
/**
 * Records a non-apply write: `id` owns the fields that changed between `before` and `after`;
 * others lose them; fields that disappeared are owned by nobody. Returns the new managedFields.
 */
export function trackUpdate(before, after, schema, scope, id) {
    const root = rootSchema(schema);
    const newSet = fieldSet(after, root, scope);
    const oldSet = before ? fieldSet(before, root, scope) : new Set();
    const changed = new Set();
    for (const k of newSet) {
        // A `.` (the list, map or item itself) changes hands only when it appears.
        if (!oldSet.has(k))
            changed.add(k);
        else if (!k.endsWith(`${SEP}.`) &&
            !deepEqual(valueAt(before, unkey(k), root), valueAt(after, unkey(k), root))) {
            changed.add(k);
        }
    }
    const removed = [...oldSet].filter((k) => !newSet.has(k));
    const list = owners(before?.metadata.managedFields);
    for (const owner of list) {
        for (const k of changed)
            owner.set.delete(k);
        for (const k of removed)
            owner.set.delete(k);
    }
    if (changed.size > 0) {
        let mine = list.find((o) => sameSlot(o.entry, id, 'Update'));
        if (!mine) {
            mine = { entry: slotEntry(id, 'Update'), set: new Set() };
            list.push(mine);
        }
        for (const k of changed)
            mine.set.add(k);
        mine.entry = { ...mine.entry, time: id.time, apiVersion: id.apiVersion };
    }
    return finish(list);
}
function slotEntry(id, operation) {
    const entry = {
        manager: id.manager,
        operation,
        apiVersion: id.apiVersion,
        time: id.time,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
    };
    if (id.subresource)
        entry.subresource = id.subresource;
    return entry;
}
/**
 * Server-side apply of `config` by `id` onto `live` (undefined when the object does not exist yet).
 * Returns conflicts (and leaves ownership unchanged) unless `force`.
 */
export function serverSideApply(live, config, schema, scope, id, force) {
    const root = rootSchema(schema);
    const applied = fieldSet(config, root, scope);
    const list = owners(live?.metadata.managedFields);
    const conflicts = [];
    if (live) {
        for (const owner of list) {
            if (sameSlot(owner.entry, id, 'Apply'))
                continue;
            for (const k of applied) {
                if (!owner.set.has(k) || k.endsWith(`${SEP}.`))
                    continue;
                if (deepEqual(valueAt(live, unkey(k), root), valueAt(config, unkey(k), root)))
                    continue;
                conflicts.push({
                    manager: owner.entry.manager,
                    operation: owner.entry.operation,
                    apiVersion: owner.entry.apiVersion,
                    path: describePath(k),
                });
                if (force)
                    owner.set.delete(k);
            }
        }
    }
    if (conflicts.length > 0 && !force)
        return { object: live, managedFields: live.metadata.managedFields ?? [], conflicts };
    let mine = list.find((o) => sameSlot(o.entry, id, 'Apply'));
    const previouslyMine = mine ? new Set(mine.set) : new Set();
    if (!mine) {
        mine = { entry: slotEntry(id, 'Apply'), set: new Set() };
        list.push(mine);
    }
    mine.set = applied;
    mine.entry = { ...mine.entry, time: id.time, apiVersion: id.apiVersion };
    const scoped = scopeOf(config, scope);
    const merged = (live ? mergeApplied(live, scoped, root) : deepClone(config));
    // Fields this manager applied before, dropped now, and owned by nobody else, go away.
    const ownedByOthers = new Set();
    for (const owner of list)
        if (owner !== mine)
            for (const k of owner.set)
                ownedByOthers.add(k);
    const orphaned = [...previouslyMine].filter((k) => !applied.has(k) && !ownedByOthers.has(k));
    orphaned.sort((a, b) => unkey(b).length - unkey(a).length);
    for (const k of orphaned)
        removeAt(merged, unkey(k), root);
    // Updaters keep ownership only of fields that still exist.
    const remaining = fieldSet(merged, root, 'all');
    for (const owner of list) {
        for (const k of owner.set) {
            if (!remaining.has(k) && !k.endsWith(`${SEP}.`))
                owner.set.delete(k);
        }
    }
    return { object: merged, managedFields: finish(list), conflicts };
}
function scopeOf(config, scope) {
    if (scope === 'all')
        return config;
    const out = {};
    for (const [name, value] of Object.entries(config)) {
        if (name === 'apiVersion' || name === 'kind')
            continue;
        if (scope === 'status' ? name === 'status' : name !== 'status')
            out[name] = value;
    }
    if (scope === 'status' && config.metadata)
        out.metadata = {};
    return out;
}
/** The 409 message of an apply conflict, worded as the API server words it. */
export function conflictMessage(conflicts) {
    const byManager = new Map();
    for (const c of conflicts) {
        const who = c.operation === 'Update' ? `"${c.manager}" using ${c.apiVersion}` : `"${c.manager}"`;
        byManager.set(who, [...(byManager.get(who) ?? []), c]);
    }
    const n = conflicts.length;
    const head = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: `;
    if (n === 1) {
        const [who, list] = [...byManager.entries()][0];
        return `${head}conflict with ${who}: ${list[0].path}`;
    }
    return (head +
        [...byManager.entries()]
            .map(([who, list]) => list.length === 1
            ? `conflict with ${who}: ${list[0].path}`
            : `conflicts with ${who}:\n${list.map((c) => `- ${c.path}`).join('\n')}`)
            .join('\n'));
}
//# sourceMappingURL=managed-fields.js.map