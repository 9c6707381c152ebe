// What the planner concludes about the observed pool, computed once and shared by the steps and the
// hazards: which declared properties differ (a pool's extensions and identity cannot change in place:
// "Existing pools can't be updated with the Key Vault VM extension. Recreate your pool." [B-ROT][B-UPD]),
// whether it is idle, and what a recreation would create.
import { parseKeyVaultId } from '../observed/keyvault-url.js';
import { IMDS_IDENTITY_ENDPOINT, recreationBaseFromObserved, secretBearingProperties, withRotation, } from './pool-body.js';
import { field } from '../observed/json.js';
export function eqi(a, b) {
    return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
/** `vault/secret` of a Key Vault URL, lowercased, version ignored. */
export function secretKey(url) {
    const id = parseKeyVaultId(url);
    return id === undefined ? undefined : `${id.vaultName}/${id.name.toLowerCase()}`;
}
/** Distinct lowercased vault names of the declared certificates. */
export function specVaults(spec) {
    const names = spec.certificates.flatMap((c) => {
        const id = parseKeyVaultId(c.secretId);
        return id === undefined ? [] : [id.vaultName];
    });
    return [...new Set(names)];
}
/** "3" and "3.0" are the same handler version; compare major.minor. */
function handlerVersion(v) {
    if (v === undefined)
        return undefined;
    const [major = '', minor = '0'] = v.trim().split('.');
    return `${Number(major)}.${Number(minor)}`;
}
function trimSlash(s) {
    return s?.replace(/\/+$/, '');
}
/** The pool extension that observes (or should observe) the declared certificates. */
export function poolExtension(spec, pool) {
    const wanted = new Set(spec.certificates.map((c) => secretKey(c.secretId)));
    return (pool.keyVaultExtensions.find((e) => e.observedCertificates.some((o) => wanted.has(secretKey(o.url)))) ??
        pool.keyVaultExtensions[0]);
}
/** Human-readable differences between the pool and the spec on properties that cannot change in place. */
export function poolDrift(spec, pool) {
    const drift = [];
    if (!pool.userAssignedIdentityIds.includes(spec.identity.resourceId.toLowerCase())) {
        drift.push(`identity ${spec.identity.resourceId} is not assigned to the pool`);
    }
    const ext = poolExtension(spec, pool);
    if (ext === undefined) {
        drift.push(`the pool has no KeyVault extension (spec: ${spec.keyVaultExtension.type})`);
        return drift;
    }
    const kv = spec.keyVaultExtension;
    const windows = kv.type === 'KeyVaultForWindows';
    if (!eqi(ext.type, kv.type))
        drift.push(`extension type is ${ext.type || 'unset'}, spec: ${kv.type}`);
    if (handlerVersion(ext.typeHandlerVersion) !== handlerVersion(kv.typeHandlerVersion)) {
        drift.push(`typeHandlerVersion is ${ext.typeHandlerVersion ?? 'unset'}, spec: ${kv.typeHandlerVersion}`);
    }
    for (const c of spec.certificates) {
        const key = secretKey(c.secretId);
        const observed = ext.observedCertificates.find((o) => secretKey(o.url) === key);
        if (observed === undefined) {
            drift.push(`observedCertificates lacks ${c.secretId}`);
            continue;
        }
        if (observed.collection !== 'secrets' || observed.version !== undefined) {
            drift.push(`observes ${observed.url}, spec: the versionless secret URL ${c.secretId}`);
        }
        if (trimSlash(observed.certificateStoreLocation) !== trimSlash(c.storeLocation)) {
            drift.push(`${c.secretId}: certificateStoreLocation is ${observed.certificateStoreLocation ?? 'unset'}, spec: ${c.storeLocation}`);
        }
        if (windows) {
            const storeName = c.storeName ?? 'My';
            if (!eqi(observed.certificateStoreName ?? 'My', storeName)) {
                drift.push(`${c.secretId}: certificateStoreName is ${observed.certificateStoreName ?? 'unset'}, spec: ${storeName}`);
            }
            if ((observed.keyExportable ?? false) !== (c.keyExportable ?? false)) {
                drift.push(`${c.secretId}: keyExportable is ${String(observed.keyExportable ?? false)}, spec: ${String(c.keyExportable ?? false)}`);
            }
        }
    }
    const declared = new Set(spec.certificates.map((c) => secretKey(c.secretId)));
    for (const o of ext.observedCertificates) {
        if (!declared.has(secretKey(o.url)))
            drift.push(`observes ${o.url}, which spec.certificates does not list`);
    }
    if ((ext.requireInitialSync ?? false) !== kv.requireInitialSync) {
        drift.push(`requireInitialSync is ${String(ext.requireInitialSync ?? 'unset')}, spec: ${String(kv.requireInitialSync)}`);
    }
    if (!eqi(ext.msiClientId, spec.identity.clientId)) {
        drift.push(`authenticationSettings.msiClientId is ${ext.msiClientId ?? 'unset'}, spec: ${spec.identity.clientId}`);
    }
    if (!eqi(trimSlash(ext.msiEndpoint), IMDS_IDENTITY_ENDPOINT)) {
        drift.push(`authenticationSettings.msiEndpoint is ${ext.msiEndpoint ?? 'unset'}, expected ${IMDS_IDENTITY_ENDPOINT}`);
    }
    return drift;
}
/** Idle: no node runs a task. Unknown when the pool has nodes but no node data was gathered. */
export function idleness(pool) {
    if (pool.nodes === undefined) {
        return pool.currentDedicatedNodes + pool.currentLowPriorityNodes === 0 ? 'idle' : 'unknown';
    }
    return pool.nodes.some((n) => n.runningTasks > 0 || n.state === 'running') ? 'busy' : 'idle';
}
/**
 * The body a recreation creates: spec.pool.body, else the one kept in status by a recreation already
 * under way, else the observed pool (unless it carries secret-bearing properties); the spec's identity and
 * extension applied in every case.
 */
export function recreationSource(spec, pool, kept) {
    if (spec.pool.body !== undefined) {
        return { kind: 'body', body: withRotation(spec, spec.pool.body), from: 'spec' };
    }
    if (kept !== undefined)
        return { kind: 'body', body: withRotation(spec, kept), from: 'status' };
    const secretBearing = secretBearingProperties(field(pool.body, 'properties'));
    if (secretBearing.length > 0) {
        return {
            kind: 'refused',
            message: `the pool has ${secretBearing.join(', ')}, which can hold secrets the operator will not keep while the pool is gone: give spec.pool.body to recreate it`,
        };
    }
    return { kind: 'body', body: withRotation(spec, recreationBaseFromObserved(pool.body)), from: 'observed' };
}
export function assessPool(spec, observed, kept) {
    const pool = observed.pool;
    if (pool === undefined) {
        return { pool, drift: [], idleness: undefined, source: undefined, block: undefined };
    }
    const drift = poolDrift(spec, pool);
    const idle = idleness(pool);
    if (drift.length === 0)
        return { pool, drift, idleness: idle, source: undefined, block: undefined };
    const what = `pool ${pool.name} must be recreated (its extensions and identity cannot change in place): ${drift.join('; ')}`;
    if (spec.policy.recreate !== 'WhenIdle') {
        return {
            pool,
            drift,
            idleness: idle,
            source: undefined,
            block: {
                kind: 'never',
                message: `${what}; spec.policy.recreate is Never: recreate it yourself or set WhenIdle`,
            },
        };
    }
    const source = recreationSource(spec, pool, kept);
    if (source.kind === 'refused') {
        return {
            pool,
            drift,
            idleness: idle,
            source,
            block: { kind: 'refused', message: `${what}; ${source.message}` },
        };
    }
    if (idle !== 'idle') {
        const why = idle === 'busy'
            ? 'it is running tasks; it is recreated once idle'
            : 'its nodes were not observed, so it cannot be known to be idle';
        return { pool, drift, idleness: idle, source, block: { kind: 'busy', message: `${what}; ${why}` } };
    }
    return { pool, drift, idleness: idle, source, block: undefined };
}
/** Nodes whose KeyVault extension reports success, of the nodes observed (undefined without node data). */
export function nodeConvergence(spec, pool) {
    const nodes = pool?.nodes;
    if (pool === undefined || nodes === undefined)
        return undefined;
    const ext = poolExtension(spec, pool);
    const converged = nodes.filter((n) => ext !== undefined && n.extensions[ext.name] === 'succeeded').length;
    return { converged, total: nodes.length };
}
//# sourceMappingURL=assessment.js.map