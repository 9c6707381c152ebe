// Per-resource gauges, computed at scrape time from whatever the provider yields (the informer cache in
// the operator). Every gauge is reset and refilled inside its `collect()` callback, so a resource that
// is gone from the cache is gone from the next scrape: no stale series, no delete bookkeeping. This is
// how cert-manager's certificate collector and kube-state-metrics work (anchors.md §1.5).
//
// Metric names and labels are a public contract: deploy/prometheus/prometheusrule.yaml and
// deploy/grafana/kv-rollover.json query them, and the README ("Observability") documents them.
import { Gauge, type Registry } from 'prom-client';
import { durationMinutes } from '../api/duration.js';
import type { Rotation } from '../api/validate.js';
import { ConditionType } from '../domain/names.js';
import { METRIC_PREFIX, registry as defaultRegistry } from './metrics.js';

/** One certificate as status reports it (public material only). */
export interface ObservedCertificateStatus {
  version?: string;
  thumbprint: string;
  issuerThumbprint?: string;
  notBefore: string;
  notAfter: string;
}

/**
 * The fields of a rotation resource the collector reads. A structural subset of the API types in
 * src/api, so the informer cache's objects can be passed unchanged.
 */
export interface RotationResourceView {
  kind: string;
  namespace: string;
  name: string;
  spec?: { policy?: { expiryWarning?: string; expiryCritical?: string } };
  status?: {
    observedGeneration?: number;
    conditions?: readonly { type: string; status: string }[];
    phase?: string;
    currentStep?: string;
    currentStepIndex?: number;
    stepStartedAt?: string;
    plan?: { steps: readonly unknown[] };
    hazards?: readonly { reason: string; severity: string; message?: string }[];
    certificates?: { vaultLatest?: ObservedCertificateStatus; inUse?: ObservedCertificateStatus };
    nodes?: { converged: number; total: number };
  };
}

export type RotationResourceProvider = () => Iterable<RotationResourceView>;

/**
 * The view of a cached custom resource. Typed against the API's resource types, so a change of the status
 * shape the gauges read fails to compile here rather than silently dropping series.
 */
export function rotationView(resource: Rotation): RotationResourceView {
  return {
    kind: resource.kind,
    namespace: resource.metadata.namespace ?? '',
    name: resource.metadata.name ?? '',
    spec: resource.spec,
    status: resource.status,
  };
}

export interface ResourceCollectorOptions {
  /** Defaults to the operator's registry in metrics.ts. */
  registry?: Registry;
  /** Wall clock for `expiry_seconds`; the sandbox passes its virtual clock. */
  now?: () => Date;
}

/** The spec defaults of `policy.expiryWarning` / `policy.expiryCritical` (design §3). */
export const DEFAULT_EXPIRY_WARNING = '30d';
export const DEFAULT_EXPIRY_CRITICAL = '7d';

/** Label values of the `certificate` label. */
export const CertificateRole = { VaultLatest: 'vault_latest', InUse: 'in_use' } as const;

const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const RESOURCE_METRIC_NAMES = {
  notAfter: `${METRIC_PREFIX}certificate_not_after_timestamp_seconds`,
  notBefore: `${METRIC_PREFIX}certificate_not_before_timestamp_seconds`,
  expiry: `${METRIC_PREFIX}certificate_expiry_seconds`,
  warningThreshold: `${METRIC_PREFIX}resource_expiry_warning_threshold_seconds`,
  criticalThreshold: `${METRIC_PREFIX}resource_expiry_critical_threshold_seconds`,
  readyStatus: `${METRIC_PREFIX}resource_ready_status`,
  phase: `${METRIC_PREFIX}resource_phase`,
  currentStep: `${METRIC_PREFIX}resource_current_step`,
  currentStepIndex: `${METRIC_PREFIX}resource_current_step_index`,
  stepStarted: `${METRIC_PREFIX}resource_step_started_timestamp_seconds`,
  planSteps: `${METRIC_PREFIX}resource_plan_steps`,
  hazard: `${METRIC_PREFIX}resource_hazard`,
  nodesConverged: `${METRIC_PREFIX}resource_nodes_converged`,
  // Not `_nodes_total`: promtool's linter rejects `_total` on anything but a counter.
  nodes: `${METRIC_PREFIX}resource_nodes`,
} as const;

