// `kv-rollover bench` at a tiny size (3 clusters, 2 Batch pools, one detection sample each way): the
// report's counts hold (every rotation of both kinds converged, no ARM write at steady state, at most one
// Key Vault request per distinct certificate per poll interval, the Event Grid push made the operator
// poll). No timing is asserted. The operator is the shipped bundle (scripts/bundle.js), laid out as in the
// image: package.json, bin/ and dist/, no node_modules.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../scripts/bundle.js';
import {
  formatTable,
  deploymentRuntimeEnv,
  runBench,
  sumMetric,
  type BenchReport,
} from '../../src/cli/commands/bench.js';

describe('kv-rollover bench', () => {
  let image = '';
  beforeAll(async () => {
    image = await mkdtemp(path.join(tmpdir(), 'kvr-image-'));
    await bundle(path.join(image, 'dist'));
    for (const entry of ['package.json', 'bin'])
      await cp(entry, path.join(image, entry), { recursive: true });
  }, 60_000);
  afterAll(() => rm(image, { recursive: true, force: true }));

  it('sums a counter over its label sets, optionally filtered by labels, and ignores other metrics', () => {
    const text = [
      '# HELP kvrollover_reconcile_total Reconciles.',
      'kvrollover_reconcile_total{controller="servicefabric",result="success"} 7',
      'kvrollover_reconcile_total{controller="servicefabric",result="requeue_after"} 3',
      'kvrollover_reconcile_total{controller="batchpool",result="success"} 2',
      'kvrollover_reconcile_total_other 100',
    ].join('\n');
    expect(sumMetric(text, 'kvrollover_reconcile_total')).toBe(12);
    expect(sumMetric(text, 'kvrollover_reconcile_total', { controller: 'batchpool' })).toBe(2);
    expect(
      sumMetric(text, 'kvrollover_reconcile_total', { controller: 'servicefabric', result: 'success' }),
    ).toBe(7);
    expect(sumMetric(text, 'kvrollover_reconcile_total', { controller: 'none' })).toBe(0);
  });

  it("runs the operator with the Deployment's runtime variables (the shipped memory limits)", async () => {
    const env = await deploymentRuntimeEnv();
    expect(env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    expect(env.MALLOC_ARENA_MAX).toMatch(/^\d+$/);
  });

  it('converges 3 clusters and 2 pools and reports the §9 figures, Event Grid detection included', async () => {
    const report: BenchReport = await runBench({
      clusters: 3,
      pools: 2,
      certificates: 2,
      vaultPollSeconds: 2,
      resyncSeconds: 2,
      azureSyncSeconds: 6,
      windowSeconds: 8,
      detectionSamples: 1,
      eventGridSamples: 1,
      timeoutSeconds: 80,
      operatorCommand: [process.execPath, path.join(image, 'bin', 'kv-rollover.js')],
    });
    expect(report.notes).toEqual([]);
    expect(report.convergence).toMatchObject({
      converged: 5,
      total: 5,
      timedOut: false,
      byKind: { serviceFabric: { converged: 3, total: 3 }, batchPool: { converged: 2, total: 2 } },
    });
    expect(report.pools).toEqual({ requested: 2, run: 2, batchAccounts: 1 });
    expect(report.certificates).toBe(2);
    expect(report.config).toMatchObject({ azureSyncSeconds: 6 });
    const steady = report.steadyState;
    expect(steady.byKind.serviceFabric.reconciles).toBeGreaterThan(0);
    expect(steady.byKind.batchPool.reconciles).toBeGreaterThan(0);
    expect(steady.byKind.serviceFabric.reconciles + steady.byKind.batchPool.reconciles).toBe(
      steady.reconciles,
    );
    expect(steady.armWrites).toBe(0);
    // Converged resources are re-read once per sync period — a cluster and its 3 scale sets' models (no
    // instance lists; identity and vault shared), a pool — whatever the number of resyncs in between.
    const syncPeriods = Math.ceil(steady.windowSeconds / report.config.azureSyncSeconds) + 1;
    const reads = steady.armReadsByOperation;
    expect(reads['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'] ?? 0).toBe(0);
    expect(reads['Microsoft.ServiceFabric/clusters/read'] ?? 0).toBeLessThanOrEqual(3 * syncPeriods);
    expect(reads['Microsoft.Compute/virtualMachineScaleSets/read'] ?? 0).toBeLessThanOrEqual(
      3 * 3 * syncPeriods,
    );
    expect(reads['Microsoft.ManagedIdentity/userAssignedIdentities/read'] ?? 0).toBeLessThanOrEqual(2);
    expect(steady.armReads).toBeGreaterThan(0);
    // One poll per distinct certificate per interval (a poll may straddle the window's edges: + 1).
    expect(steady.keyVaultRequests).toBeLessThanOrEqual(
      report.certificates * (Math.ceil(steady.windowSeconds / report.config.vaultPollSeconds) + 1),
    );
    expect(report.detection.pollingSeconds).toHaveLength(1);
    const eventGrid = report.detection.eventGrid;
    expect(eventGrid.measured).toBe(true);
    if (eventGrid.measured) {
      expect(eventGrid.seconds).toHaveLength(1);
      expect(eventGrid.eventGridPolls).toBeGreaterThan(0);
      expect(eventGrid.eventGridPollsPerSample[0]).toBeGreaterThan(0);
    }
    expect(report.operator.exitCode).toBe(0);
    const table = formatTable([report]);
    expect(table).toContain('KV req / cert / poll interval');
    expect(table).toContain('Microsoft.Batch reads / pool / h');
    expect(table).toContain('N=3');
    expect(table).not.toContain('not measured');
  }, 110_000);
});
