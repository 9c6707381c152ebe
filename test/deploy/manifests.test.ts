import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP, PLURAL_BATCH_POOL, PLURAL_SERVICE_FABRIC } from '../../src/domain/names.js';
import { REPO_ROOT, describeRun, kubectlPath, run } from './tools.js';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call,
   @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   rendered manifests are untyped YAML; the schema validation below is what types them. */
type Manifest = Record<string, any>;

const NAMESPACE = 'kv-rollover-system';
const IMAGE = 'ghcr.io/kv-rollover/kv-rollover:0.1.0';

function render(dir: string): Manifest[] {
  const result = run(kubectlPath(), ['kustomize', dir]);
  expect(result.status, describeRun(result)).toBe(0);
  return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as Manifest);
}

function find(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!;
}

/**
 * The kubernetes-models class for a manifest: built-in kinds from `kubernetes-models`, the Prometheus
 * Operator's from `@kubernetes-models/prometheus-operator` (both carry the published OpenAPI schemas).
 */
async function modelFor(manifest: Manifest): Promise<new (data: Manifest) => { validate(): void }> {
  const apiVersion = String(manifest.apiVersion);
  const kind = String(manifest.kind);
  const module = apiVersion.startsWith('monitoring.coreos.com/')
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  const loaded = (await import(module)) as Record<string, new (data: Manifest) => { validate(): void }>;
  const model = loaded[kind];
  if (!model) throw new Error(`no model for ${apiVersion} ${kind}`);
  return model;
}

/** ajv set up for Kubernetes structural schemas (test-substrate §6). */
function crdValidator(crd: Manifest) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const keyword of [
    'x-kubernetes-validations',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-embedded-resource',
  ]) {
    ajv.addKeyword(keyword);
  }
  for (const format of ['int32', 'int64', 'date-time', 'byte', 'double', 'float'])
    ajv.addFormat(format, true);
  const schema = crd.spec.versions.find((v: Manifest) => v.storage).schema.openAPIV3Schema;
  return ajv.compile(schema);
}

