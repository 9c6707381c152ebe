// Runtime metrics beyond the shared set in metrics.ts (same registry, same prefix), named after
// controller-runtime's (pkg/internal/controller/metrics/metrics.go, pkg/internal/metrics/workqueue.go).
import { Counter, Gauge } from 'prom-client';
import { METRIC_PREFIX, registry } from './metrics.js';
export const terminalReconcileErrorsTotal = new Counter({
    name: `${METRIC_PREFIX}terminal_reconcile_errors_total`,
    help: 'Reconciles that ended in a terminal error (not retried until the object changes), by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const reconcileTimeoutsTotal = new Counter({
    name: `${METRIC_PREFIX}reconcile_timeouts_total`,
    help: 'Reconciles aborted by the per-reconcile timeout, by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const activeWorkers = new Gauge({
    name: `${METRIC_PREFIX}active_workers`,
    help: 'Workers currently running a reconcile, by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const maxConcurrentReconciles = new Gauge({
    name: `${METRIC_PREFIX}max_concurrent_reconciles`,
    help: 'Configured worker count, by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const workqueueAddsTotal = new Counter({
    name: `${METRIC_PREFIX}workqueue_adds_total`,
    help: 'Keys added to the work queue (before de-duplication), by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
let informerReadiness = () => [];
/** The runtime registers where informer readiness comes from; read at scrape time. */
export function setInformerReadinessSource(source) {
    informerReadiness = source;
}
export const informerReady = new Gauge({
    name: `${METRIC_PREFIX}informer_ready`,
    help: '1 when the informer of a resource has synced and is not failing, else 0.',
    labelNames: ['resource'],
    registers: [registry],
    collect() {
        this.reset();
        for (const { resource, ready } of informerReadiness())
            this.set({ resource }, ready ? 1 : 0);
    },
});
//# sourceMappingURL=runtime-metrics.js.map