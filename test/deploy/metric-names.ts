// Every metric name kv-rollover exposes, read from the live registries (so the alert and dashboard tests
// check against what the code registers, not against a list kept by hand).
import { Registry } from 'prom-client';
import * as runtimeMetrics from '../../src/observability/metrics.js';
// Registers the controller-runtime-style metrics on the same registry (as the operator does).
import '../../src/observability/runtime-metrics.js';
import { registerResourceCollector } from '../../src/observability/resource-collector.js';

async function families() {
  const collectorRegistry = new Registry();
  registerResourceCollector(() => [], { registry: collectorRegistry });
  return [
    ...(await runtimeMetrics.registry.getMetricsAsJSON()),
    ...(await collectorRegistry.getMetricsAsJSON()),
  ];
}

/** The metric family names kv-rollover registers. */
export async function exposedFamilyNames(): Promise<string[]> {
  return (await families()).map((family) => family.name);
}

/** Series names a metric family produces (histograms add _bucket, _sum and _count). */
export async function exposedSeriesNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const family of await families()) {
    if (String(family.type) === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${family.name}${suffix}`);
    } else {
      names.add(family.name);
    }
  }
  return names;
}

/** The kv-rollover metric names a PromQL expression mentions. */
export function referencedMetricNames(expr: string): string[] {
  return [...expr.matchAll(/\bkvrollover_[a-zA-Z0-9_]+/g)].map((match) => match[0]);
}