describe('deploy/ (kustomize base)', () => {
  let manifests: Manifest[];
  beforeAll(() => {
    manifests = render('deploy');
  });

  it('renders the whole installation', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      [
        `ClusterRole/kv-rollover`,
        `ClusterRoleBinding/kv-rollover`,
        `CustomResourceDefinition/${PLURAL_BATCH_POOL}.${API_GROUP}`,
        `CustomResourceDefinition/${PLURAL_SERVICE_FABRIC}.${API_GROUP}`,
        `Deployment/kv-rollover`,
        `Namespace/${NAMESPACE}`,
        `NetworkPolicy/kv-rollover`,
        `PodDisruptionBudget/kv-rollover`,
        `PrometheusRule/kv-rollover`,
        `Role/kv-rollover-leader-election`,
        `RoleBinding/kv-rollover-leader-election`,
        `Service/kv-rollover-metrics`,
        `ServiceAccount/kv-rollover`,
        `ServiceMonitor/kv-rollover`,
      ].sort(),
    );
    for (const m of manifests) {
      const clusterScoped = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'];
      expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe(
        clusterScoped.includes(m.kind) ? undefined : NAMESPACE,
      );
    }
  });

  it('validates every manifest against the published schema of its kind', async () => {
    for (const manifest of manifests) {
      const Model = await modelFor(manifest);
      expect(
        () => new Model(manifest).validate(),
        `${manifest.kind}/${manifest.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('catches a manifest that breaks its schema (the validation has teeth)', async () => {
    const deployment = structuredClone(find(manifests, 'Deployment'));
    deployment.spec.replicas = 'two';
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    const Model = await modelFor(deployment);
    expect(() => new Model(deployment).validate()).toThrow(/replicas must be integer/);
  });

  it('ships CRDs identical to crds/ (deploy/crds is a generated copy)', () => {
    const source = readdirSync(path.join(REPO_ROOT, 'crds')).filter((f) => f.endsWith('.yaml'));
    expect(source.length, 'crds/ is empty: run `npm run crds:generate`').toBeGreaterThan(0);
    const copy = readdirSync(path.join(REPO_ROOT, 'deploy/crds')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect(copy.sort()).toEqual(source.sort());
    for (const file of source) {
      expect(
        readFileSync(path.join(REPO_ROOT, 'deploy/crds', file), 'utf8'),
        `deploy/crds/${file} differs from crds/${file}: run \`kv-rollover crds --write deploy/crds --no-readme\``,
      ).toBe(readFileSync(path.join(REPO_ROOT, 'crds', file), 'utf8'));
    }
  });

  it('validates the sample resources against the CRDs’ schemas', () => {
    const samplesDir = path.join(REPO_ROOT, 'deploy/samples');
    const samples = readdirSync(samplesDir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(samplesDir, f), 'utf8')).map((d) => d.toJS()))
      .filter((m: Manifest | null): m is Manifest => m !== null && m.apiVersion?.startsWith(`${API_GROUP}/`));
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const crd = manifests.find(
        (m) => m.kind === 'CustomResourceDefinition' && m.spec.names.kind === sample.kind,
      );
      expect(crd, sample.kind).toBeDefined();
      const validate = crdValidator(crd!);
      expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
      // And the schema rejects a broken one.
      const broken = structuredClone(sample);
      broken.spec.azure.subscriptionId = 'not-a-guid';
      expect(validate(broken)).toBe(false);
    }
  });

  it('runs the operator with workload identity under its own ServiceAccount', () => {
    const serviceAccount = find(manifests, 'ServiceAccount', 'kv-rollover');
    expect(serviceAccount.metadata.annotations['azure.workload.identity/client-id']).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    const pod = find(manifests, 'Deployment').spec.template;
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(pod.spec.serviceAccountName).toBe('kv-rollover');
  });

  it('grants least privilege: its kinds read-only, their /status writable, Events, Secrets read-only, Leases', () => {
    const clusterRole = find(manifests, 'ClusterRole', 'kv-rollover');
    const grants = new Map<string, string[]>();
    for (const rule of clusterRole.rules as Manifest[]) {
      for (const group of rule.apiGroups as string[]) {
        for (const resource of rule.resources as string[]) {
          const key = `${group}/${resource}`;
          grants.set(key, [...(grants.get(key) ?? []), ...(rule.verbs as string[])].sort());
        }
      }
    }
    const read = ['get', 'list', 'watch'];
    const statusWrite = ['get', 'patch', 'update'];
    expect(Object.fromEntries(grants)).toEqual({
      [`${API_GROUP}/${PLURAL_SERVICE_FABRIC}`]: read,
      [`${API_GROUP}/${PLURAL_BATCH_POOL}`]: read,
      [`${API_GROUP}/${PLURAL_SERVICE_FABRIC}/status`]: statusWrite,
      [`${API_GROUP}/${PLURAL_BATCH_POOL}/status`]: statusWrite,
      'events.k8s.io/events': ['create', 'patch'],
      '/events': ['create', 'patch'],
      '/secrets': read,
    });
    const allRules = manifests
      .filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role')
      .flatMap((m) => m.rules as Manifest[]);
    for (const rule of allRules) {
      for (const field of ['apiGroups', 'resources', 'verbs']) expect(rule[field]).not.toContain('*');
    }

    const role = find(manifests, 'Role', 'kv-rollover-leader-election');
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
    for (const [kind, roleKind, roleName] of [
      ['ClusterRoleBinding', 'ClusterRole', 'kv-rollover'],
      ['RoleBinding', 'Role', 'kv-rollover-leader-election'],
    ] as const) {
      const binding = find(manifests, kind);
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: roleKind,
        name: roleName,
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'kv-rollover', namespace: NAMESPACE },
      ]);
    }
  });

  it('deploys two hardened replicas with leader election, probes and resources', () => {
    const deployment = find(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    for (const [key, value] of Object.entries(
      deployment.spec.selector.matchLabels as Record<string, string>,
    )) {
      expect(deployment.spec.template.metadata.labels[key], key).toBe(value);
    }
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers as Manifest[];
    expect(container!.image).toBe(IMAGE);
    expect(container!.args).toEqual([
      'run',
      '--leader-elect',
      '--metrics-bind-address=:8080',
      '--health-probe-bind-address=:8081',
    ]);
    expect(container!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container!.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container!.resources.limits.memory).toEqual(expect.any(String));
    const ports = Object.fromEntries((container!.ports as Manifest[]).map((p) => [p.name, p.containerPort]));
    expect(ports).toEqual({ metrics: 8080, probes: 8081 });
    expect(container!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'probes' });
    expect(container!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'probes' });
    // A read-only root needs a writable scratch directory.
    const mounts = (container!.volumeMounts as Manifest[]).map((m) => m.mountPath);
    expect(mounts).toContain('/tmp');
    // The Lease namespace comes from the downward API.
    expect(container!.env).toContainEqual({
      name: 'POD_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
  });

  it('wires metrics: Service → pods, ServiceMonitor → Service, PodDisruptionBudget and NetworkPolicy → pods', () => {
    const podLabels = find(manifests, 'Deployment').spec.template.metadata.labels as Record<string, string>;
    const service = find(manifests, 'Service', 'kv-rollover-metrics');
    for (const [key, value] of Object.entries(service.spec.selector as Record<string, string>)) {
      expect(podLabels[key], key).toBe(value);
    }
    expect(service.spec.ports).toEqual([
      { name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' },
    ]);

    const monitor = find(manifests, 'ServiceMonitor');
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) {
      expect(service.metadata.labels[key], key).toBe(value);
    }
    expect(monitor.spec.endpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '30s', honorLabels: true },
    ]);
    // The absent-operator alert names the scrape job, which the Prometheus Operator sets to the Service name.
    const rule = find(manifests, 'PrometheusRule');
    const exprs = (rule.spec.groups as Manifest[]).flatMap((g) => g.rules as Manifest[]).map((r) => r.expr);
    expect(exprs.join('\n')).toContain(`up{job="${service.metadata.name}"}`);

    const budget = find(manifests, 'PodDisruptionBudget');
    expect(budget.spec.maxUnavailable).toBe(1);
    for (const [key, value] of Object.entries(budget.spec.selector.matchLabels as Record<string, string>)) {
      expect(podLabels[key], key).toBe(value);
    }

    const policy = find(manifests, 'NetworkPolicy');
    for (const [key, value] of Object.entries(
      policy.spec.podSelector.matchLabels as Record<string, string>,
    )) {
      expect(podLabels[key], key).toBe(value);
    }
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 'metrics', protocol: 'TCP' }] }]);
    const egressPorts = (policy.spec.egress as Manifest[])
      .flatMap((e) => e.ports as Manifest[])
      .map((p) => p.port);
    expect(egressPorts).toEqual(expect.arrayContaining([53, 443]));
  });
});

