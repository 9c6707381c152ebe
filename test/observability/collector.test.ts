import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import type { Rotation } from '../../src/api/validate.js';
import { describe, expect, it } from 'vitest';
import {
  KIND_BATCH_POOL,
  KIND_SERVICE_FABRIC,
  Hazard,
  Phase,
  Severity,
  Step,
  ConditionType,
} from '../../src/domain/names.js';
import * as runtimeMetrics from '../../src/observability/metrics.js';
// Registers the controller-runtime-style metrics on the same registry (as the operator does).
import '../../src/observability/runtime-metrics.js';
import {
  registerResourceCollector,
  rotationView,
  type RotationResourceView,
} from '../../src/observability/resource-collector.js';
import { VirtualClock } from '../../src/sandbox/clock.js';
import { REPO_ROOT, describeRun, promtoolPath, run } from '../deploy/tools.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the exposition text into samples (labels unordered), skipping HELP/TYPE lines. */
function samples(exposition: string, metric: string): Sample[] {
  const found: Sample[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[label[1]!] = label[2]!;
    found.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return found.sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400;

const sfThumbprint = 'A'.repeat(40);
const vaultThumbprint = 'B'.repeat(40);

/** A Service Fabric rotation midway: a new vault version is being installed while the old one serves. */
const serviceFabric: RotationResourceView = {
  kind: KIND_SERVICE_FABRIC,
  namespace: 'prod',
  name: 'cluster-a',
  spec: { policy: { expiryWarning: '14d', expiryCritical: '72h' } },
  status: {
    observedGeneration: 3,
    conditions: [
      { type: ConditionType.Ready, status: 'False' },
      { type: ConditionType.Reconciling, status: 'True' },
    ],
    phase: Phase.Progressing,
    currentStep: Step.InstallGoalCertificate,
    currentStepIndex: 1,
    stepStartedAt: '2026-11-30T23:00:00Z',
    plan: {
      steps: [
        Step.GrantVaultAccess,
        Step.InstallGoalCertificate,
        Step.ReachValidStartingState,
        Step.InstallKeyVaultExtension,
        Step.ConvertClusterToCommonName,
        Step.Steady,
      ].map((name, index) => ({ name, state: index < 1 ? 'done' : index === 1 ? 'current' : 'pending' })),
    },
    hazards: [
      { reason: Hazard.CertificateExpiringSoon, severity: Severity.Warning, message: 'expires in 10 days' },
    ],
    certificates: {
      inUse: {
        thumbprint: sfThumbprint,
        notBefore: '2026-01-01T00:00:00Z',
        notAfter: '2026-12-11T00:00:00Z',
      },
      vaultLatest: {
        version: '0123456789abcdef0123456789abcdef',
        thumbprint: vaultThumbprint,
        issuerThumbprint: 'C'.repeat(40),
        notBefore: '2026-11-20T00:00:00Z',
        notAfter: '2027-11-20T00:00:00Z',
      },
    },
    nodes: { converged: 2, total: 5 },
  },
};

/** A Batch rotation blocked by a hazard, with no status beyond that and no policy (defaults apply). */
const batch: RotationResourceView = {
  kind: KIND_BATCH_POOL,
  namespace: 'jobs',
  name: 'pool-1',
  status: {
    phase: Phase.Blocked,
    conditions: [{ type: ConditionType.Stalled, status: 'False' }],
    hazards: [{ reason: Hazard.PoolRecreationRequired, severity: Severity.Blocking }],
    certificates: {
      inUse: {
        thumbprint: vaultThumbprint,
        notBefore: '2026-11-20T00:00:00Z',
        notAfter: '2026-11-30T00:00:00Z',
      },
    },
  },
};

function setUp(resources: RotationResourceView[]) {
  const registry = new Registry();
  const clock = new VirtualClock(NOW);
  const collector = registerResourceCollector(() => resources, { registry, now: () => clock.now() });
  return { registry, clock, collector };
}

const sf = { kind: KIND_SERVICE_FABRIC, namespace: 'prod', name: 'cluster-a' };
const bp = { kind: KIND_BATCH_POOL, namespace: 'jobs', name: 'pool-1' };

describe('resource collector', () => {
  it('exposes certificate validity per role with thumbprints, and seconds to expiry at scrape time', async () => {
    const { registry, clock } = setUp([serviceFabric, batch]);
    const text = await registry.metrics();

    expect(samples(text, 'kvrollover_certificate_not_after_timestamp_seconds')).toEqual(
      samples(
        [
          `kvrollover_certificate_not_after_timestamp_seconds{kind="${bp.kind}",namespace="jobs",name="pool-1",certificate="in_use",thumbprint="${vaultThumbprint}"} ${Date.UTC(2026, 10, 30) / 1000}`,
          `kvrollover_certificate_not_after_timestamp_seconds{kind="${sf.kind}",namespace="prod",name="cluster-a",certificate="in_use",thumbprint="${sfThumbprint}"} ${Date.UTC(2026, 11, 11) / 1000}`,
          `kvrollover_certificate_not_after_timestamp_seconds{kind="${sf.kind}",namespace="prod",name="cluster-a",certificate="vault_latest",thumbprint="${vaultThumbprint}"} ${Date.UTC(2027, 10, 20) / 1000}`,
        ].join('\n'),
        'kvrollover_certificate_not_after_timestamp_seconds',
      ),
    );
    expect(
      samples(text, 'kvrollover_certificate_not_before_timestamp_seconds').map((s) => [
        s.labels.name,
        s.labels.certificate,
        s.value,
      ]),
    ).toEqual([
      ['pool-1', 'in_use', Date.UTC(2026, 10, 20) / 1000],
      ['cluster-a', 'in_use', Date.UTC(2026, 0, 1) / 1000],
      ['cluster-a', 'vault_latest', Date.UTC(2026, 10, 20) / 1000],
    ]);

    // 10 days left on the in-use cluster certificate; the pool's expired a day ago (negative).
    const expiry = samples(text, 'kvrollover_certificate_expiry_seconds');
    expect(expiry).toEqual([
      { name: expect.any(String), labels: { ...bp, certificate: 'in_use' }, value: -1 * DAY },
      { name: expect.any(String), labels: { ...sf, certificate: 'in_use' }, value: 10 * DAY },
      { name: expect.any(String), labels: { ...sf, certificate: 'vault_latest' }, value: 354 * DAY },
    ]);

    clock.advance(DAY * 1000);
    const later = samples(await registry.metrics(), 'kvrollover_certificate_expiry_seconds');
    expect(later.map((s) => s.value)).toEqual([-2 * DAY, 9 * DAY, 353 * DAY]);
  });

  it('exposes thresholds from spec.policy, defaulting to 30d and 7d', async () => {
    const { registry } = setUp([serviceFabric, batch]);
    const text = await registry.metrics();
    expect(samples(text, 'kvrollover_resource_expiry_warning_threshold_seconds')).toMatchObject([
      { labels: bp, value: 30 * DAY },
      { labels: sf, value: 14 * DAY },
    ]);
    expect(samples(text, 'kvrollover_resource_expiry_critical_threshold_seconds')).toMatchObject([
      { labels: bp, value: 7 * DAY },
      { labels: sf, value: 3 * DAY },
    ]);
  });

  it('exposes Ready as one series per status value, absent Ready reading as Unknown', async () => {
    const { registry } = setUp([serviceFabric, batch]);
    const ready = samples(await registry.metrics(), 'kvrollover_resource_ready_status');
    expect(ready.map((s) => [s.labels.name, s.labels.condition, s.value])).toEqual([
      ['pool-1', 'False', 0],
      ['pool-1', 'True', 0],
      ['pool-1', 'Unknown', 1],
      ['cluster-a', 'False', 1],
      ['cluster-a', 'True', 0],
      ['cluster-a', 'Unknown', 0],
    ]);
  });

  it('exposes phase, current step, step start, hazards and node convergence', async () => {
    const { registry } = setUp([serviceFabric, batch]);
    const text = await registry.metrics();
    expect(samples(text, 'kvrollover_resource_phase')).toMatchObject([
      { labels: { ...bp, phase: 'Blocked' }, value: 1 },
      { labels: { ...sf, phase: 'Progressing' }, value: 1 },
    ]);
    expect(samples(text, 'kvrollover_resource_current_step')).toEqual([
      {
        name: 'kvrollover_resource_current_step',
        labels: { ...sf, step: 'InstallGoalCertificate' },
        value: 1,
      },
    ]);
    expect(samples(text, 'kvrollover_resource_current_step_index')).toMatchObject([{ labels: sf, value: 1 }]);
    expect(samples(text, 'kvrollover_resource_plan_steps')).toMatchObject([{ labels: sf, value: 6 }]);
    expect(samples(text, 'kvrollover_resource_step_started_timestamp_seconds')).toMatchObject([
      { labels: { ...sf, step: 'InstallGoalCertificate' }, value: Date.UTC(2026, 10, 30, 23) / 1000 },
    ]);
    expect(samples(text, 'kvrollover_resource_hazard')).toMatchObject([
      { labels: { ...bp, reason: 'PoolRecreationRequired', severity: 'blocking' }, value: 1 },
      { labels: { ...sf, reason: 'CertificateExpiringSoon', severity: 'warning' }, value: 1 },
    ]);
    expect(samples(text, 'kvrollover_resource_nodes_converged')).toMatchObject([{ labels: sf, value: 2 }]);
    expect(samples(text, 'kvrollover_resource_nodes')).toMatchObject([{ labels: sf, value: 5 }]);
    // Hazard messages are free text for people: never a label (unbounded cardinality).
    expect(text).not.toContain('expires in 10 days');
  });

  it('drops every series of a resource once it leaves the cache, and follows status changes', async () => {
    const resources = [serviceFabric, batch];
    const { registry } = setUp(resources);
    expect(await registry.metrics()).toContain('name="pool-1"');

    resources.pop();
    const afterDelete = await registry.metrics();
    expect(afterDelete).not.toContain('name="pool-1"');
    expect(afterDelete).toContain('name="cluster-a"');

    // The step moves on: the old step's series go, not just change value.
    resources[0] = {
      ...serviceFabric,
      status: {
        ...serviceFabric.status,
        currentStep: Step.ReachValidStartingState,
        currentStepIndex: 2,
        hazards: [],
      },
    };
    const afterStep = await registry.metrics();
    expect(samples(afterStep, 'kvrollover_resource_current_step').map((s) => s.labels.step)).toEqual([
      'ReachValidStartingState',
    ]);
    expect(samples(afterStep, 'kvrollover_resource_step_started_timestamp_seconds')).toHaveLength(1);
    expect(samples(afterStep, 'kvrollover_resource_hazard')).toEqual([]);

    resources.pop();
    const empty = await registry.metrics();
    expect(empty).not.toMatch(/^kvrollover_\w+\{/m);
  });

  it('reads a cached custom resource through rotationView', async () => {
    const sample = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/samples/servicefabriccertificaterotation.yaml'), 'utf8'),
    ) as Rotation;
    const cached = structuredClone(sample);
    cached.spec.policy.expiryWarning = '45d';
    cached.status = serviceFabric.status as Rotation['status'];
    const registry = new Registry();
    registerResourceCollector(() => [cached].map(rotationView), { registry, now: () => NOW });
    const text = await registry.metrics();
    const labels = {
      kind: KIND_SERVICE_FABRIC,
      namespace: sample.metadata.namespace,
      name: sample.metadata.name,
    };
    expect(samples(text, 'kvrollover_resource_expiry_warning_threshold_seconds')).toMatchObject([
      { labels, value: 45 * DAY },
    ]);
    expect(samples(text, 'kvrollover_certificate_expiry_seconds')).toMatchObject([
      { labels: { ...labels, certificate: 'in_use' }, value: 10 * DAY },
      { labels: { ...labels, certificate: 'vault_latest' }, value: 354 * DAY },
    ]);
    expect(samples(text, 'kvrollover_resource_nodes')).toMatchObject([{ labels, value: 5 }]);
  });

  it('unregisters its gauges', async () => {
    const { registry, collector } = setUp([serviceFabric]);
    collector.unregister();
    expect(await registry.metrics()).toBe('\n');
    // Registering again on the same registry works after unregistering.
    registerResourceCollector(() => [], { registry }).unregister();
  });

  it('passes `promtool check metrics` on the live output of the operator registry', async () => {
    const promtool = promtoolPath();
    // Exercise every runtime metric so each family is linted with samples, not just HELP/TYPE.
    runtimeMetrics.reconcileTotal.inc({ controller: 'servicefabric', result: 'success' });
    runtimeMetrics.reconcileErrorsTotal.inc({ controller: 'servicefabric', reason: 'AzureError' });
    runtimeMetrics.reconcileDurationSeconds.observe({ controller: 'servicefabric' }, 0.02);
    runtimeMetrics.workqueueDepth.set({ controller: 'servicefabric' }, 3);
    runtimeMetrics.workqueueQueueDurationSeconds.observe({ controller: 'servicefabric' }, 0.1);
    runtimeMetrics.workqueueRetriesTotal.inc({ controller: 'servicefabric' });
    runtimeMetrics.watchRestartsTotal.inc({ resource: 'servicefabriccertificaterotations', cause: 'gone' });
    runtimeMetrics.leaderStatus.set(1);
    runtimeMetrics.azureRequestsTotal.inc({ service: 'arm', operation: 'clusters.get', code: '200' });
    runtimeMetrics.azureRequestDurationSeconds.observe({ service: 'arm', operation: 'clusters.get' }, 0.2);
    runtimeMetrics.azureThrottledTotal.inc({ service: 'keyvault' });
    runtimeMetrics.vaultPollsTotal.inc({ vault: 'kv1', trigger: 'interval', result: 'success' });
    runtimeMetrics.vaultPollDurationSeconds.observe({ vault: 'kv1' }, 0.05);
    runtimeMetrics.eventGridEventsTotal.inc({
      event_type: 'CertificateNewVersionCreated',
      outcome: 'accepted',
    });
    runtimeMetrics.buildInfo.set({ version: '0.1.0' }, 1);

    const clock = new VirtualClock(NOW);
    const collector = registerResourceCollector(() => [serviceFabric, batch], {
      registry: runtimeMetrics.registry,
      now: () => clock.now(),
    });
    try {
      const text = await runtimeMetrics.registry.metrics();
      expect(text).toContain('kvrollover_resource_hazard{');
      expect(text).toContain('kvrollover_reconcile_total{');
      const result = run(promtool, ['check', 'metrics'], { input: text });
      if (result.status !== 0) {
        const file = path.join(mkdtempSync(path.join(tmpdir(), 'kvr-metrics-')), 'metrics.txt');
        writeFileSync(file, text);
        expect.fail(`promtool check metrics failed (output kept in ${file}):\n${describeRun(result)}`);
      }
      // promtool prints nothing for clean input; any line is a lint finding.
      expect(result.stdout + result.stderr).toBe('');
    } finally {
      collector.unregister();
      runtimeMetrics.registry.resetMetrics();
    }
  });
});
