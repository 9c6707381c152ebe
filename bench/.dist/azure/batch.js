import { azureCall } from './errors.js';
import { parseRaw } from './keyvault.js';
import { LroKind, decodePollerState, handleFromPoller } from './lro.js';
import { captureResponses, inOperation, lastSuccessful } from './pipeline.js';
const POOL_CONTRIBUTOR = 'Contributor on the Batch account (Microsoft.Batch/batchAccounts/pools/write; and Managed Identity Operator to assign the identity)';
const READER = 'Reader on the Batch account';
function ctx(operation, account, pool, permission) {
    return {
        service: 'arm',
        operation,
        resource: pool === undefined ? `Batch account "${account}"` : `pool "${pool}" of Batch account "${account}"`,
        permission,
    };
}
/** `GET Microsoft.Batch/batchAccounts/{account}/pools/{pool}` → `pool.json`. */
export function getPool(clients, resourceGroup, account, pool) {
    const c = ctx('getPool', account, pool, READER);
    return azureCall(c, async () => {
        const { responses } = await captureResponses(c.operation, () => clients.batchManagement.poolOperations.get(resourceGroup, account, pool));
        return parseRaw(lastSuccessful(responses), c.operation);
    });
}
/** `GET Microsoft.Batch/batchAccounts/{account}` (its `accountEndpoint` addresses the Batch service API). */
export function getBatchAccount(clients, resourceGroup, account) {
    const c = ctx('getBatchAccount', account, undefined, READER);
    return azureCall(c, async () => {
        const { responses } = await captureResponses(c.operation, () => clients.batchManagement.batchAccountOperations.get(resourceGroup, account));
        return parseRaw(lastSuccessful(responses), c.operation);
    });
}
function pageOf(response, what) {
    const body = parseRaw({ method: 'GET', url: '', status: 200, bodyAsText: response._response.bodyAsText }, what).body;
    const next = body['odata.nextLink'];
    return {
        value: Array.isArray(body.value) ? body.value : [],
        next: typeof next === 'string' ? next : undefined,
    };
}
/**
 * The pool's compute nodes and each node's VM extensions (statuses included) → `pool.nodes.json`:
 * `{"value":[<node>…], "nodeExtensions": {"<nodeId>": [<NodeVMExtension>…]}}`.
 */
export function listPoolNodes(clients, accountEndpoint, poolId) {
    const c = {
        service: 'batch',
        operation: 'listPoolNodes',
        resource: `nodes of pool "${poolId}" at ${accountEndpoint}`,
        permission: 'Azure Batch Data Contributor (or Reader) on the Batch account',
    };
    return azureCall(c, async () => {
        const client = clients.batchData(accountEndpoint);
        const nodes = [];
        let page = pageOf(await client.computeNode.list(poolId), c.operation);
        nodes.push(...page.value);
        while (page.next !== undefined) {
            page = pageOf(await client.computeNode.listNext(page.next), c.operation);
            nodes.push(...page.value);
        }
        const nodeExtensions = {};
        for (const node of nodes) {
            const id = node.id;
            if (typeof id !== 'string')
                continue;
            const extensions = [];
            let ext = pageOf(await client.computeNodeExtension.list(poolId, id), c.operation);
            extensions.push(...ext.value);
            while (ext.next !== undefined) {
                ext = pageOf(await client.computeNodeExtension.listNext(ext.next), c.operation);
                extensions.push(...ext.value);
            }
            nodeExtensions[id] = extensions;
        }
        const body = { value: nodes, nodeExtensions };
        return { body, text: JSON.stringify(body) };
    });
}
/** A pool body in REST form (`{identity, properties:{…}}`) → the SDK's flattened `Pool`. */
export function toSdkPool(rest) {
    return {
        ...(rest.properties ?? {}),
        ...(rest.identity === undefined ? {} : { identity: rest.identity }),
    };
}
/**
 * Creates the pool from its REST body. `If-None-Match: *` keeps an existing pool untouched; its 412 then
 * means the pool is already there (e.g. created just before an operator restart): `exists`, not an error.
 */
export async function createPool(clients, resourceGroup, account, pool, body) {
    const c = ctx('createPool', account, pool, POOL_CONTRIBUTOR);
    return azureCall(c, () => inOperation(c.operation, async () => {
        try {
            await clients.batchManagement.poolOperations.create(resourceGroup, account, pool, toSdkPool(body), {
                ifNoneMatch: '*',
            });
            return 'created';
        }
        catch (err) {
            if (err.statusCode === 412)
                return 'exists';
            throw err;
        }
    }));
}
/** PATCHes mutable pool properties (B-UPD: most need the pool at size zero). */
export async function updatePool(clients, resourceGroup, account, pool, body) {
    const c = ctx('updatePool', account, pool, POOL_CONTRIBUTOR);
    await azureCall(c, () => inOperation(c.operation, () => clients.batchManagement.poolOperations.update(resourceGroup, account, pool, toSdkPool(body))));
}
/** Resizes a fixed-scale pool (e.g. to zero before recreation). */
export function resizePool(clients, resourceGroup, account, pool, target) {
    return updatePool(clients, resourceGroup, account, pool, {
        properties: {
            scaleSettings: {
                fixedScale: {
                    targetDedicatedNodes: target.dedicated,
                    ...(target.lowPriority === undefined ? {} : { targetLowPriorityNodes: target.lowPriority }),
                },
            },
        },
    });
}
/** Deletes the pool (an LRO): the first half of a recreation. */
export async function beginDeletePool(clients, resourceGroup, account, pool) {
    const c = ctx('deletePool', account, pool, POOL_CONTRIBUTOR);
    return azureCall(c, () => inOperation(c.operation, async () => {
        const poller = await clients.batchManagement.poolOperations.beginDelete(resourceGroup, account, pool, {
            ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
        });
        return handleFromPoller(LroKind.PoolDelete, poller, c, [resourceGroup, account, pool]);
    }));
}
export async function resumeDeletePool(clients, state, resource) {
    const { args, poller } = decodePollerState(state);
    const [resourceGroup = '', account = '', pool = ''] = args;
    const c = {
        service: 'arm',
        operation: 'deletePool',
        resource,
        permission: POOL_CONTRIBUTOR,
    };
    const restored = await clients.batchManagement.poolOperations.beginDelete(resourceGroup, account, pool, {
        resumeFrom: poller,
        ...(clients.lroIntervalMs === undefined ? {} : { updateIntervalInMs: clients.lroIntervalMs }),
    });
    return handleFromPoller(LroKind.PoolDelete, restored, c, args);
}
//# sourceMappingURL=batch.js.map