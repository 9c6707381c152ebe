// Carries out one Batch planner change with one Azure write. No decisions here: the planner said what
// must change. The vault-side ops are the Service Fabric executor's own (same Change shapes).
import { beginDeletePool, createPool, resizePool } from '../../azure/batch.js';
import { changeTarget, startChange } from '../service-fabric/execute.js';
/**
 * Starts the write for `change`. Returns the long-running operation when Azure runs one (pool delete,
 * certificate create), `undefined` when the write completed at once.
 */
export async function startBatchChange(target, change) {
    const { clients, resourceGroup, batchAccount } = target;
    switch (change.op) {
        case 'CreatePool':
            await createPool(clients, resourceGroup, batchAccount, change.pool, change.body);
            return undefined;
        case 'ResizePool':
            await resizePool(clients, resourceGroup, batchAccount, change.pool, {
                dedicated: change.targetDedicatedNodes,
                lowPriority: change.targetLowPriorityNodes,
            });
            return undefined;
        case 'DeletePool':
            return beginDeletePool(clients, resourceGroup, batchAccount, change.pool);
        default:
            return startChange({ clients, resourceGroup, clusterName: '', scaleSets: {} }, change);
    }
}
/** The Azure resource a change writes, for status and Events. */
export function batchChangeTarget(change, batchAccount) {
    switch (change.op) {
        case 'CreatePool':
        case 'ResizePool':
        case 'DeletePool':
            return `batchAccount/${batchAccount}/pools/${change.pool}`;
        default:
            return changeTarget(change, '');
    }
}
//# sourceMappingURL=execute.js.map