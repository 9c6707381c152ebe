// `kv-rollover bench` at a tiny size: the report has the design §9 figures and its counts hold
// (one Key Vault request per distinct certificate per poll interval at most, no ARM write at steady
// state, every rotation converged). No timing is asserted.
import { describe, expect, it } from 'vitest';
import { formatTable, runBench, sumMetric, type BenchReport } from '../../src/cli/commands/bench.js';
import { OPERATOR_COMMAND } from './harness.js';

describe('kv-rollover bench', () => {
  it('sums a counter over its label sets and ignores other metrics', () => {
    const text = [
      '# HELP kvrollover_reconcile_total Reconciles.',
      'kvrollover_reconcile_total{controller="servicefabric",result="success"} 7',
      'kvrollover_reconcile_total{controller="servicefabric",result="requeue_after"} 3',
      'kvrollover_reconcile_total_other 100',
    ].join('\n');
    expect(sumMetric(text, 'kvrollover_reconcile_total')).toBe(10);
  });

  it('converges 3 rotations and reports the §9 figures', async () => {
    const report: BenchReport = await runBench({
      clusters: 3,
      certificates: 2,
      vaultPollSeconds: 2,
      resyncSeconds: 4,
      windowSeconds: 6,
      detectionSamples: 1,
      timeoutSeconds: 60,
      operatorCommand: OPERATOR_COMMAND,
    });
    expect(report.notes).toEqual([]);
    expect(report.convergence).toMatchObject({ converged: 3, total: 3, timedOut: false });
    expect(report.certificates).toBe(2);
    expect(report.steadyState.reconciles).toBeGreaterThan(0);
    expect(report.steadyState.armReads).toBeGreaterThan(0);
    expect(report.steadyState.armWrites).toBe(0);
    // One poll per distinct certificate per interval (a poll may straddle the window's edges: + 1).
    expect(report.steadyState.keyVaultRequests).toBeLessThanOrEqual(
      report.certificates *
        (Math.ceil(report.steadyState.windowSeconds / report.config.vaultPollSeconds) + 1),
    );
    expect(report.detection.pollingSeconds).toHaveLength(1);
    expect(report.operator.exitCode).toBe(0);
    const table = formatTable([report]);
    expect(table).toContain('KV req / cert / poll interval');
    expect(table).toContain('N=3');
  }, 150_000);
});
