// The HTTP face of the emulator: authentication, routing, content negotiation (JSON, Table,
// PartialObjectMetadata, aggregated discovery), watch streaming, fault injection and counters.
import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { isJsonObject } from '../../api/structural/index.js';
import { aggregatedContentType, aggregatedDiscovery, aggregatedRequested, apiGroupDocument, apiGroupList, apiVersions, openAPIDocument, openAPIIndex, resourceList, SERVER_VERSION, } from './discovery.js';
import { decodeProtobuf } from './protobuf.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, errors, statusBody } from './status.js';
import { tableRow, toTable, columnDefinitions } from './table.js';
import { apiVersionOf } from './types.js';
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);
const MAX_BODY = 3 * 1024 * 1024;
export class HttpFrontend {
    api;
    faults;
    counters;
    options;
    watchers = new Set();
    openapiHashes = new Map();
    constructor(api, faults, counters, options) {
        this.api = api;
        this.faults = faults;
        this.counters = counters;
        this.options = options;
    }
    dropWatches(filter) {
        let n = 0;
        for (const w of [...this.watchers]) {
            if (filter && !filter(w.facts))
                continue;
            w.end();
            n++;
        }
        return n;
    }
    expireWatches(filter) {
        let n = 0;
        for (const w of [...this.watchers]) {
            if (filter && !filter(w.facts))
                continue;
            w.expire();
            n++;
        }
        return n;
    }
    closeAll() {
        this.dropWatches();
    }
    handle = (req, res) => {
        this.route(req, res).catch((err) => this.fail(res, err));
    };
    fail(res, err) {
        const apiError = err instanceof ApiError ? err : errors.internal(err instanceof Error ? err.message : String(err));
        if (res.headersSent) {
            res.end();
            return;
        }
        this.send(res, apiError.code, apiError.status, apiError.headers);
    }
    send(res, code, body, headers = {}) {
        const text = JSON.stringify(body);
        res.writeHead(code, {
            'Content-Type': 'application/json',
            'Cache-Control': 'no-cache, private',
            'Content-Length': Buffer.byteLength(text),
            ...headers,
        });
        res.end(text);
    }
    authenticated(req) {
        const header = req.headers.authorization ?? '';
        const m = /^Bearer\s+(.+)$/i.exec(header);
        if (!m)
            return false;
        const given = Buffer.from(m[1].trim());
        for (const token of this.options.tokens) {
            const expected = Buffer.from(token);
            if (expected.length === given.length && timingSafeEqual(expected, given))
                return true;
        }
        return false;
    }
    async route(req, res) {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = url.pathname.replace(/\/+$/, '') || '/';
        if (!PUBLIC_PATHS.has(path) && !this.authenticated(req))
            throw errors.unauthorized();
        const method = req.method ?? 'GET';
        if (path === '/healthz' || path === '/livez' || path === '/readyz') {
            res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('ok');
            return;
        }
        if (path === '/version')
            return this.send(res, 200, SERVER_VERSION);
        if (path.startsWith('/openapi/'))
            return this.serveOpenAPI(res, path);
        const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
        const accept = req.headers.accept;
        if (segments[0] === 'api') {
            if (segments.length === 1) {
                const aggregated = aggregatedRequested(accept);
                if (aggregated) {
                    return this.send(res, 200, aggregatedDiscovery(this.api.allTypes(), true, aggregated), {
                        'Content-Type': aggregatedContentType(aggregated),
                    });
                }
                return this.send(res, 200, apiVersions(this.options.serverAddress()));
            }
            if (segments[1] !== 'v1')
                throw errors.resourceNotFound();
            if (segments.length === 2)
                return this.send(res, 200, resourceList(this.api.allTypes(), '', 'v1'));
            return this.serveResource(req, res, '', 'v1', segments.slice(2), url, method);
        }
        if (segments[0] === 'apis') {
            if (segments.length === 1) {
                const aggregated = aggregatedRequested(accept);
                if (aggregated) {
                    return this.send(res, 200, aggregatedDiscovery(this.api.allTypes(), false, aggregated), {
                        'Content-Type': aggregatedContentType(aggregated),
                    });
                }
                return this.send(res, 200, apiGroupList(this.api.allTypes()));
            }
            const group = segments[1];
            if (segments.length === 2) {
                const doc = apiGroupDocument(this.api.allTypes(), group);
                if (!doc)
                    throw errors.resourceNotFound();
                return this.send(res, 200, doc);
            }
            const version = segments[2];
            if (segments.length === 3) {
                const list = resourceList(this.api.allTypes(), group, version);
                if (list.resources.length === 0)
                    throw errors.resourceNotFound();
                return this.send(res, 200, list);
            }
            return this.serveResource(req, res, group, version, segments.slice(3), url, method);
        }
        throw errors.resourceNotFound();
    }
    serveOpenAPI(res, path) {
        const types = this.api.allTypes();
        if (path === '/openapi/v3') {
            return this.send(res, 200, openAPIIndex(types, (g, v) => this.openapiHash(g, v)));
        }
        const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
        if (!m)
            throw errors.resourceNotFound();
        const group = m[1] ? '' : m[2];
        const version = m[1] ?? m[3];
        if (!types.some((t) => t.group === group && t.version === version))
            throw errors.resourceNotFound();
        this.send(res, 200, openAPIDocument(types, group, version));
    }
    openapiHash(group, version) {
        const doc = JSON.stringify(openAPIDocument(this.api.allTypes(), group, version));
        const hash = createHash('sha512').update(doc).digest('hex').toUpperCase();
        this.openapiHashes.set(`${group}/${version}`, hash);
        return hash;
    }
    parseResourcePath(group, version, rest, method, query, path) {
        let namespace;
        let parts = rest;
        if (parts[0] === 'namespaces' &&
            parts.length >= 3 &&
            !(parts.length === 3 && (parts[2] === 'status' || parts[2] === 'finalize'))) {
            namespace = parts[1];
            parts = parts.slice(2);
        }
        const [plural, name, subresource, ...extra] = parts;
        if (!plural || extra.length > 0)
            throw errors.resourceNotFound();
        const type = this.api.resolve(group, version, plural);
        if (!type)
            throw errors.resourceNotFound();
        if (namespace !== undefined && !type.namespaced)
            throw errors.resourceNotFound();
        if (subresource !== undefined && !(subresource === 'status' && type.statusSubresource)) {
            throw errors.resourceNotFound();
        }
        let verb;
        const watch = query.get('watch') === 'true' || query.get('watch') === '1';
        switch (method) {
            case 'GET':
                verb = name ? 'get' : watch ? 'watch' : 'list';
                if (name && watch)
                    verb = 'watch';
                break;
            case 'POST':
                if (name)
                    throw errors.methodNotAllowed('GET, PUT, PATCH, DELETE');
                verb = 'create';
                break;
            case 'PUT':
                if (!name)
                    throw errors.methodNotAllowed('GET, POST');
                verb = 'update';
                break;
            case 'PATCH':
                if (!name)
                    throw errors.methodNotAllowed('GET, POST');
                verb = 'patch';
                break;
            case 'DELETE':
                verb = name ? 'delete' : 'deletecollection';
                break;
            default:
                throw errors.methodNotAllowed('GET, POST, PUT, PATCH, DELETE');
        }
        const allowed = subresource ? ['get', 'patch', 'update'] : type.verbs;
        if (!allowed.includes(verb))
            throw errors.methodNotAllowed(allowed.join(', '));
        const resourceLabel = `${type.group ? `${type.plural}.${type.group}` : type.plural}${subresource ? `/${subresource}` : ''}`;
        const facts = { verb, resource: resourceLabel, path, method };
        if (namespace !== undefined)
            facts.namespace = namespace;
        if (name !== undefined)
            facts.name = name;
        const request = { type, verb, query, facts };
        if (namespace !== undefined)
            request.namespace = namespace;
        if (name !== undefined)
            request.name = name;
        if (subresource !== undefined)
            request.subresource = subresource;
        return request;
    }
    async serveResource(req, res, group, version, rest, url, method) {
        const request = this.parseResourcePath(group, version, rest, method, url.searchParams, url.pathname);
        this.counters.record(request.verb, request.facts.resource);
        const actions = this.faults.match(request.facts);
        for (const action of actions) {
            if ('delayMs' in action)
                await new Promise((r) => setTimeout(r, action.delayMs));
            if ('status' in action)
                throw faultError(action);
        }
        const watchFaults = actions.filter((a) => 'dropAfterMs' in a || 'gone' in a);
        const { type, query } = request;
        const accept = req.headers.accept ?? '';
        const warnings = [];
        const write = this.writeOptions(req, query, warnings);
        const headers = () => warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
        switch (request.verb) {
            case 'get': {
                const object = this.api.get(type, request.namespace, request.name);
                return this.send(res, 200, this.render(type, [object], accept, query, 'single', object.metadata.resourceVersion));
            }
            case 'list': {
                const listOptions = this.listOptions(type, request, query);
                const result = this.api.list(type, listOptions, false);
                const listMeta = { resourceVersion: result.resourceVersion };
                if (result.continueToken)
                    listMeta.continue = result.continueToken;
                if (result.remainingItemCount !== undefined)
                    listMeta.remainingItemCount = result.remainingItemCount;
                return this.send(res, 200, this.render(type, result.items, accept, query, listMeta, result.resourceVersion));
            }
            case 'watch':
                return this.serveWatch(res, request, accept, watchFaults);
            case 'create': {
                const body = await readBody(req, 'json');
                const created = this.api.create(type, request.namespace, body, write);
                return this.send(res, 201, created, headers());
            }
            case 'update': {
                const body = await readBody(req, 'json');
                const updated = this.api.update(type, request.namespace, request.name, request.subresource, body, write);
                return this.send(res, 200, updated, headers());
            }
            case 'patch': {
                const patchType = patchTypeOf(req.headers['content-type']);
                if (patchType === 'strategic' && type.crd)
                    throw errors.unsupportedMediaType(req.headers['content-type'] ?? '');
                const body = await readBody(req, patchType === 'apply' ? 'yaml' : 'json');
                const force = query.get('force') === 'true';
                const { object, created } = this.api.patch(type, request.namespace, request.name, request.subresource, patchType, body, {
                    ...write,
                    // Apply needs an explicit manager; other writes default to the User-Agent's program name.
                    ...(patchType === 'apply' ? { fieldManager: query.get('fieldManager') ?? '' } : {}),
                    force,
                });
                return this.send(res, created ? 201 : 200, object, headers());
            }
            case 'delete': {
                const body = await readBody(req, 'json', true);
                const opts = { ...write, ...deleteOptionsOf(body) };
                const { object } = this.api.delete(type, request.namespace, request.name, opts);
                return this.send(res, 200, object, headers());
            }
            case 'deletecollection': {
                const body = await readBody(req, 'json', true);
                const items = this.api.deleteCollection(type, {
                    ...this.listOptions(type, request, query),
                    ...write,
                    ...deleteOptionsOf(body),
                });
                return this.send(res, 200, {
                    kind: type.listKind,
                    apiVersion: apiVersionOf(type),
                    metadata: { resourceVersion: String(this.api.store.currentRevision()) },
                    items,
                });
            }
        }
    }
    writeOptions(req, query, warnings) {
        const dryRun = query.getAll('dryRun');
        for (const value of dryRun) {
            if (value !== 'All') {
                throw errors.invalid('', '', '', [
                    {
                        type: 'FieldValueNotSupported',
                        field: 'dryRun',
                        message: `Unsupported value: "${value}": supported values: "All"`,
                    },
                ]);
            }
        }
        const validation = query.get('fieldValidation') ?? 'Warn';
        if (!['Strict', 'Warn', 'Ignore'].includes(validation)) {
            throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
        }
        const userAgent = req.headers['user-agent'] ?? '';
        // Without fieldManager, the API server names the manager after the User-Agent's program name.
        const fieldManager = query.get('fieldManager') ?? (userAgent.split('/')[0] || 'unknown');
        return {
            dryRun: dryRun.length > 0,
            fieldManager,
            fieldValidation: validation,
            warnings,
        };
    }
    listOptions(type, request, query) {
        const fieldSelector = parseFieldSelector(query.get('fieldSelector'));
        this.api.checkFieldSelector(type, fieldSelector);
        const options = {
            labelSelector: parseLabelSelector(query.get('labelSelector')),
            fieldSelector,
        };
        if (request.namespace)
            options.namespace = request.namespace;
        if (request.name)
            options.fieldSelector = [...fieldSelector, { field: 'metadata.name', op: '=', value: request.name }];
        const limit = query.get('limit');
        if (limit)
            options.limit = Number(limit);
        const token = query.get('continue');
        if (token)
            options.continueToken = token;
        return options;
    }
    /** JSON, Table or PartialObjectMetadata, as the Accept header asks. */
    render(type, objects, accept, query, listMeta, resourceVersion) {
        const as = acceptedAs(accept);
        if (as === 'Table') {
            const include = (query.get('includeObject') ?? 'Metadata');
            return toTable(type, objects, listMeta === 'single' ? { resourceVersion } : listMeta, include, this.api.clock.now());
        }
        if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
            const partial = objects.map((o) => ({
                kind: 'PartialObjectMetadata',
                apiVersion: 'meta.k8s.io/v1',
                metadata: o.metadata,
            }));
            if (listMeta === 'single')
                return partial[0];
            return {
                kind: 'PartialObjectMetadataList',
                apiVersion: 'meta.k8s.io/v1',
                metadata: listMeta,
                items: partial,
            };
        }
        if (listMeta === 'single')
            return objects[0];
        return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata: listMeta, items: objects };
    }
    serveWatch(res, request, accept, faults) {
        const { type, query } = request;
        const options = this.listOptions(type, request, query);
        const rvParam = query.get('resourceVersion') ?? '';
        const sendInitial = query.get('sendInitialEvents');
        const bookmarks = query.get('allowWatchBookmarks') === 'true';
        if (sendInitial !== null) {
            if (query.get('resourceVersionMatch') !== 'NotOlderThan') {
                throw errors.invalid('', '', '', [
                    {
                        type: 'FieldValueForbidden',
                        field: 'resourceVersionMatch',
                        message: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
                    },
                ]);
            }
            if (sendInitial === 'true' && !bookmarks) {
                throw errors.invalid('', '', '', [
                    {
                        type: 'FieldValueForbidden',
                        field: 'allowWatchBookmarks',
                        message: 'Forbidden: allowWatchBookmarks must be set to true when sendInitialEvents is true',
                    },
                ]);
            }
        }
        const asTable = acceptedAs(accept) === 'Table';
        const include = (query.get('includeObject') ?? 'Metadata');
        let sentColumns = false;
        const encode = (eventType, object) => {
            if (!asTable || eventType === 'BOOKMARK')
                return JSON.stringify({ type: eventType, object });
            const table = toTable(type, [], { resourceVersion: object.metadata.resourceVersion }, include, this.api.clock.now(), false);
            if (!sentColumns) {
                table.columnDefinitions = columnDefinitions(type);
                sentColumns = true;
            }
            table.rows = [tableRow(type, object, include, this.api.clock.now())];
            return JSON.stringify({ type: eventType, object: table });
        };
        res.writeHead(200, {
            'Content-Type': 'application/json',
            'Cache-Control': 'no-cache, private',
            'Transfer-Encoding': 'chunked',
        });
        res.flushHeaders();
        let closed = false;
        const timers = [];
        let unsubscribe = () => { };
        const finish = () => {
            if (closed)
                return;
            closed = true;
            unsubscribe();
            for (const t of timers)
                clearTimeout(t);
            this.watchers.delete(watcher);
            res.end();
        };
        const write = (line) => {
            if (!closed)
                res.write(`${line}\n`);
        };
        const expire = (requested) => {
            const status = statusBody(410, 'Expired', `too old resource version: ${requested} (${this.api.store.oldestResumableRevision()})`);
            write(JSON.stringify({ type: 'ERROR', object: status }));
            finish();
        };
        const watcher = { facts: request.facts, end: finish, expire: () => expire(rvParam || '0') };
        this.watchers.add(watcher);
        res.on('close', finish);
        for (const fault of faults) {
            if ('gone' in fault) {
                expire(rvParam || '0');
                return;
            }
        }
        const bookmark = (annotations) => {
            const metadata = { resourceVersion: String(this.api.store.currentRevision()) };
            if (annotations)
                metadata.annotations = annotations;
            write(JSON.stringify({
                type: 'BOOKMARK',
                object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata },
            }));
        };
        const deliver = (event) => {
            if (event.storageKey !== type.storageKey)
                return;
            const now = this.api.matches(type, event.object, options);
            const before = event.previous ? this.api.matches(type, event.previous, options) : false;
            let eventType = event.type;
            if (event.type === 'MODIFIED') {
                // An object entering or leaving the selection is ADDED or DELETED for this watcher.
                if (now && !before)
                    eventType = 'ADDED';
                else if (!now && before)
                    eventType = 'DELETED';
                else if (!now)
                    return;
            }
            else if (event.type === 'DELETED') {
                if (!before && !now)
                    return;
            }
            else if (!now)
                return;
            write(encode(eventType, this.api.present(type, event.object, false)));
        };
        let startRevision;
        const initialState = sendInitial === 'true' || (sendInitial === null && (rvParam === '' || rvParam === '0'));
        if (initialState) {
            startRevision = this.api.store.currentRevision();
            for (const object of this.api.list(type, { ...options, limit: undefined }, false).items)
                write(encode('ADDED', object));
            if (sendInitial === 'true')
                bookmark({ 'k8s.io/initial-events-end': 'true' });
        }
        else {
            startRevision = Number(rvParam);
            if (!Number.isInteger(startRevision) || startRevision < 0) {
                finish();
                return;
            }
            const changes = this.api.store.changesSince(startRevision);
            if (!changes) {
                expire(rvParam);
                return;
            }
            for (const event of changes)
                deliver(event);
        }
        unsubscribe = this.api.subscribe(deliver);
        if (bookmarks) {
            const tick = () => {
                bookmark();
                timers.push(setTimeout(tick, this.options.bookmarkIntervalMs).unref());
            };
            timers.push(setTimeout(tick, this.options.bookmarkIntervalMs).unref());
        }
        const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
        if (timeoutSeconds > 0)
            timers.push(setTimeout(finish, timeoutSeconds * 1000).unref());
        for (const fault of faults) {
            if ('dropAfterMs' in fault)
                timers.push(setTimeout(finish, fault.dropAfterMs).unref());
        }
    }
}
function faultError(action) {
    if (action.status === 429)
        return errors.tooManyRequests(action.retryAfterSeconds ?? 1);
    const reasons = {
        400: 'BadRequest',
        401: 'Unauthorized',
        403: 'Forbidden',
        404: 'NotFound',
        409: 'Conflict',
        410: 'Expired',
        500: 'InternalError',
        503: 'ServiceUnavailable',
        504: 'Timeout',
    };
    const headers = {};
    const details = action.retryAfterSeconds !== undefined ? { retryAfterSeconds: action.retryAfterSeconds } : undefined;
    if (action.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(action.retryAfterSeconds);
    return new ApiError(statusBody(action.status, reasons[action.status] ?? 'Unknown', action.message ?? `injected fault: HTTP ${action.status}`, details), headers);
}
function acceptedAs(accept) {
    for (const part of accept.split(',')) {
        const params = part.split(';').map((s) => s.trim());
        const as = params.find((p) => p.startsWith('as='))?.slice(3);
        if (!as) {
            if (params[0] === 'application/json' || params[0] === '*/*')
                return undefined;
            continue;
        }
        if (params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1')))
            return as;
    }
    return undefined;
}
function patchTypeOf(contentType) {
    const type = (contentType ?? '').split(';')[0].trim();
    switch (type) {
        case 'application/json-patch+json':
            return 'json';
        case 'application/merge-patch+json':
            return 'merge';
        case 'application/strategic-merge-patch+json':
            return 'strategic';
        case 'application/apply-patch+yaml':
            return 'apply';
        default:
            throw errors.unsupportedMediaType(type);
    }
}
function deleteOptionsOf(body) {
    if (!isJsonObject(body))
        return {};
    const out = {};
    if (isJsonObject(body.preconditions)) {
        const p = body.preconditions;
        out.preconditions = {};
        if (typeof p.uid === 'string')
            out.preconditions.uid = p.uid;
        if (typeof p.resourceVersion === 'string')
            out.preconditions.resourceVersion = p.resourceVersion;
    }
    if (Array.isArray(body.dryRun) && body.dryRun.includes('All'))
        out.dryRun = true;
    if (typeof body.propagationPolicy === 'string')
        out.propagationPolicy = body.propagationPolicy;
    return out;
}
async function readBody(req, format, optional = false) {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY)
            throw new ApiError(statusBody(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks);
    if (contentType === 'application/vnd.kubernetes.protobuf' || contentType === 'application/cbor') {
        // kubectl's typed generators (`kubectl create secret|configmap|namespace`) send protobuf; those kinds
        // are decoded, anything else (and CBOR) is refused as the API server refuses unknown media types.
        let decoded;
        try {
            decoded = contentType === 'application/cbor' ? undefined : decodeProtobuf(raw);
        }
        catch {
            decoded = undefined;
        }
        if (decoded !== undefined)
            return decoded;
        throw new ApiError(statusBody(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`));
    }
    const text = raw.toString('utf8');
    if (text.trim() === '') {
        if (optional)
            return undefined;
        throw errors.badRequest('the body of the request was empty');
    }
    try {
        return format === 'yaml' ? parseYaml(text) : JSON.parse(text);
    }
    catch (err) {
        throw errors.badRequest(`error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
    }
}
//# sourceMappingURL=http.js.map