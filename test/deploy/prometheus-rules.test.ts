import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { exposedSeriesNames, referencedMetricNames } from './metric-names.js';
import { REPO_ROOT, describeRun, promtoolPath, run } from './tools.js';

const RULE_FILE = path.join(REPO_ROOT, 'deploy/prometheus/prometheusrule.yaml');
const TESTS_DIR = path.join(REPO_ROOT, 'deploy/prometheus/tests');
/** The name the unit tests' `rule_files` refer to. */
const RULES_NAME = 'kv-rollover.rules.yaml';

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}
interface UnitTestFile {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const manifest = parse(readFileSync(RULE_FILE, 'utf8')) as { spec: { groups: RuleGroup[] } };
const alerts = manifest.spec.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
const testFiles = readdirSync(TESTS_DIR).filter((file) => file.endsWith('.yaml'));

/** A scratch directory holding the extracted plain rules file plus copies of the unit tests. */
function workspace(groups: RuleGroup[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvr-rules-'));
  writeFileSync(path.join(dir, RULES_NAME), stringify({ groups }));
  for (const file of testFiles) copyFileSync(path.join(TESTS_DIR, file), path.join(dir, file));
  return dir;
}

describe('PrometheusRule', () => {
  let promtool: string;
  beforeAll(() => {
    promtool = promtoolPath();
  });

  it('is a valid PrometheusRule object', () => {
    expect(() => new PrometheusRule(manifest as never).validate()).not.toThrow();
  });

  it('passes `promtool check rules`', () => {
    const dir = workspace(manifest.spec.groups);
    const result = run(promtool, ['check', 'rules', path.join(dir, RULES_NAME)]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
  });

  it.each(testFiles)('passes its unit tests in %s (`promtool test rules`)', (file) => {
    const dir = workspace(manifest.spec.groups);
    const result = run(promtool, ['test', 'rules', file], { cwd: dir });
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('has unit tests that fail when a threshold changes', () => {
    // Loosen the reconcile error ratio and make the stuck-step limit longer: the tests must notice.
    const mutated = structuredClone(manifest.spec.groups);
    for (const rule of mutated.flatMap((group) => group.rules)) {
      if (rule.alert === 'KvRolloverReconcileErrors') rule.expr = rule.expr.replace('> 0.2', '> 0.6');
      if (rule.alert === 'KvRolloverStepStuck') rule.expr = rule.expr.replace('> 3600', '> 3 * 3600');
    }
    const dir = workspace(mutated);
    for (const file of ['operator.test.yaml', 'rotations.test.yaml']) {
      const result = run(promtool, ['test', 'rules', file], { cwd: dir });
      expect(result.status, describeRun(result)).toBe(1);
    }
  });

  it('gives every alert a firing and a non-firing unit test case', () => {
    const firing = new Set<string>();
    const quiet = new Set<string>();
    for (const file of testFiles) {
      const unit = parse(readFileSync(path.join(TESTS_DIR, file), 'utf8')) as UnitTestFile;
      expect(unit.rule_files).toEqual([RULES_NAME]);
      for (const test of unit.tests) {
        for (const check of test.alert_rule_test ?? []) {
          ((check.exp_alerts ?? []).length > 0 ? firing : quiet).add(check.alertname);
        }
      }
    }
    const names = alerts.map((rule) => rule.alert!);
    expect(names.filter((name) => !firing.has(name))).toEqual([]);
    expect(names.filter((name) => !quiet.has(name))).toEqual([]);
  });

  it('gives every alert a severity, a summary, a description and a runbook hint', () => {
    for (const rule of alerts) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      for (const annotation of ['summary', 'description', 'runbook']) {
        expect(rule.annotations?.[annotation], `${rule.alert} ${annotation}`).toBeTruthy();
      }
    }
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'KvRolloverCertificateExpiringSoon',
        'KvRolloverCertificateExpiryCritical',
        'KvRolloverRotationBlocked',
        'KvRolloverResourceStalled',
        'KvRolloverStepStuck',
        'KvRolloverReconcileErrors',
        'KvRolloverVaultPollsFailing',
        'KvRolloverAzureThrottled',
        'KvRolloverOperatorAbsent',
      ]),
    );
  });

  it('queries only metrics the operator exposes', async () => {
    const exposed = await exposedSeriesNames();
    const unknown = alerts
      .flatMap((rule) => referencedMetricNames(rule.expr))
      .filter((name) => !exposed.has(name));
    expect(unknown).toEqual([]);
  });
});
