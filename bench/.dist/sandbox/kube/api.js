// The resource semantics of the API server, independent of HTTP: create/update/patch/delete with
// resourceVersion preconditions, generation, finalizers, the status subresource, managedFields and
// server-side apply, CRD registration, namespace lifecycle, and list/watch filtering.
// https://kubernetes.io/docs/reference/using-api/api-concepts/
import { randomUUID } from 'node:crypto';
import { deepClone, deepEqual, forbidden, invalid, isJsonObject, processObject, prune, } from '../../api/structural/index.js';
import { builtinTypes, CRD_TYPE } from './builtins.js';
import { crdResourceTypes, establish, validateCrd } from './crd.js';
import { conflictMessage, serverSideApply, trackUpdate } from './managed-fields.js';
import { generateName, validateName } from './names.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { ApiError, errors, statusBody, successStatus } from './status.js';
import { ObjectStore } from './store.js';
import { apiVersionOf } from './types.js';
const TERMINATING = 'Terminating';
export class KubeApi {
    clock;
    store;
    types = new Map();
    constructor(clock, options = {}) {
        this.clock = clock;
        this.store = new ObjectStore(options.historyLimit);
        for (const type of builtinTypes())
            this.register(type);
    }
    // ---- registry ----
    register(type) {
        this.types.set(`${type.group}/${type.version}/${type.plural}`, type);
    }
    resolve(group, version, plural) {
        return this.types.get(`${group}/${version}/${plural}`);
    }
    allTypes() {
        return [...this.types.values()];
    }
    /** The type serving `apiVersion`/`kind` (for apply bodies and persistence). */
    typeForKind(apiVersion, kind) {
        return this.allTypes().find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    }
    registerCrd(crd) {
        this.unregisterCrd(crd.metadata.name);
        for (const type of crdResourceTypes(crd))
            this.register(type);
    }
    unregisterCrd(name) {
        for (const [key, type] of this.types)
            if (type.crd === name)
                this.types.delete(key);
    }
    /** Re-creates the registry from stored CRDs (after loading persisted state). */
    reloadCrds() {
        for (const crd of this.store.list(CRD_TYPE.storageKey))
            this.registerCrd(crd);
    }
    // ---- helpers ----
    now() {
        return this.clock
            .now()
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z');
    }
    /** The object in the form `type` serves (apiVersion, events.k8s.io conversion). */
    present(type, stored, copy = true) {
        const object = copy ? deepClone(stored) : stored;
        // fromStorage returns a new top-level object, so the stored one is never modified.
        return type.fromStorage ? type.fromStorage(object) : object;
    }
    toStorage(type, object) {
        return type.toStorage ? type.toStorage(object) : object;
    }
    schemaOf(type) {
        return (type.schema ?? type.openAPISchema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    }
    scope(type, subresource) {
        if (!type.statusSubresource)
            return 'all';
        return subresource === 'status' ? 'status' : 'main';
    }
    groupResource(type) {
        return { group: type.group, resource: type.plural };
    }
    requireNamespace(type, namespace, creating) {
        if (!type.namespaced)
            return;
        if (!namespace)
            throw errors.resourceNotFound();
        if (!creating)
            return;
        const ns = this.store.get('/namespaces', undefined, namespace);
        if (!ns)
            throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
        if (ns.metadata.deletionTimestamp) {
            throw new ApiError(statusBody(403, 'Forbidden', `${type.plural}${type.group ? `.${type.group}` : ''} "${''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
                kind: type.plural,
                ...(type.group ? { group: type.group } : {}),
                causes: [
                    {
                        type: 'NamespaceTerminating',
                        message: `namespace ${namespace} is being terminated`,
                        field: 'metadata.namespace',
                    },
                ],
            }));
        }
    }
    nameRule(type) {
        if (type.kind === 'Namespace')
            return 'label';
        if (type.plural === 'events')
            return 'subdomain';
        return 'subdomain';
    }
    checkBodyKind(type, body) {
        if (!isJsonObject(body))
            throw errors.badRequest('the body of the request was not a JSON object');
        const object = body;
        const apiVersion = apiVersionOf(type);
        if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
            throw errors.badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`);
        }
        if (object.kind !== undefined && object.kind !== type.kind) {
            throw errors.badRequest(`the kind in the data (${String(object.kind)}) does not match the expected kind (${type.kind})`);
        }
        object.apiVersion = apiVersion;
        object.kind = type.kind;
        if (!isJsonObject(object.metadata))
            object.metadata = {};
        return object;
    }
    /** Prune/default/validate a custom resource; strict field validation rejects unknown fields. */
    applySchema(type, object, old, options) {
        const prunedMeta = pruneObjectMeta(object);
        let result;
        if (type.schema) {
            result = processObject(type.schema, object, old ? { oldObject: old } : {});
        }
        else {
            // Built-ins: the published sketch only serves to find unknown fields (their rules are in code).
            const copy = deepClone(object);
            const prunedFields = type.openAPISchema ? prune(type.openAPISchema, copy, { resourceRoot: true }) : [];
            result = { object: copy, causes: [], prunedFields };
        }
        const pruned = [...prunedMeta, ...result.prunedFields];
        if (pruned.length > 0) {
            const unknown = pruned.map((f) => `unknown field "${f}"`);
            if (options.fieldValidation === 'Strict') {
                throw errors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${unknown.join(', ')}`);
            }
            if (options.fieldValidation === 'Warn')
                options.warnings?.push(...unknown);
        }
        if (result.causes.length > 0)
            throw errors.invalid(type.kind, type.group, object.metadata.name, result.causes);
        return result.object;
    }
    validate(type, object, old) {
        const causes = [];
        if (!old)
            causes.push(...validateName(object.metadata.name, object.metadata.generateName, this.nameRule(type)));
        causes.push(...validateMetadata(object.metadata));
        if (type.strategy.validate)
            causes.push(...type.strategy.validate(object, old));
        if (type === CRD_TYPE || type.kind === 'CustomResourceDefinition')
            causes.push(...validateCrd(object));
        if (causes.length > 0)
            throw errors.invalid(type.kind, type.group, object.metadata.name, causes);
    }
    fieldManager(options, fallback) {
        return options.fieldManager || fallback;
    }
    // ---- reads ----
    get(type, namespace, name) {
        this.requireNamespace(type, namespace, false);
        const stored = this.store.get(type.storageKey, type.namespaced ? namespace : undefined, name);
        if (!stored)
            throw errors.notFound(this.groupResource(type), name);
        return this.present(type, stored);
    }
    matches(type, object, options) {
        if (type.namespaced && options.namespace && object.metadata.namespace !== options.namespace)
            return false;
        if (options.labelSelector && !options.labelSelector(object.metadata.labels))
            return false;
        for (const req of options.fieldSelector ?? []) {
            const value = fieldValue(type, object, req.field);
            if (req.op === '=' ? value !== req.value : value === req.value)
                return false;
        }
        return true;
    }
    /** Validates a field selector for the type (400 for unsupported labels, as the API server does). */
    checkFieldSelector(type, requirements) {
        for (const req of requirements) {
            if (req.field === 'metadata.name' || req.field === 'metadata.namespace')
                continue;
            if (type.strategy.selectableFields?.[req.field])
                continue;
            throw errors.badRequest(`field label not supported: ${req.field}`);
        }
    }
    /** `copy: false` returns the stored objects themselves (read-only; for serialising at once). */
    list(type, options, copy = true) {
        let start = '';
        let revision = this.store.currentRevision();
        if (options.continueToken) {
            const token = decodeContinue(options.continueToken);
            if (token.rv < this.store.oldestResumableRevision()) {
                throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
            }
            start = token.start;
            revision = token.rv;
        }
        const all = this.store
            .list(type.storageKey, type.namespaced ? options.namespace : undefined)
            .filter((o) => keyOf(o) > start)
            .filter((o) => this.matches(type, o, options));
        const limit = options.limit && options.limit > 0 ? options.limit : undefined;
        const page = limit ? all.slice(0, limit) : all;
        const result = {
            items: page.map((o) => this.present(type, o, copy)),
            resourceVersion: String(options.continueToken ? revision : this.store.currentRevision()),
        };
        if (limit && all.length > limit) {
            result.continueToken = encodeContinue({ rv: revision, start: keyOf(page[page.length - 1]) });
            result.remainingItemCount = all.length - limit;
        }
        return result;
    }
    // ---- writes ----
    create(type, namespace, body, options = {}, appliedManagedFields) {
        let object = this.toStorage(type, this.checkBodyKind(type, deepClone(body)));
        const meta = object.metadata;
        if (type.namespaced) {
            if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
                throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
            }
            meta.namespace = namespace;
        }
        else
            delete meta.namespace;
        this.requireNamespace(type, namespace, true);
        if (!meta.name && meta.generateName)
            meta.name = generateName(meta.generateName);
        if (type.statusSubresource && type.schema)
            delete object.status;
        for (const key of [
            'uid',
            'resourceVersion',
            'deletionTimestamp',
            'deletionGracePeriodSeconds',
            'managedFields',
            'selfLink',
        ]) {
            delete meta[key];
        }
        type.strategy.prepare?.(object, undefined);
        object = this.applySchema(type, object, undefined, options);
        this.validate(type, object, undefined);
        const existing = this.store.get(type.storageKey, object.metadata.namespace, object.metadata.name);
        if (existing)
            throw errors.alreadyExists(this.groupResource(type), object.metadata.name);
        const m = object.metadata;
        m.uid = randomUUID();
        m.creationTimestamp = this.now();
        if (type.strategy.generation)
            m.generation = 1;
        else
            delete m.generation;
        if (type.kind === 'CustomResourceDefinition')
            establish(object, m.creationTimestamp);
        if (appliedManagedFields) {
            m.managedFields = appliedManagedFields.map((entry) => ({ ...entry, time: m.creationTimestamp }));
        }
        else {
            m.managedFields = trackUpdate(undefined, object, this.schemaOf(type), this.scope(type, undefined), {
                manager: this.fieldManager(options, 'unknown'),
                apiVersion: apiVersionOf(type),
                time: m.creationTimestamp,
            });
        }
        return this.persist(type, object, options);
    }
    persist(type, object, options) {
        if (options.dryRun) {
            object.metadata.resourceVersion ??= '';
            return this.present(type, object);
        }
        const revision = this.store.nextRevision();
        object.metadata.resourceVersion = String(revision);
        const m = object.metadata;
        if (!m.managedFields?.length)
            delete m.managedFields;
        this.store.put(type.storageKey, object, revision);
        if (type.kind === 'CustomResourceDefinition')
            this.registerCrd(object);
        return this.present(type, object);
    }
    update(type, namespace, name, subresource, body, options = {}) {
        this.requireNamespace(type, namespace, false);
        const incoming = this.toStorage(type, this.checkBodyKind(type, deepClone(body)));
        if (incoming.metadata.name && incoming.metadata.name !== name) {
            throw errors.badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
        }
        const old = this.store.get(type.storageKey, type.namespaced ? namespace : undefined, name);
        if (!old)
            throw errors.notFound(this.groupResource(type), name);
        const rv = incoming.metadata.resourceVersion;
        if (rv) {
            if (rv !== old.metadata.resourceVersion)
                throw errors.staleResourceVersion(this.groupResource(type), name);
        }
        else if (!type.strategy.allowUnconditionalUpdate) {
            throw errors.invalid(type.kind, type.group, name, [
                invalid('metadata.resourceVersion', '0x0', 'must be specified for an update'),
            ]);
        }
        return this.commit(type, old, incoming, subresource, options, false);
    }
    patch(type, namespace, name, subresource, patchType, patch, options = {}) {
        this.requireNamespace(type, namespace, false);
        const ns = type.namespaced ? namespace : undefined;
        const old = this.store.get(type.storageKey, ns, name);
        if (patchType === 'apply')
            return this.apply(type, ns, name, subresource, old, patch, options);
        if (!old)
            throw errors.notFound(this.groupResource(type), name);
        const current = this.present(type, old);
        let patched;
        if (patchType === 'json')
            patched = jsonPatch(current, patch);
        else if (patchType === 'merge')
            patched = mergePatch(current, patch);
        else
            patched = strategicMergePatch(current, patch, this.schemaOf(type));
        const candidate = this.toStorage(type, this.checkBodyKind(type, patched));
        if (candidate.metadata.name !== name) {
            throw errors.badRequest(`the name of the object (${candidate.metadata.name}) does not match the name on the URL (${name})`);
        }
        // A resourceVersion in the patch is a precondition (optimistic concurrency through patch).
        if (candidate.metadata.resourceVersion &&
            candidate.metadata.resourceVersion !== old.metadata.resourceVersion) {
            throw errors.staleResourceVersion(this.groupResource(type), name);
        }
        return { object: this.commit(type, old, candidate, subresource, options, false), created: false };
    }
    apply(type, namespace, name, subresource, old, body, options) {
        if (!options.fieldManager) {
            throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
                {
                    type: 'FieldValueRequired',
                    field: 'fieldManager',
                    message: 'Required value: is required for apply patch',
                },
            ]);
        }
        if (!isJsonObject(body) || !body.apiVersion || !body.kind) {
            throw errors.badRequest('invalid object type: /, Kind=');
        }
        const config = this.toStorage(type, this.checkBodyKind(type, deepClone(body)));
        if (config.metadata.name && config.metadata.name !== name) {
            throw errors.badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
        }
        config.metadata.name = name;
        if (type.namespaced)
            config.metadata.namespace = namespace;
        const id = {
            manager: options.fieldManager,
            apiVersion: apiVersionOf(type),
            time: this.now(),
            ...(subresource ? { subresource } : {}),
        };
        const schema = this.schemaOf(type);
        const scope = this.scope(type, subresource);
        if (!old) {
            if (subresource)
                throw errors.notFound(this.groupResource(type), name);
            const result = serverSideApply(undefined, config, schema, scope, id, true);
            const object = result.object;
            object.metadata.managedFields = result.managedFields;
            const created = this.create(type, namespace, this.present(type, object), options, result.managedFields);
            return { object: created, created: true };
        }
        const result = serverSideApply(old, config, schema, scope, id, options.force === true);
        if (result.conflicts.length > 0 && !options.force) {
            throw new ApiError(statusBody(409, 'Conflict', conflictMessage(result.conflicts), {
                causes: result.conflicts.map((c) => ({
                    type: 'FieldManagerConflict',
                    message: c.operation === 'Update'
                        ? `conflict with "${c.manager}" using ${c.apiVersion}`
                        : `conflict with "${c.manager}"`,
                    field: c.path,
                })),
            }));
        }
        const candidate = result.object;
        candidate.metadata = { ...candidate.metadata, managedFields: result.managedFields };
        return { object: this.commit(type, old, candidate, subresource, options, true), created: false };
    }
    /** Shared tail of update/patch/apply: subresource rules, validation, generation, finalizers, write. */
    commit(type, old, incoming, subresource, options, managedFieldsSet) {
        let candidate;
        if (subresource === 'status') {
            // Writes to /status change status only (apiextensions statusStrategy.PrepareForUpdate).
            candidate = deepClone(old);
            if (incoming.status === undefined)
                delete candidate.status;
            else
                candidate.status = deepClone(incoming.status);
            if (managedFieldsSet)
                candidate.metadata.managedFields = incoming.metadata.managedFields;
        }
        else {
            candidate = incoming;
            if (type.statusSubresource) {
                if (old.status === undefined)
                    delete candidate.status;
                else
                    candidate.status = deepClone(old.status);
            }
        }
        const m = candidate.metadata;
        const o = old.metadata;
        // Fields only the server sets.
        m.uid = o.uid;
        m.creationTimestamp = o.creationTimestamp;
        if (o.namespace === undefined)
            delete m.namespace;
        else
            m.namespace = o.namespace;
        m.name = o.name;
        if (o.generation !== undefined)
            m.generation = o.generation;
        else
            delete m.generation;
        if (o.deletionTimestamp) {
            m.deletionTimestamp = o.deletionTimestamp;
            m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
            const added = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
            if (added.length > 0) {
                throw errors.invalid(type.kind, type.group, o.name, [
                    forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`),
                ]);
            }
        }
        else {
            delete m.deletionTimestamp;
            delete m.deletionGracePeriodSeconds;
        }
        if (!managedFieldsSet) {
            if (o.managedFields === undefined)
                delete m.managedFields;
            else
                m.managedFields = o.managedFields;
        }
        type.strategy.prepare?.(candidate, old);
        candidate = this.applySchema(type, candidate, old, options);
        this.validate(type, candidate, old);
        if (type.strategy.generation && specChanged(old, candidate)) {
            candidate.metadata.generation = (o.generation ?? 0) + 1;
        }
        if (type.kind === 'CustomResourceDefinition' && subresource !== 'status') {
            establish(candidate, this.now());
        }
        if (!managedFieldsSet) {
            candidate.metadata.managedFields = trackUpdate(old, candidate, this.schemaOf(type), this.scope(type, subresource), {
                manager: this.fieldManager(options, 'unknown'),
                apiVersion: apiVersionOf(type),
                time: this.now(),
                ...(subresource ? { subresource } : {}),
            });
        }
        candidate.metadata.resourceVersion = o.resourceVersion;
        // A write that changes nothing is not stored: same resourceVersion, no watch event.
        if (sameIgnoringManagedTimes(old, candidate))
            return this.present(type, old);
        if (candidate.metadata.deletionTimestamp && !(candidate.metadata.finalizers ?? []).length) {
            if (options.dryRun)
                return this.present(type, candidate);
            return this.removeNow(type, candidate);
        }
        const result = this.persist(type, candidate, options);
        if (!options.dryRun)
            this.afterChange(type, candidate);
        return result;
    }
    removeNow(type, object) {
        const revision = this.store.nextRevision();
        const final = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
        this.store.remove(type.storageKey, final, revision);
        if (type.kind === 'CustomResourceDefinition')
            this.dropCrd(final);
        this.afterChange(type, final);
        return this.present(type, final);
    }
    dropCrd(crd) {
        const types = crdResourceTypes(crd);
        this.unregisterCrd(crd.metadata.name);
        if (types[0])
            this.store.dropStorage(types[0].storageKey);
    }
    delete(type, namespace, name, options = {}) {
        this.requireNamespace(type, namespace, false);
        const old = this.store.get(type.storageKey, type.namespaced ? namespace : undefined, name);
        if (!old)
            throw errors.notFound(this.groupResource(type), name);
        const pre = options.preconditions ?? {};
        if (pre.uid && pre.uid !== old.metadata.uid) {
            throw errors.conflict(this.groupResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
        }
        if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
            throw errors.conflict(this.groupResource(type), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
        }
        if (type.kind === 'Namespace') {
            if (name === 'default' || name === 'kube-system' || name === 'kube-public') {
                throw errors.forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted');
            }
            return { object: this.startNamespaceDeletion(type, old, options), pending: true };
        }
        if ((old.metadata.finalizers ?? []).length > 0) {
            if (old.metadata.deletionTimestamp)
                return { object: this.present(type, old), pending: true };
            const marked = deepClone(old);
            marked.metadata.deletionTimestamp = this.now();
            marked.metadata.deletionGracePeriodSeconds = 0;
            if (type.strategy.generation)
                marked.metadata.generation = (old.metadata.generation ?? 0) + 1;
            return { object: this.persist(type, marked, options), pending: true };
        }
        const details = {
            name,
            kind: type.plural,
            uid: old.metadata.uid,
            ...(type.group ? { group: type.group } : {}),
        };
        if (options.dryRun)
            return { object: successStatus(details), pending: false };
        this.removeNow(type, old);
        return { object: successStatus(details), pending: false };
    }
    deleteCollection(type, options) {
        const { items } = this.list(type, { ...options, limit: undefined, continueToken: undefined });
        const out = [];
        for (const item of items) {
            const { object } = this.delete(type, item.metadata.namespace, item.metadata.name, {
                dryRun: options.dryRun,
            });
            out.push(object.kind === 'Status' ? item : object);
        }
        return out;
    }
    // ---- namespaces ----
    startNamespaceDeletion(type, ns, options) {
        if (ns.metadata.deletionTimestamp)
            return this.present(type, ns);
        const marked = deepClone(ns);
        marked.metadata.deletionTimestamp = this.now();
        marked.metadata.deletionGracePeriodSeconds = 0;
        marked.status = { phase: TERMINATING };
        const result = this.persist(type, marked, options);
        if (!options.dryRun)
            this.finalizeNamespace(ns.metadata.name);
        return result;
    }
    /** The namespace controller: deletes the content of a terminating namespace, then the namespace. */
    finalizeNamespace(namespace) {
        const ns = this.store.get('/namespaces', undefined, namespace);
        if (!ns?.metadata.deletionTimestamp)
            return;
        let remaining = 0;
        const seen = new Set();
        for (const type of this.allTypes()) {
            if (!type.namespaced || seen.has(type.storageKey))
                continue;
            seen.add(type.storageKey);
            for (const object of this.store.list(type.storageKey, namespace)) {
                remaining++;
                if (!object.metadata.deletionTimestamp)
                    this.delete(type, namespace, object.metadata.name);
            }
        }
        const left = [...seen].reduce((n, key) => n + this.store.list(key, namespace).length, 0);
        if (remaining === 0 || left === 0) {
            const nsType = this.resolve('', 'v1', 'namespaces');
            if ((ns.metadata.finalizers ?? []).length === 0)
                this.removeNow(nsType, ns);
        }
    }
    afterChange(type, object) {
        const namespace = object.metadata.namespace;
        if (type.namespaced && namespace) {
            const ns = this.store.get('/namespaces', undefined, namespace);
            if (ns?.metadata.deletionTimestamp)
                this.finalizeNamespace(namespace);
        }
        else if (type.kind === 'Namespace' && object.metadata.deletionTimestamp) {
            this.finalizeNamespace(object.metadata.name);
        }
    }
    /** Creates a namespace if it does not exist (bootstrap and tests). */
    ensureNamespace(name) {
        if (this.store.get('/namespaces', undefined, name))
            return;
        const type = this.resolve('', 'v1', 'namespaces');
        this.create(type, undefined, { metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } }, { fieldManager: 'kube-apiserver' });
    }
    subscribe(listener) {
        return this.store.subscribe(listener);
    }
}
// ---- free helpers ----
const keyOf = (o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
function encodeContinue(token) {
    return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}
function decodeContinue(token) {
    try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
        if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
            return { rv: parsed.rv, start: parsed.start };
    }
    catch {
        // fall through
    }
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
function fieldValue(type, object, field) {
    if (field === 'metadata.name')
        return object.metadata.name;
    if (field === 'metadata.namespace')
        return object.metadata.namespace ?? '';
    return type.strategy.selectableFields?.[field]?.(object);
}
/** Everything but metadata and status: a change there bumps metadata.generation. */
function specChanged(old, next) {
    const strip = (o) => {
        const { metadata: _m, status: _s, ...rest } = o;
        return rest;
    };
    return !deepEqual(strip(old), strip(next));
}
function sameIgnoringManagedTimes(old, next) {
    const strip = (o) => ({
        ...o,
        metadata: {
            ...o.metadata,
            managedFields: (o.metadata.managedFields ?? []).map(({ time: _t, ...rest }) => rest),
        },
    });
    return deepEqual(strip(old), strip(next));
}
// metav1.ObjectMeta's fields; anything else under metadata is an unknown field (dropped, or refused
// with fieldValidation=Strict).
const OBJECT_META_FIELDS = new Set([
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
]);
function pruneObjectMeta(object) {
    const pruned = [];
    for (const key of Object.keys(object.metadata)) {
        if (OBJECT_META_FIELDS.has(key))
            continue;
        delete object.metadata[key];
        pruned.push(`metadata.${key}`);
    }
    return pruned;
}
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
function validateMetadata(meta) {
    const out = [];
    for (const [key, value] of Object.entries(meta.labels ?? {})) {
        if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
            out.push(invalid(`metadata.labels`, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
        }
        if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
            out.push(invalid('metadata.labels', key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
        }
    }
    let annotationBytes = 0;
    for (const [key, value] of Object.entries(meta.annotations ?? {})) {
        annotationBytes += key.length + String(value).length;
        if (typeof value !== 'string')
            out.push(invalid(`metadata.annotations`, value, 'must be a string'));
    }
    if (annotationBytes > 256 * 1024) {
        out.push({
            type: 'FieldValueTooLong',
            field: 'metadata.annotations',
            message: 'Too long: may not be more than 262144 bytes',
        });
    }
    return out;
}
//# sourceMappingURL=api.js.map