// End to end with a real Prometheus (Debian's, from scripts/tools/promtool.sh): it scrapes the operator's
// registry with the per-resource collector over HTTP, as the ServiceMonitor configures it (job
// kv-rollover-metrics, honor_labels), and evaluates the shipped alert rules on what it scraped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionType, Hazard, KIND_SERVICE_FABRIC, Phase, Severity, Step } from '../../src/domain/names.js';
import {
  registerResourceCollector,
  type RotationResourceView,
} from '../../src/observability/resource-collector.js';
import { REPO_ROOT, prometheusPath } from './tools.js';

const DAY = 86_400_000;

/** An expired certificate, blocked by a hazard: fires KvRolloverCertificateExpired at once (for: 0m). */
const expired: RotationResourceView = {
  kind: KIND_SERVICE_FABRIC,
  namespace: 'prod',
  name: 'cluster-a',
  status: {
    phase: Phase.Blocked,
    currentStep: Step.InstallNewVersion,
    conditions: [{ type: ConditionType.Ready, status: 'False' }],
    hazards: [{ reason: Hazard.IssuerNotPinned, severity: Severity.Blocking }],
    certificates: {
      inUse: {
        thumbprint: 'A'.repeat(40),
        notBefore: new Date(Date.now() - 365 * DAY).toISOString(),
        notAfter: new Date(Date.now() - DAY).toISOString(),
      },
    },
  },
};

interface ApiResponse<T> {
  status: string;
  data: T;
}

async function api<T>(base: string, query: string): Promise<T> {
  const response = await fetch(`${base}${query}`);
  const body = (await response.json()) as ApiResponse<T>;
  expect(body.status).toBe('success');
  return body.data;
}

/** Polls until `probe` returns a value, at most `attempts` times (Prometheus needs a few seconds). */
async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 60): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`gave up after ${attempts} attempts`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a real Prometheus scraping kv-rollover', () => {
  let metricsServer: Server;
  let prometheus: ChildProcess;
  let base: string;
  let dir: string;
  let logs = '';

  beforeAll(async () => {
    const binary = prometheusPath();
    const registry = new Registry();
    registerResourceCollector(() => [expired], { registry });
    metricsServer = createServer((_req, res) => {
      void registry.metrics().then((text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => metricsServer.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(metricsServer.address() as AddressInfo).port}`;

    dir = mkdtempSync(path.join(tmpdir(), 'kvr-prometheus-'));
    const rule = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/prometheus/prometheusrule.yaml'), 'utf8'),
    ) as {
      spec: { groups: unknown[] };
    };
    writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: rule.spec.groups }));
    writeFileSync(
      path.join(dir, 'prometheus.yaml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: ['rules.yaml'],
        scrape_configs: [
          {
            // What the ServiceMonitor produces: job = the Service's name, honor_labels for `namespace`.
            job_name: 'kv-rollover-metrics',
            honor_labels: true,
            static_configs: [{ targets: [target], labels: { namespace: 'kv-rollover-system' } }],
          },
        ],
      }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'timeout',
      [
        '50',
        binary,
        `--config.file=${path.join(dir, 'prometheus.yaml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM'); // `timeout` passes it on to Prometheus
      await exited;
    }
    await new Promise((resolve) => metricsServer?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes the per-resource series with the resource’s own namespace label', async () => {
    const result = await eventually(async () => {
      const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        base,
        '/api/v1/query?query=kvrollover_resource_hazard',
      );
      return data.result.length > 0 ? data.result : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}\nprometheus log:\n${logs}`);
    });
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({
      job: 'kv-rollover-metrics',
      namespace: 'prod',
      name: 'cluster-a',
      reason: 'IssuerNotPinned',
      severity: 'blocking',
    });
  });

  it('fires the expired-certificate alert and holds the blocked-rotation alert pending', async () => {
    const alerts = await eventually(async () => {
      const data = await api<{ alerts: { labels: Record<string, string>; state: string }[] }>(
        base,
        '/api/v1/alerts',
      );
      const names = data.alerts.map((alert) => `${alert.labels.alertname}:${alert.state}`);
      return names.includes('KvRolloverCertificateExpired:firing') &&
        names.includes('KvRolloverRotationBlocked:pending')
        ? data.alerts
        : undefined;
    });
    const expiredAlert = alerts.find((alert) => alert.labels.alertname === 'KvRolloverCertificateExpired');
    expect(expiredAlert?.labels).toMatchObject({
      namespace: 'prod',
      name: 'cluster-a',
      severity: 'critical',
    });
    // The certificate is expired, not merely expiring: the warning and critical windows stay quiet.
    expect(alerts.map((alert) => alert.labels.alertname)).not.toContain('KvRolloverCertificateExpiringSoon');
    expect(alerts.map((alert) => alert.labels.alertname)).not.toContain(
      'KvRolloverCertificateExpiryCritical',
    );
  });
});