type ObjectLabels = { kind: string; namespace: string; name: string };

function objectLabels(resource: RotationResourceView): ObjectLabels {
  return { kind: resource.kind, namespace: resource.namespace, name: resource.name };
}

/** Seconds since the epoch of an RFC 3339 timestamp, or undefined when absent or unparsable. */
function epochSeconds(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function thresholdSeconds(duration: string | undefined, fallback: string): number {
  // A malformed duration is rejected by the schema; if one slips through, alert on the default.
  const minutes = durationMinutes(duration ?? fallback) ?? durationMinutes(fallback) ?? 0;
  return minutes * 60;
}

function certificatesOf(
  resource: RotationResourceView,
): [role: string, certificate: ObservedCertificateStatus][] {
  const certificates = resource.status?.certificates;
  const found: [string, ObservedCertificateStatus][] = [];
  if (certificates?.vaultLatest) found.push([CertificateRole.VaultLatest, certificates.vaultLatest]);
  if (certificates?.inUse) found.push([CertificateRole.InUse, certificates.inUse]);
  return found;
}

export interface ResourceCollector {
  /** Removes the gauges from the registry (tests, and an operator that stops leading). */
  unregister(): void;
}

/**
 * Registers the per-resource gauges on `registry`. Call once per registry: prom-client refuses two
 * metrics of the same name.
 */
export function registerResourceCollector(
  provider: RotationResourceProvider,
  options: ResourceCollectorOptions = {},
): ResourceCollector {
  const registry = options.registry ?? defaultRegistry;
  const now = options.now ?? (() => new Date());
  const registers = [registry];
  const names: string[] = [];

  // One scrape calls every gauge's collect(); each walks the provider itself. The walk is over an
  // in-memory cache, so this is cheaper than sharing a snapshot between callbacks would be to get right.
  const define = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (gauge: Gauge<L>, resource: RotationResourceView) => void,
  ): void => {
    names.push(name);
    const gauge: Gauge<L> = new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        gauge.reset();
        for (const resource of provider()) fill(gauge, resource);
      },
    });
  };

  define(
    RESOURCE_METRIC_NAMES.notAfter,
    'NotAfter of the certificate (vault_latest or in_use) as a Unix timestamp.',
    ['kind', 'namespace', 'name', 'certificate', 'thumbprint'],
    (gauge, resource) => {
      for (const [certificate, observed] of certificatesOf(resource)) {
        const notAfter = epochSeconds(observed.notAfter);
        if (notAfter === undefined) continue;
        gauge.set({ ...objectLabels(resource), certificate, thumbprint: observed.thumbprint }, notAfter);
      }
    },
  );

  define(
    RESOURCE_METRIC_NAMES.notBefore,
    'NotBefore of the certificate (vault_latest or in_use) as a Unix timestamp.',
    ['kind', 'namespace', 'name', 'certificate', 'thumbprint'],
    (gauge, resource) => {
      for (const [certificate, observed] of certificatesOf(resource)) {
        const notBefore = epochSeconds(observed.notBefore);
        if (notBefore === undefined) continue;
        gauge.set({ ...objectLabels(resource), certificate, thumbprint: observed.thumbprint }, notBefore);
      }
    },
  );

  define(
    RESOURCE_METRIC_NAMES.expiry,
    'Seconds until the certificate (vault_latest or in_use) expires; negative once expired.',
    ['kind', 'namespace', 'name', 'certificate'],
    (gauge, resource) => {
      const nowSeconds = now().getTime() / 1000;
      for (const [certificate, observed] of certificatesOf(resource)) {
        const notAfter = epochSeconds(observed.notAfter);
        if (notAfter === undefined) continue;
        gauge.set({ ...objectLabels(resource), certificate }, notAfter - nowSeconds);
      }
    },
  );

  define(
    RESOURCE_METRIC_NAMES.warningThreshold,
    'spec.policy.expiryWarning in seconds (default 30d): expiry alerts fire below it.',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const value = thresholdSeconds(resource.spec?.policy?.expiryWarning, DEFAULT_EXPIRY_WARNING);
      gauge.set(objectLabels(resource), value);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.criticalThreshold,
    'spec.policy.expiryCritical in seconds (default 7d): critical expiry alerts fire below it.',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const value = thresholdSeconds(resource.spec?.policy?.expiryCritical, DEFAULT_EXPIRY_CRITICAL);
      gauge.set(objectLabels(resource), value);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.readyStatus,
    'The Ready condition: one series per status (True, False, Unknown), 1 for the current one.',
    ['kind', 'namespace', 'name', 'condition'],
    (gauge, resource) => {
      const ready = resource.status?.conditions?.find((c) => c.type === ConditionType.Ready);
      // An absent Ready condition reads as Unknown (Kubernetes API conventions, anchors.md §5.3).
      const current = ready?.status ?? 'Unknown';
      for (const condition of CONDITION_STATUSES) {
        gauge.set({ ...objectLabels(resource), condition }, condition === current ? 1 : 0);
      }
    },
  );

  define(
    RESOURCE_METRIC_NAMES.phase,
    'The phase of the rotation (Progressing, AwaitingApproval, Suspended, Blocked, Stalled, Steady); 1 for the current one.',
    ['kind', 'namespace', 'name', 'phase'],
    (gauge, resource) => {
      const phase = resource.status?.phase;
      if (phase) gauge.set({ ...objectLabels(resource), phase }, 1);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.currentStep,
    'The step the rotation is at; 1 for the current one.',
    ['kind', 'namespace', 'name', 'step'],
    (gauge, resource) => {
      const step = resource.status?.currentStep;
      if (step) gauge.set({ ...objectLabels(resource), step }, 1);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.currentStepIndex,
    'Zero-based index of the current step in the plan of the resource mode.',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const index = resource.status?.currentStepIndex;
      if (index !== undefined) gauge.set(objectLabels(resource), index);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.planSteps,
    'Steps in the plan of the resource mode, Steady included: progress is current_step_index / (plan_steps - 1).',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const steps = resource.status?.plan?.steps;
      if (steps) gauge.set(objectLabels(resource), steps.length);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.stepStarted,
    'When the current step started, as a Unix timestamp.',
    ['kind', 'namespace', 'name', 'step'],
    (gauge, resource) => {
      const step = resource.status?.currentStep;
      const started = epochSeconds(resource.status?.stepStartedAt);
      if (step && started !== undefined) gauge.set({ ...objectLabels(resource), step }, started);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.hazard,
    'Active hazards by reason and severity (blocking, warning, info); 1 per hazard.',
    ['kind', 'namespace', 'name', 'reason', 'severity'],
    (gauge, resource) => {
      for (const hazard of resource.status?.hazards ?? []) {
        gauge.set({ ...objectLabels(resource), reason: hazard.reason, severity: hazard.severity }, 1);
      }
    },
  );

  define(
    RESOURCE_METRIC_NAMES.nodesConverged,
    'Nodes (scale set instances or pool nodes) whose certificate installation is converged.',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const nodes = resource.status?.nodes;
      if (nodes) gauge.set(objectLabels(resource), nodes.converged);
    },
  );

  define(
    RESOURCE_METRIC_NAMES.nodes,
    'Nodes (scale set instances or pool nodes) the rotation covers.',
    ['kind', 'namespace', 'name'],
    (gauge, resource) => {
      const nodes = resource.status?.nodes;
      if (nodes) gauge.set(objectLabels(resource), nodes.total);
    },
  );

  return {
    unregister() {
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}
