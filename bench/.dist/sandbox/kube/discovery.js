// Discovery documents: /version, /api, /apis, /apis/{group}[/{version}], the aggregated form
// (apidiscovery.k8s.io/v2 APIGroupDiscoveryList, what kubectl ≥ 1.30 asks for first) and OpenAPI v3
// (/openapi/v3 and per group-version documents, which kubectl reads to decide that the server supports
// `fieldValidation` and which patch types a kind accepts).
// https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
import { createHash } from 'node:crypto';
import { apiVersionOf } from './types.js';
export const SERVER_VERSION = {
    major: '1',
    minor: '35',
    gitVersion: 'v1.35.0-kvrollover.sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
    emulationMajor: '1',
    emulationMinor: '35',
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '34',
};
/** Groups (core excluded) in a stable order, each with its versions (preferred first). */
export function groupsOf(types) {
    const out = new Map();
    for (const t of types) {
        if (!t.group)
            continue;
        const versions = out.get(t.group) ?? [];
        if (!versions.includes(t.version))
            versions.push(t.version);
        out.set(t.group, versions);
    }
    return [...out.entries()].map(([group, versions]) => ({ group, versions: versions.sort(compareVersions) }));
}
/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a, b) {
    const parse = (v) => {
        const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
        if (!m)
            return [0, 0, 0];
        const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
        return [level, Number(m[1]), Number(m[3] ?? 0)];
    };
    const [la, ma, na] = parse(a);
    const [lb, mb, nb] = parse(b);
    return lb - la || mb - ma || nb - na || a.localeCompare(b);
}
function apiResource(t) {
    return {
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
        ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
        storageVersionHash: createHash('sha256').update(t.storageKey).digest('base64').slice(0, 11),
    };
}
export function resourceList(types, group, version) {
    const resources = [];
    for (const t of types.filter((x) => x.group === group && x.version === version)) {
        resources.push(apiResource(t));
        if (t.statusSubresource) {
            resources.push({
                name: `${t.plural}/status`,
                singularName: '',
                namespaced: t.namespaced,
                kind: t.kind,
                verbs: ['get', 'patch', 'update'],
            });
        }
    }
    return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources,
    };
}
export function apiVersions(serverAddress) {
    return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
}
function apiGroup(g) {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
    return { name: g.group, versions, preferredVersion: versions[0] };
}
export function apiGroupList(types) {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(types).map(apiGroup) };
}
export function apiGroupDocument(types, group) {
    const g = groupsOf(types).find((x) => x.group === group);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}
/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedRequested(accept) {
    if (!accept)
        return undefined;
    for (const part of accept.split(',')) {
        const params = part.split(';').map((s) => s.trim());
        if (!params.includes('as=APIGroupDiscoveryList') || !params.includes('g=apidiscovery.k8s.io'))
            continue;
        if (params.includes('v=v2'))
            return 'v2';
        if (params.includes('v=v2beta1'))
            return 'v2beta1';
    }
    return undefined;
}
export function aggregatedContentType(version) {
    return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
function discoveryResource(t) {
    const responseKind = { group: t.group, version: t.version, kind: t.kind };
    return {
        resource: t.plural,
        responseKind,
        scope: t.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: t.singular,
        verbs: t.verbs,
        ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
        ...(t.statusSubresource
            ? { subresources: [{ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] }] }
            : {}),
    };
}
/** APIGroupDiscoveryList for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(types, core, version) {
    const groups = core ? [{ group: '', versions: ['v1'] }] : groupsOf(types);
    return {
        kind: 'APIGroupDiscoveryList',
        apiVersion: `apidiscovery.k8s.io/${version}`,
        metadata: {},
        items: groups.map((g) => ({
            metadata: { name: g.group, creationTimestamp: null },
            versions: g.versions.map((v) => ({
                version: v,
                resources: types.filter((t) => t.group === g.group && t.version === v).map(discoveryResource),
                freshness: 'Current',
            })),
        })),
    };
}
// ---- OpenAPI v3 ----
const gvPath = (group, version) => (group ? `apis/${group}/${version}` : `api/${version}`);
function schemaName(t) {
    const reversed = t.group ? t.group.split('.').reverse().join('.') : 'io.k8s.api.core';
    return `${reversed}.${t.version}.${t.kind}`;
}
function queryParam(name, description) {
    return { name, in: 'query', description, schema: { type: 'string' }, uniqueItems: true };
}
const WRITE_PARAMS = [
    queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
    queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
    queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
];
export function openAPIDocument(types, group, version) {
    const paths = {};
    const schemas = {};
    for (const t of types.filter((x) => x.group === group && x.version === version)) {
        const gvk = { group: t.group, version: t.version, kind: t.kind };
        const ref = { $ref: `#/components/schemas/${schemaName(t)}` };
        const json = { 'application/json': { schema: ref } };
        const prefix = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
        const patchContent = {
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
        };
        // Strategic merge patch is accepted for built-ins but not advertised here: these sketch schemas lack
        // the patch metadata kubectl would compute it from, so kubectl falls back to its compiled-in types.
        const common = [
            { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
            ...(t.namespaced
                ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }]
                : []),
        ];
        const op = (action, extra = {}) => ({
            operationId: `${action}${t.kind}`,
            'x-kubernetes-action': action,
            'x-kubernetes-group-version-kind': gvk,
            responses: { '200': { description: 'OK', content: json } },
            ...extra,
        });
        paths[`${prefix}/{name}`] = {
            get: op('get'),
            put: op('put', { parameters: WRITE_PARAMS, requestBody: { content: json } }),
            patch: op('patch', {
                parameters: [...WRITE_PARAMS, queryParam('force', 'Force is going to "force" Apply requests.')],
                requestBody: { content: patchContent },
            }),
            delete: op('delete'),
            parameters: [...common, ...WRITE_PARAMS],
        };
        paths[prefix] = {
            get: op('list'),
            post: op('post', { parameters: WRITE_PARAMS, requestBody: { content: json } }),
            parameters: common.slice(1),
        };
        if (t.statusSubresource) {
            paths[`${prefix}/{name}/status`] = {
                get: op('get'),
                put: op('put', { parameters: WRITE_PARAMS, requestBody: { content: json } }),
                patch: op('patch', { parameters: WRITE_PARAMS, requestBody: { content: patchContent } }),
                parameters: [...common, ...WRITE_PARAMS],
            };
        }
        const base = t.openAPISchema ?? { type: 'object' };
        schemas[schemaName(t)] = {
            ...base,
            type: 'object',
            properties: {
                ...(base.properties ?? {}),
                apiVersion: {
                    type: 'string',
                    description: 'APIVersion defines the versioned schema of this representation of an object.',
                },
                kind: {
                    type: 'string',
                    description: 'Kind is a string value representing the REST resource this object represents.',
                },
                metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
            'x-kubernetes-group-version-kind': [gvk],
        };
    }
    return {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
        paths,
        components: { schemas },
    };
}
export function openAPIIndex(types, hashOf) {
    const paths = {};
    const gvs = [{ group: '', versions: ['v1'] }, ...groupsOf(types)];
    for (const g of gvs) {
        for (const v of g.versions) {
            const p = gvPath(g.group, v);
            paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(g.group, v)}` };
        }
    }
    return { paths };
}
export { apiVersionOf };
//# sourceMappingURL=discovery.js.map