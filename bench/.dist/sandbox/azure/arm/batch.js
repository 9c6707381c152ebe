// Microsoft.Batch/batchAccounts and their pools over HTTP, as @azure/arm-batch 9.1.0 calls them
// (api-version 2023-11-01). Pool create (PUT) and update (PATCH) answer 200 with the pool and an ETag;
// delete is long-running (202 + Location). Immutability per [B-ROT][B-UPD] (batch-pool.ts).
import { armError, json } from '../router.js';
import { accountEndpoint, checkPoolChange } from '../../world/batch-pool.js';
import { asRecord, invalidBody, missingApiVersion, resourceGroupNotFound, resourceNotFound, } from '../../world/rest.js';
import { userAssignedIdentityIds } from '../../world/vmss-model.js';
const ACCOUNT_TYPE = 'Microsoft.Batch/batchAccounts';
const POOL_TYPE = 'Microsoft.Batch/batchAccounts/pools';
const ACCOUNT = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Batch/batchAccounts/:account';
const POOLS = `${ACCOUNT}/pools`;
const POOL = `${POOLS}/:pool`;
const READ_ONLY = [
    'provisioningState',
    'provisioningStateTransitionTime',
    'allocationState',
    'allocationStateTransitionTime',
    'creationTime',
    'lastModified',
    'currentDedicatedNodes',
    'currentLowPriorityNodes',
    'resizeOperationStatus',
    'autoScaleRun',
];
export function accountBody(account) {
    return {
        id: `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/${ACCOUNT_TYPE}/${account.name}`,
        name: account.name,
        type: ACCOUNT_TYPE,
        location: account.location,
        identity: { type: 'None' },
        properties: {
            accountEndpoint: accountEndpoint(account),
            provisioningState: 'Succeeded',
            poolAllocationMode: 'BatchService',
            publicNetworkAccess: 'Enabled',
            dedicatedCoreQuota: 500,
            lowPriorityCoreQuota: 500,
            poolQuota: 100,
            activeJobAndJobScheduleQuota: 300,
            allowedAuthenticationModes: ['SharedKey', 'AAD', 'TaskAuthenticationToken'],
        },
    };
}
function etagOf(pool) {
    return pool.resource.etag ?? '"0x0"';
}
export function poolBody(pool, sim) {
    const body = structuredClone(pool.resource);
    body['id'] = pool.id;
    body['name'] = pool.name;
    body['type'] = POOL_TYPE;
    body['etag'] = etagOf(pool);
    const identity = pool.resource.identity;
    if (identity !== undefined) {
        const uai = {};
        for (const id of userAssignedIdentityIds(identity)) {
            const info = sim.vault.identity(id);
            uai[id] = info === undefined ? {} : { principalId: info.principalId, clientId: info.clientId };
        }
        body['identity'] = { type: identity.type, userAssignedIdentities: uai };
    }
    return body;
}
function stripReadOnly(properties) {
    const clean = structuredClone(properties);
    for (const key of READ_ONLY)
        delete clean[key];
    return clean;
}
export function batchProvider(sim) {
    return (azure) => {
        const r = azure.router;
        const findAccount = (ctx) => {
            sim.scheduler.flush();
            const missing = missingApiVersion(ctx);
            if (missing !== undefined)
                return missing;
            const { sub = '', rg = '', account = '' } = ctx.params;
            if (azure.getResourceGroup(rg, sub) === undefined)
                return resourceGroupNotFound(rg);
            return sim.batchAccount(sub, rg, account) ?? resourceNotFound(ACCOUNT_TYPE, account, rg);
        };
        const isAccount = (value) => 'pools' in value;
        const now = () => sim.now().toISOString();
        r.register('GET', 'arm', ACCOUNT, (ctx) => {
            const account = findAccount(ctx);
            return isAccount(account) ? json(200, accountBody(account)) : account;
        }, { operation: `${ACCOUNT_TYPE}/read` });
        r.register('GET', 'arm', POOLS, (ctx) => {
            const account = findAccount(ctx);
            if (!isAccount(account))
                return account;
            return json(200, { value: [...account.pools.values()].map((p) => poolBody(p, sim)) });
        }, { operation: `${POOL_TYPE}/read` });
        r.register('GET', 'arm', POOL, (ctx) => {
            const account = findAccount(ctx);
            if (!isAccount(account))
                return account;
            const pool = account.pools.get((ctx.params['pool'] ?? '').toLowerCase());
            if (pool === undefined)
                return poolNotFound(ctx);
            return json(200, poolBody(pool, sim), { ETag: etagOf(pool) });
        }, { operation: `${POOL_TYPE}/read` });
        r.register('PUT', 'arm', POOL, (ctx) => {
            const account = findAccount(ctx);
            if (!isAccount(account))
                return account;
            const body = asRecord(ctx.body);
            if (body === undefined)
                return invalidBody();
            const name = ctx.params['pool'] ?? '';
            const existing = account.pools.get(name.toLowerCase());
            const precondition = checkPreconditions(ctx, existing);
            if (precondition !== undefined)
                return precondition;
            const properties = stripReadOnly(asRecord(body['properties']) ?? {});
            const identity = body['identity'];
            const identityProblem = checkIdentity(identity, sim);
            if (identityProblem !== undefined)
                return identityProblem;
            if (existing === undefined) {
                const stamp = now();
                const resource = {
                    ...(identity !== undefined ? { identity } : {}),
                    etag: `"0x1"`,
                    properties: {
                        ...properties,
                        provisioningState: 'Succeeded',
                        provisioningStateTransitionTime: stamp,
                        allocationState: 'Resizing',
                        allocationStateTransitionTime: stamp,
                        creationTime: stamp,
                        lastModified: stamp,
                    },
                };
                const pool = sim.createPool(account, name, resource);
                return json(200, poolBody(pool, sim), { ETag: etagOf(pool) });
            }
            // PUT replaces all properties [B-UPD], subject to the immutability rules.
            const apiVersion = ctx.query.get('api-version') ?? '';
            const problem = checkPoolChange(existing, properties, apiVersion);
            if (problem !== undefined)
                return armError(problem.status, problem.code, problem.message);
            applyPool(existing, properties, identity, now(), sim);
            return json(200, poolBody(existing, sim), { ETag: etagOf(existing) });
        }, { operation: `${POOL_TYPE}/write` });
        r.register('PATCH', 'arm', POOL, (ctx) => {
            const account = findAccount(ctx);
            if (!isAccount(account))
                return account;
            const body = asRecord(ctx.body);
            if (body === undefined)
                return invalidBody();
            const existing = account.pools.get((ctx.params['pool'] ?? '').toLowerCase());
            if (existing === undefined)
                return poolNotFound(ctx);
            const precondition = checkPreconditions(ctx, existing);
            if (precondition !== undefined)
                return precondition;
            // Update replaces only the properties given [B-UPD].
            const given = stripReadOnly(asRecord(body['properties']) ?? {});
            const properties = { ...stripReadOnly(existing.resource.properties ?? {}), ...given };
            const identity = body['identity'] ?? existing.resource.identity;
            const identityProblem = checkIdentity(identity, sim);
            if (identityProblem !== undefined)
                return identityProblem;
            const problem = checkPoolChange(existing, properties, ctx.query.get('api-version') ?? '');
            if (problem !== undefined)
                return armError(problem.status, problem.code, problem.message);
            applyPool(existing, properties, identity, now(), sim);
            return json(200, poolBody(existing, sim), { ETag: etagOf(existing) });
        }, { operation: `${POOL_TYPE}/write` });
        r.register('DELETE', 'arm', POOL, (ctx) => {
            const account = findAccount(ctx);
            if (!isAccount(account))
                return account;
            const name = ctx.params['pool'] ?? '';
            const pool = account.pools.get(name.toLowerCase());
            if (pool === undefined)
                return { status: 204 };
            const properties = (pool.resource.properties ??= {});
            properties.provisioningState = 'Deleting';
            const handle = azure.lro.begin(ctx, {
                subscriptionId: account.subscriptionId,
                providerNamespace: 'Microsoft.Batch',
                location: account.location,
                completeAfterPolls: 1,
                onComplete: () => {
                    sim.deletePool(account, name);
                },
            });
            return { status: 202, headers: handle.headers('location') };
        }, { operation: `${POOL_TYPE}/delete` });
    };
}
function poolNotFound(ctx) {
    return armError(404, 'PoolNotFound', `The specified pool '${ctx.params['pool'] ?? ''}' does not exist.`);
}
function checkPreconditions(ctx, existing) {
    const ifMatch = ctx.headers['if-match'];
    const ifNoneMatch = ctx.headers['if-none-match'];
    if (ifNoneMatch === '*' && existing !== undefined) {
        return armError(412, 'PreconditionFailed', `The pool '${existing.name}' already exists (If-None-Match: *).`);
    }
    if (typeof ifMatch === 'string' &&
        ifMatch !== '*' &&
        (existing === undefined || ifMatch !== etagOf(existing))) {
        return armError(412, 'PreconditionFailed', 'The ETag in If-Match does not match the pool.');
    }
    return undefined;
}
function checkIdentity(identity, sim) {
    for (const id of userAssignedIdentityIds(identity)) {
        if (sim.vault.identity(id) === undefined) {
            return armError(400, 'InvalidRequestBody', `The user-assigned identity '${id}' does not exist.`);
        }
    }
    return undefined;
}
function applyPool(pool, properties, identity, stamp, sim) {
    const before = pool.resource.properties ?? {};
    pool.resource = {
        ...pool.resource,
        ...(identity !== undefined ? { identity } : {}),
        etag: `"0x${(Number.parseInt(etagOf(pool).replace(/[^0-9A-F]/gi, '') || '0', 16) + 1).toString(16).toUpperCase()}"`,
        properties: {
            ...properties,
            provisioningState: before.provisioningState ?? 'Succeeded',
            creationTime: before['creationTime'],
            lastModified: stamp,
        },
    };
    pool.resize(sim.now());
}
//# sourceMappingURL=batch.js.map