describe('deploy/overlays/event-grid', () => {
  let base: Manifest[];
  let overlay: Manifest[];
  beforeAll(() => {
    base = render('deploy');
    overlay = render('deploy/overlays/event-grid');
  });

  it('adds the webhook Service and Ingress to everything in the base', () => {
    const key = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
    expect(overlay.map(key).sort()).toEqual(
      [...base.map(key), 'Ingress/kv-rollover-event-grid', 'Service/kv-rollover-event-grid'].sort(),
    );
  });

  it('validates every manifest against the published schema of its kind', async () => {
    for (const manifest of overlay) {
      const Model = await modelFor(manifest);
      expect(
        () => new Model(manifest).validate(),
        `${manifest.kind}/${manifest.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('routes the Ingress to a webhook port the pods open and the NetworkPolicy admits', () => {
    const container = find(overlay, 'Deployment').spec.template.spec.containers[0] as Manifest;
    expect(container.args).toEqual([
      'run',
      '--leader-elect',
      '--metrics-bind-address=:8080',
      '--health-probe-bind-address=:8081',
      '--event-grid-bind-address=:8082',
    ]);
    expect(container.ports).toContainEqual({ name: 'event-grid', containerPort: 8082, protocol: 'TCP' });

    const service = find(overlay, 'Service', 'kv-rollover-event-grid');
    expect(service.spec.ports).toEqual([
      { name: 'event-grid', port: 80, targetPort: 'event-grid', protocol: 'TCP' },
    ]);
    const ingress = find(overlay, 'Ingress');
    expect(ingress.spec.tls).toHaveLength(1);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'kv-rollover-event-grid',
      port: { name: 'event-grid' },
    });
    expect(find(overlay, 'NetworkPolicy').spec.ingress).toContainEqual({
      ports: [{ port: 'event-grid', protocol: 'TCP' }],
    });
  });
});
