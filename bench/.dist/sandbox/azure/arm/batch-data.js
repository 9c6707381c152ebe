// The Batch service data plane for compute nodes, as @azure/batch 10.2.0 calls it (api-version
// 2022-10-01.16.0) on `https://<account>.<region>.batch.azure.com`: list nodes and list/get a node's VM
// extensions with their instance views [BATCH-REST]. Errors use the Batch error shape
// `{code, message: {lang, value}}`.
import { json } from '../router.js';
import { accountEndpoint, poolExtensions } from '../../world/batch-pool.js';
import { extensionStatus } from './compute.js';
function batchError(status, code, value) {
    return { status, body: { code, message: { lang: 'en-US', value } } };
}
/** Node state as the Batch service reports it: extensions still provisioning keep a node `starting`. */
function nodeState(entry) {
    const states = [...entry.node.extensions.values()].map((ext) => ext.state);
    if (states.includes('failed'))
        return 'unusable';
    if (states.includes('transitioning'))
        return 'starting';
    return entry.runningTasks > 0 ? 'running' : 'idle';
}
function nodeBody(base, pool, entry) {
    const node = entry.node;
    return {
        id: node.id,
        url: `${base}/pools/${pool.name}/nodes/${node.id}`,
        state: nodeState(entry),
        schedulingState: 'enabled',
        stateTransitionTime: node.createdAt.toISOString(),
        allocationTime: node.createdAt.toISOString(),
        lastBootTime: node.createdAt.toISOString(),
        ipAddress: `10.0.0.${(Number.parseInt(node.id.slice(6, 8), 16) % 250) + 4}`,
        affinityId: `TVM:${node.id}`,
        vmSize: (pool.resource.properties?.vmSize ?? 'standard_d2s_v3').toLowerCase(),
        totalTasksRun: entry.runningTasks,
        runningTasksCount: entry.runningTasks,
        runningTaskSlotsCount: entry.runningTasks,
        totalTasksSucceeded: 0,
        isDedicated: entry.isDedicated,
        nodeAgentInfo: { version: '1.9.27', lastUpdateTime: node.createdAt.toISOString() },
    };
}
function extensionBody(pool, ext) {
    const model = poolExtensions(pool.resource.properties).find((e) => e.name === ext.spec.name);
    return {
        provisioningState: ext.state === 'succeeded' ? 'Succeeded' : ext.state === 'failed' ? 'Failed' : 'Creating',
        vmExtension: {
            name: ext.spec.name,
            publisher: ext.spec.publisher,
            type: ext.spec.type,
            ...(ext.spec.typeHandlerVersion !== undefined
                ? { typeHandlerVersion: ext.spec.typeHandlerVersion }
                : {}),
            ...(model?.autoUpgradeMinorVersion !== undefined
                ? { autoUpgradeMinorVersion: model.autoUpgradeMinorVersion }
                : {}),
            ...(ext.spec.settings !== undefined ? { settings: ext.spec.settings } : {}),
            ...(ext.spec.provisionAfterExtensions.length > 0
                ? { provisionAfterExtensions: ext.spec.provisionAfterExtensions }
                : {}),
        },
        instanceView: { name: ext.spec.name, statuses: [extensionStatus(ext)] },
    };
}
export function batchDataPlaneProvider(sim) {
    return (azure) => {
        const r = azure.router;
        const findPool = (ctx) => {
            sim.scheduler.flush();
            if (!ctx.query.get('api-version')) {
                return batchError(400, 'MissingRequiredQueryParameter', "A query parameter that's mandatory for this request is not specified: api-version.");
            }
            const account = sim.batchAccountByName(ctx.hostName);
            if (account === undefined)
                return batchError(404, 'AccountNotFound', `The Batch account '${ctx.hostName}' does not exist.`);
            return (account.pools.get((ctx.params['pool'] ?? '').toLowerCase()) ??
                batchError(404, 'PoolNotFound', 'The specified pool does not exist.'));
        };
        const isPool = (value) => 'nodes' in value;
        const findNode = (pool, ctx) => pool.nodes.find((n) => n.node.id === ctx.params['node']) ??
            batchError(404, 'NodeNotFound', 'The specified node does not exist.');
        const isNode = (value) => 'node' in value;
        const base = (pool) => `https://${accountEndpoint(pool.account)}`;
        r.register('GET', 'batch', '/pools/:pool/nodes', (ctx) => {
            const pool = findPool(ctx);
            if (!isPool(pool))
                return pool;
            return json(200, {
                'odata.metadata': `${base(pool)}/$metadata#nodes`,
                value: pool.nodes.map((n) => nodeBody(base(pool), pool, n)),
            });
        }, { operation: 'Batch/nodes/list' });
        r.register('GET', 'batch', '/pools/:pool/nodes/:node', (ctx) => {
            const pool = findPool(ctx);
            if (!isPool(pool))
                return pool;
            const node = findNode(pool, ctx);
            return isNode(node) ? json(200, nodeBody(base(pool), pool, node)) : node;
        }, { operation: 'Batch/nodes/get' });
        r.register('GET', 'batch', '/pools/:pool/nodes/:node/extensions', (ctx) => {
            const pool = findPool(ctx);
            if (!isPool(pool))
                return pool;
            const node = findNode(pool, ctx);
            if (!isNode(node))
                return node;
            return json(200, {
                'odata.metadata': `${base(pool)}/$metadata#extensions`,
                value: [...node.node.extensions.values()].map((ext) => extensionBody(pool, ext)),
            });
        }, { operation: 'Batch/nodes/extensions/list' });
        r.register('GET', 'batch', '/pools/:pool/nodes/:node/extensions/:extension', (ctx) => {
            const pool = findPool(ctx);
            if (!isPool(pool))
                return pool;
            const node = findNode(pool, ctx);
            if (!isNode(node))
                return node;
            const ext = node.node.extensions.get(ctx.params['extension'] ?? '');
            if (ext === undefined)
                return batchError(404, 'NodeExtensionNotFound', 'The specified node extension does not exist.');
            return json(200, extensionBody(pool, ext));
        }, { operation: 'Batch/nodes/extensions/get' });
    };
}
//# sourceMappingURL=batch-data.js.map