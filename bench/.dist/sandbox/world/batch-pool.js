// A simulated Azure Batch account and its pools (management plane model in the REST JSON shape) with
// compute nodes that run the pool's VM extensions (the KeyVault extension agent like scale-set VMs).
// Mutability per [B-ROT][B-UPD] (azure.md §5.2):
// - the pool's VM extensions cannot be changed on an existing pool ("Recreate your pool");
// - with nodes present only applicationPackages, certificates, metadata, scaleSettings and startTask
//   (and, discouraged, identity) change; other updatable properties need the pool at size zero and the
//   2024-07-01+ API; before that API vmSize and deploymentConfiguration are fixed at creation;
// - PUT on an existing pool replaces its properties (subject to the same rules).
import { createHash } from 'node:crypto';
import { SimNode } from './node.js';
import { userAssignedIdentityIds } from './vmss-model.js';
export function accountEndpoint(account) {
    return `${account.name}.${account.location}.batch.azure.com`;
}
/** Properties that may change while the pool has nodes [B-UPD]. */
const MUTABLE_WITH_NODES = new Set([
    'applicationPackages',
    'certificates',
    'metadata',
    'scaleSettings',
    'startTask',
]);
/** Read-only properties the service computes; ignored when comparing bodies. */
const READ_ONLY = new Set([
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
]);
/** First management API version allowing size-zero updates of more properties [B-UPD]. */
export const POOL_UPDATE_API = '2024-07-01';
export function poolExtensions(properties) {
    return properties?.deploymentConfiguration?.virtualMachineConfiguration?.extensions ?? [];
}
function targetNodes(properties) {
    const fixed = properties?.scaleSettings?.fixedScale;
    return { dedicated: fixed?.targetDedicatedNodes ?? 0, lowPriority: fixed?.targetLowPriorityNodes ?? 0 };
}
function stable(value) {
    return JSON.stringify(value ?? null);
}
/**
 * Checks replacing a pool's properties (PUT) or merging some (PATCH, `patchKeys` = the keys sent)
 * against the pool's current state.
 */
export function checkPoolChange(current, next, apiVersion) {
    const before = current.resource.properties ?? {};
    if (stable(poolExtensions(before)) !== stable(poolExtensions(next))) {
        return {
            status: 400,
            code: 'PropertyCannotBeUpdated',
            message: "The value of property 'deploymentConfiguration.virtualMachineConfiguration.extensions' cannot be updated on an existing pool. Existing pools can't be updated with the Key Vault VM extension: recreate the pool.",
        };
    }
    const keys = new Set([...Object.keys(before), ...Object.keys(next)]);
    const changed = [...keys].filter((key) => !READ_ONLY.has(key) && stable(before[key]) !== stable(next[key]));
    const hasNodes = current.nodes.length > 0 || targetNodes(before).dedicated + targetNodes(before).lowPriority > 0;
    for (const key of changed) {
        if (MUTABLE_WITH_NODES.has(key))
            continue;
        const sizeZeroUpdatable = apiVersion >= POOL_UPDATE_API && key !== 'vmSize';
        if (!sizeZeroUpdatable) {
            return {
                status: 400,
                code: 'PropertyCannotBeUpdated',
                message: `The value of property '${key}' cannot be updated on an existing pool (api-version ${apiVersion}); recreate the pool.`,
            };
        }
        if (hasNodes) {
            return {
                status: 409,
                code: 'PoolNotEmpty',
                message: `Property '${key}' can only be updated when the pool has size zero (no nodes and a zero target).`,
            };
        }
    }
    return undefined;
}
export class PoolSim {
    account;
    name;
    deps;
    resource;
    nodes = [];
    serial = 0;
    constructor(account, name, resource, deps) {
        this.account = account;
        this.name = name;
        this.deps = deps;
        this.resource = resource;
    }
    get id() {
        return `/subscriptions/${this.account.subscriptionId}/resourceGroups/${this.account.resourceGroup}/providers/Microsoft.Batch/batchAccounts/${this.account.name}/pools/${this.name}`;
    }
    assignedClientIds() {
        return userAssignedIdentityIds(this.resource.identity)
            .map((id) => this.deps.vault.identity(id)?.clientId)
            .filter((id) => id !== undefined);
    }
    busy() {
        return this.nodes.some((n) => n.runningTasks > 0);
    }
    /** Brings the node count to the scale settings; removing idle nodes first. */
    resize(at) {
        const target = targetNodes(this.resource.properties);
        this.resizeKind(true, target.dedicated, at);
        this.resizeKind(false, target.lowPriority, at);
        const properties = (this.resource.properties ??= {});
        properties.currentDedicatedNodes = this.nodes.filter((n) => n.isDedicated).length;
        properties.currentLowPriorityNodes = this.nodes.filter((n) => !n.isDedicated).length;
        properties.allocationState = 'Steady';
    }
    resizeKind(dedicated, count, at) {
        const ofKind = () => this.nodes.filter((n) => n.isDedicated === dedicated);
        while (ofKind().length < count) {
            const serial = this.serial++;
            const hex = createHash('sha256').update(`${this.id}/${serial}`).digest('hex');
            const id = `tvmps_${hex}_${dedicated ? 'd' : 'p'}`;
            const node = new SimNode(id, id, serial % 5, serial % 5, {
                vault: this.deps.vault,
                scheduler: this.deps.scheduler,
                assignedClientIds: () => this.assignedClientIds(),
                onChange: (cause, when) => this.deps.onChange(`pool ${this.name}: ${cause}`, when),
            });
            this.nodes.push({ node, isDedicated: dedicated, runningTasks: 0 });
            node.applyExtensions(poolExtensionSpecs(this.resource.properties), at);
            this.deps.onChange(`pool ${this.name}: node ${id} allocated`, at);
        }
        while (ofKind().length > count) {
            const candidates = ofKind();
            const victim = candidates.find((n) => n.runningTasks === 0) ?? candidates[candidates.length - 1];
            if (victim === undefined)
                break;
            victim.node.dispose();
            this.nodes.splice(this.nodes.indexOf(victim), 1);
            this.deps.onChange(`pool ${this.name}: node ${victim.node.id} removed`, at);
        }
    }
    /** Scenario control: spread `count` running tasks over the pool's nodes (0 = idle pool). */
    setRunningTasks(count) {
        for (const n of this.nodes)
            n.runningTasks = 0;
        if (this.nodes.length === 0)
            return;
        for (let i = 0; i < count; i += 1) {
            const target = this.nodes[i % this.nodes.length];
            if (target !== undefined)
                target.runningTasks += 1;
        }
    }
    dispose() {
        for (const n of this.nodes)
            n.node.dispose();
        this.nodes.length = 0;
    }
}
export function poolExtensionSpecs(properties) {
    return poolExtensions(properties).map((ext) => ({
        name: ext.name ?? '',
        publisher: ext.publisher ?? '',
        type: ext.type ?? '',
        typeHandlerVersion: ext.typeHandlerVersion,
        settings: ext.settings,
        provisionAfterExtensions: ext.provisionAfterExtensions ?? [],
        forceUpdateTag: undefined,
    }));
}
//# sourceMappingURL=batch-pool.js.map