// How one step stands against the observed world. The planner walks the steps in order; the first one
// that is not `satisfied` is the current step.
import { Reason } from '../names.js';
export const satisfied = (message) => message === undefined ? { status: 'satisfied' } : { status: 'satisfied', message };
export const waiting = (reason, message) => ({
    status: 'waiting',
    reason,
    message,
});
export const actionable = (changes, message) => ({
    status: 'actionable',
    changes,
    message,
});
export const stuck = (reason, message) => ({
    status: 'stuck',
    reason,
    message,
});
/**
 * Waiting for the cluster to settle. `UpgradeServiceUnreachable` does not settle by itself: the resource
 * provider can no longer manage the cluster (often an expired cluster certificate) [SF-SPEC].
 */
export function waitForCluster(clusterState) {
    if (clusterState === 'UpgradeServiceUnreachable') {
        return stuck(Reason.Blocked, 'cluster state UpgradeServiceUnreachable: the resource provider cannot manage the cluster (check that the cluster certificate has not expired)');
    }
    return waiting(Reason.WaitingForClusterReady, `cluster state ${clusterState ?? 'unknown'}`);
}
//# sourceMappingURL=evaluation.js.map