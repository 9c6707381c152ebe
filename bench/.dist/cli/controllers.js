// The controllers `kv-rollover run` starts. Both kinds share one Azure context per process: one vault
// watcher polls each distinct certificate once per interval whatever the number of resources observing
// it, and a new version wakes exactly the resources that observe it.
import { createAzureContext } from '../controllers/azure-context.js';
import { DEFAULT_REQUEUE, SERVICE_FABRIC_KIND, serviceFabricReconciler, } from '../controllers/service-fabric/controller.js';
import { BATCH_POOL_KIND, batchPoolReconciler } from '../controllers/batch/controller.js';
const contexts = new WeakMap();
/** The process's Azure context, created by the first controller that asks for it. */
export function sharedAzureContext(deps, kinds) {
    let context = contexts.get(deps.config);
    if (context === undefined) {
        context = createAzureContext({
            cloud: deps.config.azure,
            kubeConfig: deps.kubeConfig,
            log: deps.log,
            vaultPollIntervalMs: deps.config.vaultPollIntervalMs,
            onVaultChange: (subscriber) => {
                const slash = subscriber.indexOf('/');
                const kind = kinds.find((k) => k.kind === subscriber.slice(0, slash));
                if (kind !== undefined)
                    deps.enqueue(kind, subscriber.slice(slash + 1));
            },
        });
        contexts.set(deps.config, context);
    }
    return context;
}
const KINDS = [SERVICE_FABRIC_KIND, BATCH_POOL_KIND];
/** Operation polls at the step interval, settling checks at three times it, converged re-checks at the resync period. */
function requeueIntervals(deps) {
    const step = deps.config.stepPollIntervalMs;
    return {
        operationMs: step,
        waitingMs: step * 3,
        steadyMs: deps.config.resyncPeriodMs > 0 ? deps.config.resyncPeriodMs : DEFAULT_REQUEUE.steadyMs,
    };
}
export const serviceFabricController = (deps) => {
    const azure = sharedAzureContext(deps, KINDS);
    return {
        registration: {
            kind: SERVICE_FABRIC_KIND,
            reconciler: serviceFabricReconciler({ azure, requeue: requeueIntervals(deps) }),
            name: 'servicefabric',
        },
        azureProbe: azure.probe,
        pollVaultNow: (vault, certificate) => azure.pollNow(vault, certificate),
        stop: () => azure.stop(),
    };
};
export const batchPoolController = (deps) => {
    const azure = sharedAzureContext(deps, KINDS);
    return {
        registration: {
            kind: BATCH_POOL_KIND,
            reconciler: batchPoolReconciler({ azure, requeue: requeueIntervals(deps) }),
            name: 'batchpool',
        },
        azureProbe: azure.probe,
        pollVaultNow: (vault, certificate) => azure.pollNow(vault, certificate),
        // The context is shared: the Service Fabric controller's stop() stops it.
    };
};
export const ROTATION_CONTROLLERS = [
    serviceFabricController,
    batchPoolController,
];
//# sourceMappingURL=controllers.js.map