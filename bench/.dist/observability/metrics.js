// Process-wide Prometheus metrics (prefix `kvrollover_`). Counters and histograms live here; the
// per-resource gauges are computed at scrape time from the informer cache by
// `resource-collector.ts`, so a deleted resource leaves no stale series. Metric names are a public
// contract: the alert rules in deploy/prometheus/ and the Grafana dashboard depend on them.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
export const METRIC_PREFIX = 'kvrollover_';
/** A private registry: embedding kv-rollover (tests, the demo) never collides with prom-client's global one. */
export const registry = new Registry();
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
export const reconcileTotal = new Counter({
    name: `${METRIC_PREFIX}reconcile_total`,
    help: 'Reconciles by controller and result (success, error, requeue_after).',
    labelNames: ['controller', 'result'],
    registers: [registry],
});
export const reconcileErrorsTotal = new Counter({
    name: `${METRIC_PREFIX}reconcile_errors_total`,
    help: 'Reconciles that ended in an error, by controller and reason.',
    labelNames: ['controller', 'reason'],
    registers: [registry],
});
export const reconcileDurationSeconds = new Histogram({
    name: `${METRIC_PREFIX}reconcile_duration_seconds`,
    help: 'Wall time of one reconcile, by controller.',
    labelNames: ['controller'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
});
export const workqueueDepth = new Gauge({
    name: `${METRIC_PREFIX}workqueue_depth`,
    help: 'Keys waiting in the work queue, by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const workqueueQueueDurationSeconds = new Histogram({
    name: `${METRIC_PREFIX}workqueue_queue_duration_seconds`,
    help: 'Time a key waited in the work queue before a worker took it, by controller.',
    labelNames: ['controller'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
});
export const workqueueRetriesTotal = new Counter({
    name: `${METRIC_PREFIX}workqueue_retries_total`,
    help: 'Keys re-added with backoff after an error, by controller.',
    labelNames: ['controller'],
    registers: [registry],
});
export const watchRestartsTotal = new Counter({
    name: `${METRIC_PREFIX}watch_restarts_total`,
    help: 'Watch restarts of the informer cache, by resource and cause (dropped, gone, error).',
    labelNames: ['resource', 'cause'],
    registers: [registry],
});
export const leaderStatus = new Gauge({
    name: `${METRIC_PREFIX}leader`,
    help: '1 when this replica holds the leader Lease, else 0.',
    registers: [registry],
});
export const azureRequestsTotal = new Counter({
    name: `${METRIC_PREFIX}azure_requests_total`,
    help: 'Azure requests by service (arm, keyvault, batch), operation and HTTP status code.',
    labelNames: ['service', 'operation', 'code'],
    registers: [registry],
});
export const azureRequestDurationSeconds = new Histogram({
    name: `${METRIC_PREFIX}azure_request_duration_seconds`,
    help: 'Latency of Azure requests by service and operation.',
    labelNames: ['service', 'operation'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
});
export const azureThrottledTotal = new Counter({
    name: `${METRIC_PREFIX}azure_throttled_total`,
    help: 'Azure requests answered 429 (throttled), by service.',
    labelNames: ['service'],
    registers: [registry],
});
export const vaultPollsTotal = new Counter({
    name: `${METRIC_PREFIX}vault_polls_total`,
    help: "Polls of a vault certificate's versions, by vault, trigger (interval, event_grid, reconcile) and result.",
    labelNames: ['vault', 'trigger', 'result'],
    registers: [registry],
});
export const vaultPollDurationSeconds = new Histogram({
    name: `${METRIC_PREFIX}vault_poll_duration_seconds`,
    help: 'Latency of one vault certificate poll, by vault.',
    labelNames: ['vault'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
});
export const eventGridEventsTotal = new Counter({
    name: `${METRIC_PREFIX}event_grid_events_total`,
    help: 'Event Grid deliveries received, by event type and outcome (accepted, rejected, validated).',
    labelNames: ['event_type', 'outcome'],
    registers: [registry],
});
export const buildInfo = new Gauge({
    name: `${METRIC_PREFIX}build_info`,
    help: 'Always 1; the labels carry the version of the running operator.',
    labelNames: ['version'],
    registers: [registry],
});
//# sourceMappingURL=metrics.js.map