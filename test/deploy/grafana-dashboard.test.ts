import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exposedSeriesNames, referencedMetricNames } from './metric-names.js';
import { REPO_ROOT, describeRun, kubectlPath, promtoolPath, run } from './tools.js';

interface Target {
  expr: string;
  refId: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
}

const dashboard = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'deploy/grafana/kv-rollover.json'), 'utf8'),
) as Dashboard;
const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');
const targets = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

/** The expression as Prometheus would receive it, with Grafana's variables replaced. */
function interpolate(expr: string): string {
  return expr.replaceAll('$__rate_interval', '2m').replaceAll('$namespace', '.*').replaceAll('$kind', '.*');
}

describe('Grafana dashboard', () => {
  it('parses, with a stable uid, unique panel ids and a query in every panel', () => {
    expect(dashboard.uid).toBe('kv-rollover');
    expect(dashboard.title).toBe('kv-rollover');
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of queryPanels) expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual([
      'datasource',
      'namespace',
      'kind',
    ]);
    for (const { panel, target } of targets) {
      expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('lays panels out without overlaps on the 24-column grid', () => {
    const cells = new Map<string, string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let column = x; column < x + w; column++) {
          const cell = `${row}:${column}`;
          expect(cells.get(cell), `${panel.title} overlaps ${cells.get(cell)}`).toBeUndefined();
          cells.set(cell, panel.title);
        }
      }
    }
  });

  it('covers expiry, rotation progress, hazards, Azure traffic and throttling, reconciles and the queue', () => {
    const all = targets.map(({ target }) => target.expr).join('\n');
    for (const metric of [
      'kvrollover_certificate_expiry_seconds',
      'kvrollover_certificate_not_after_timestamp_seconds',
      'kvrollover_resource_current_step_index',
      'kvrollover_resource_step_started_timestamp_seconds',
      'kvrollover_resource_nodes_converged',
      'kvrollover_resource_hazard',
      'kvrollover_azure_requests_total',
      'kvrollover_azure_throttled_total',
      'kvrollover_reconcile_total',
      'kvrollover_reconcile_errors_total',
      'kvrollover_workqueue_depth',
    ]) {
      expect(all).toContain(metric);
    }
  });

  it('queries only metrics the operator exposes', async () => {
    const exposed = await exposedSeriesNames();
    const unknown = targets
      .flatMap(({ target }) => referencedMetricNames(target.expr))
      .filter((name) => !exposed.has(name));
    expect(unknown).toEqual([]);
  });

  it('has only valid PromQL (checked by promtool as recording rules)', () => {
    const promtool = promtoolPath();
    const rules = targets.map(({ panel, target }) => ({
      record: `dashboard:panel_${panel.id}_${target.refId.toLowerCase()}`,
      expr: interpolate(target.expr),
    }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kvr-dashboard-')), 'dashboard.rules.yaml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const result = run(promtool, ['check', 'rules', file]);
    expect(result.status, describeRun(result)).toBe(0);
  });

  it('renders as a ConfigMap for the Grafana sidecar (`kubectl kustomize deploy/grafana`)', () => {
    const result = run(kubectlPath(), ['kustomize', 'deploy/grafana']);
    expect(result.status, describeRun(result)).toBe(0);
    const configMap = parse(result.stdout) as {
      kind: string;
      metadata: { name: string; labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(configMap.data['kv-rollover.json']!)).toEqual(dashboard);
  });
});
