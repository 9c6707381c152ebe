// The controllers `kv-rollover run` starts. Both kinds share one Azure context per process: one vault
// watcher polls each distinct certificate once per interval whatever the number of resources observing
// it, and a new version wakes exactly the resources that observe it.
import { createAzureContext, type AzureContext } from '../controllers/azure-context.js';
import { AzureSyncMemo } from '../controllers/azure-sync.js';
import {
  DEFAULT_REQUEUE,
  SERVICE_FABRIC_KIND,
  serviceFabricReconciler,
  type RequeueIntervals,
} from '../controllers/service-fabric/controller.js';
import { BATCH_POOL_KIND, batchPoolReconciler } from '../controllers/batch/controller.js';
import type { ResourceKind } from '../kube/types.js';
import type { ControllerDeps, ControllerFactory } from './commands/run.js';

const contexts = new WeakMap<ControllerDeps['config'], AzureContext>();

/** The process's Azure context, created by the first controller that asks for it. */
export function sharedAzureContext(deps: ControllerDeps, kinds: readonly ResourceKind[]): AzureContext {
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
        if (kind !== undefined) deps.enqueue(kind, subscriber.slice(slash + 1));
      },
    });
    contexts.set(deps.config, context);
  }
  return context;
}

const KINDS: readonly ResourceKind[] = [SERVICE_FABRIC_KIND, BATCH_POOL_KIND];

/** Operation polls at the step interval, settling checks at three times it; converged resources rely on the resync. */
function requeueIntervals(deps: ControllerDeps): RequeueIntervals {
  const step = deps.config.stepPollIntervalMs;
  return {
    operationMs: step,
    waitingMs: step * 3,
    // With a resync the runtime re-reconciles every object periodically anyway; a steady requeue on top
    // would double the ARM reads of converged resources (measured by the benchmark), so it only backs
    // the resync up.
    steadyMs:
      deps.config.resyncPeriodMs > 0
        ? Math.max(4 * deps.config.resyncPeriodMs, DEFAULT_REQUEUE.steadyMs)
        : DEFAULT_REQUEUE.steadyMs,
  };
}

export const serviceFabricController: ControllerFactory = (deps) => {
  const azure = sharedAzureContext(deps, KINDS);
  return {
    registration: {
      kind: SERVICE_FABRIC_KIND,
      reconciler: serviceFabricReconciler({
        azure,
        requeue: requeueIntervals(deps),
        sync: new AzureSyncMemo(deps.config.azureSyncPeriodMs),
      }),
      name: 'servicefabric',
    },
    azureProbe: azure.probe,
    pollVaultNow: (vault, certificate) => azure.pollNow(vault, certificate),
    stop: () => azure.stop(),
  };
};

export const batchPoolController: ControllerFactory = (deps) => {
  const azure = sharedAzureContext(deps, KINDS);
  return {
    registration: {
      kind: BATCH_POOL_KIND,
      reconciler: batchPoolReconciler({
        azure,
        requeue: requeueIntervals(deps),
        sync: new AzureSyncMemo(deps.config.azureSyncPeriodMs),
      }),
      name: 'batchpool',
    },
    azureProbe: azure.probe,
    pollVaultNow: (vault, certificate) => azure.pollNow(vault, certificate),
    // The context is shared: the Service Fabric controller's stop() stops it.
  };
};

export const ROTATION_CONTROLLERS: readonly ControllerFactory[] = [
  serviceFabricController,
  batchPoolController,
];
