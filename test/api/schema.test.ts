import { Ajv } from 'ajv';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { describe, expect, it } from 'vitest';
import {
  crdObjects,
  openApiSchema,
  validateBatchPoolRotation,
  validateServiceFabricRotation,
} from '../../src/api/index.js';
import { walkSchema, type JsonSchemaNode } from '../../src/api/schema-kit.js';
import {
  applyDefaults,
  compileCel,
  parseFieldPath,
  structuralSchemaErrors,
  validate,
} from '../../src/api/structural/index.js';
import { ConditionType, Phase } from '../../src/domain/names.js';
import { batchPoolSample, serviceFabricSample, variant, type Json } from './fixtures.js';

const KINDS = ['ServiceFabricCertificateRotation', 'BatchPoolCertificateRotation'] as const;

function everyNode(visit: (node: JsonSchemaNode, path: string, kind: string) => void) {
  for (const kind of KINDS) walkSchema(openApiSchema(kind), (node, path) => visit(node, path, kind));
}

describe('the openAPIV3Schema is structural', () => {
  it('has a type and a description on every node', () => {
    const missing: string[] = [];
    everyNode((node, path, kind) => {
      if (!node.type) missing.push(`${kind} ${path}: type`);
      // metadata is `type: object` only: the API server owns its schema
      if (!node.description && path !== 'metadata') missing.push(`${kind} ${path}: description`);
    });
    expect(missing).toEqual([]);
  });

  it('passes the structural checks of the engine the Kubernetes emulator registers CRDs with', () => {
    for (const kind of KINDS) expect(structuralSchemaErrors(openApiSchema(kind), kind)).toEqual([]);
  });

  it('uses none of the keywords a structural schema forbids or that we avoid', () => {
    const found: string[] = [];
    everyNode((node, path, kind) => {
      for (const keyword of [
        '$ref',
        'anyOf',
        'oneOf',
        'allOf',
        'not',
        'additionalProperties',
        'const',
        'patternProperties',
      ]) {
        if (keyword in node) found.push(`${kind} ${path}: ${keyword}`);
      }
    });
    expect(found).toEqual([]);
  });

  it('keeps list-map keys required and set items scalar', () => {
    everyNode((node, path) => {
      if (node['x-kubernetes-list-type'] === 'map') {
        for (const key of node['x-kubernetes-list-map-keys'] ?? []) {
          expect(node.items?.required, `${path} map key ${key}`).toContain(key);
        }
      }
      if (node['x-kubernetes-list-type'] === 'set') {
        expect(['string', 'integer', 'number', 'boolean'], path).toContain(node.items?.type);
      }
    });
  });

  it('has defaults that are valid against their own schema (the API server checks this)', () => {
    let defaults = 0;
    everyNode((node, path) => {
      if (node.default === undefined) return;
      defaults++;
      const value = structuredClone(node.default);
      applyDefaults(node, value);
      expect(validate(node, value), path).toEqual([]);
    });
    expect(defaults).toBeGreaterThan(15);
  });

  it('has CEL rules that compile and field paths that name a field', () => {
    let rules = 0;
    everyNode((node, path) => {
      for (const rule of node['x-kubernetes-validations'] ?? []) {
        rules++;
        expect(compileCel(rule.rule), `${path}: ${rule.rule}`).not.toBeInstanceOf(Error);
        expect(rule.message, rule.rule).toBeTruthy();
        if (rule.fieldPath) {
          let target: JsonSchemaNode | undefined = node;
          for (const name of parseFieldPath(rule.fieldPath) ?? ['?']) target = target?.properties?.[name];
          expect(target, `${path}${rule.fieldPath}`).toBeDefined();
        }
      }
    });
    expect(rules).toBeGreaterThan(10);
  });

  it('keeps the field names of the public contract (design §3)', () => {
    const paths = new Set<string>();
    walkSchema(openApiSchema('ServiceFabricCertificateRotation'), (_, path) => paths.add(path));
    for (const path of [
      'spec.azure.subscriptionId',
      'spec.azure.resourceGroup',
      'spec.azure.credentialRef.name',
      'spec.cluster.name',
      'spec.cluster.nodeTypes[].name',
      'spec.cluster.nodeTypes[].vmssName',
      'spec.certificate.vault',
      'spec.certificate.name',
      'spec.certificate.commonName',
      'spec.certificate.issuerThumbprints',
      'spec.certificate.x509StoreName',
      'spec.mode',
      'spec.identity.resourceId',
      'spec.identity.clientId',
      'spec.identity.grantVaultAccess',
      'spec.keyVaultExtension.pollingIntervalInS',
      'spec.keyVaultExtension.linkOnRenewal',
      'spec.keyVaultExtension.requireInitialSync',
      'spec.keyVaultExtension.type',
      'spec.keyVaultExtension.typeHandlerVersion',
      'spec.policy.expiryWarning',
      'spec.policy.expiryCritical',
      'spec.policy.approval',
      'spec.policy.maintenanceWindows',
      'spec.policy.suspend',
      'spec.policy.quarantineUntrustedVersions',
      'status.observedGeneration',
      'status.conditions',
      'status.phase',
      'status.currentStep',
      'status.plan.steps[].state',
      'status.certificates.vaultLatest.thumbprint',
      'status.certificates.inUse.notAfter',
      'status.certificates.inUse.issuerThumbprint',
    ]) {
      expect(paths, path).toContain(path);
    }
    const batch = new Set<string>();
    walkSchema(openApiSchema('BatchPoolCertificateRotation'), (_, path) => batch.add(path));
    for (const path of [
      'spec.batchAccount',
      'spec.pool.name',
      'spec.pool.body',
      'spec.certificates[].secretId',
      'spec.certificates[].storeLocation',
      'spec.certificates[].storeName',
      'spec.certificates[].keyExportable',
      'spec.identity.clientId',
      'spec.policy.recreate',
    ]) {
      expect(batch, path).toContain(path);
    }
  });
});

describe('the CRDs', () => {
  const crds = crdObjects();

  it('declare group, version, names, scope, categories and the status subresource', () => {
    expect(crds.map((c) => [c.metadata.name, c.spec.names.shortNames])).toEqual([
      ['servicefabriccertificaterotations.kvrollover.io', ['sfcr']],
      ['batchpoolcertificaterotations.kvrollover.io', ['bpcr']],
    ]);
    for (const crd of crds) {
      expect(crd.spec.group).toBe('kvrollover.io');
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names.categories).toEqual(['kvrollover']);
      const [version] = crd.spec.versions;
      expect(version?.name).toBe('v1alpha1');
      expect(version?.subresources).toEqual({ status: {} });
    }
  });

  it('print Ready, Phase, Step, Expires and Age', () => {
    for (const crd of crds) {
      const columns = crd.spec.versions[0]?.additionalPrinterColumns ?? [];
      expect(columns.map((c) => [c.name, c.type, c.jsonPath])).toEqual([
        ['Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'],
        ['Phase', 'string', '.status.phase'],
        ['Step', 'string', '.status.currentStep'],
        ['Expires', 'string', '.status.certificates.inUse.notAfter'],
        ['Age', 'date', '.metadata.creationTimestamp'],
      ]);
    }
  });

  it('declare conditions as a list-map keyed by type, and observedGeneration at the top of status', () => {
    for (const kind of KINDS) {
      const status = openApiSchema(kind).properties?.status;
      const conditions = status?.properties?.conditions;
      expect(conditions?.['x-kubernetes-list-type']).toBe('map');
      expect(conditions?.['x-kubernetes-list-map-keys']).toEqual(['type']);
      expect(conditions?.items?.required?.sort()).toEqual([
        'lastTransitionTime',
        'message',
        'reason',
        'status',
        'type',
      ]);
      expect(status?.properties?.observedGeneration?.type).toBe('integer');
      expect(status?.properties?.phase?.enum).toEqual(Object.values(Phase));
    }
  });

  it('pass the CustomResourceDefinition validation of kubernetes-models (a tool we did not write)', () => {
    for (const crd of crds) {
      expect(() => new CustomResourceDefinition(crd as never).validate()).not.toThrow();
    }
    const broken = structuredClone(crds[0]) as unknown as Json;
    delete ((broken.spec as Json).names as Json).plural;
    expect(() => new CustomResourceDefinition(broken as never).validate()).toThrow(/plural/);
  });

  it('accept a status the controllers write, and reject a malformed condition', () => {
    const status = {
      observedGeneration: 3,
      conditions: [
        {
          type: ConditionType.Ready,
          status: 'False',
          reason: 'StepInProgress',
          message: 'installing the goal certificate',
          lastTransitionTime: '2026-11-22T10:00:00Z',
          observedGeneration: 3,
        },
      ],
      phase: 'Progressing',
      mode: 'CommonName',
      currentStep: 'InstallGoalCertificate',
      currentStepIndex: 1,
      stepStartedAt: '2026-11-22T10:00:00Z',
      plan: {
        steps: [
          { name: 'GrantVaultAccess', state: 'done' },
          { name: 'InstallGoalCertificate', state: 'current', reason: 'WaitingForScaleSetUpgrade' },
          { name: 'Steady', state: 'pending' },
        ],
      },
      hazards: [{ reason: 'CertificateExpiringSoon', severity: 'warning', message: 'expires in 20 days' }],
      certificates: {
        inUse: {
          thumbprint: 'A'.repeat(40),
          notBefore: '2026-01-01T00:00:00Z',
          notAfter: '2027-01-01T00:00:00Z',
        },
      },
      nodes: { converged: 3, total: 5 },
      pendingOperation: {
        step: 'InstallGoalCertificate',
        operation: 'vmss update',
        target: 'nt1vm',
        startedAt: '2026-11-22T10:00:00Z',
      },
      lastVaultPollTime: '2026-11-22T10:00:00Z',
    };
    const result = validateServiceFabricRotation({ ...serviceFabricSample(), status });
    expect(result.ok).toBe(true);
    // A newer operator's reason (version skew with the installed CRD) is still a valid status.
    const newer = variant(
      { ...serviceFabricSample(), status },
      { 'status.hazards.0.reason': 'SomeFutureHazard' },
    );
    expect(validateServiceFabricRotation(newer).ok).toBe(true);
    const bad = validateServiceFabricRotation(
      variant(
        { ...serviceFabricSample(), status },
        { 'status.conditions': [{ type: 'Ready', status: 'Yes' }] },
      ),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const fields = bad.errors.map((e) => e.field);
      expect(fields).toContain('status.conditions[0].status');
      expect(fields).toContain('status.conditions[0].reason');
      expect(fields).toContain('status.conditions[0].lastTransitionTime');
    }
  });
});

describe('cross-check with ajv (an independent JSON-schema validator) on the CRD schema', () => {
  function ajvFor(kind: (typeof KINDS)[number]) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
    for (const keyword of [
      'x-kubernetes-validations',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
    ]) {
      ajv.addKeyword(keyword);
    }
    ajv
      .addFormat('int64', true)
      .addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    return ajv.compile(openApiSchema(kind));
  }

  it('agrees that the samples are valid and fills the same defaults', () => {
    const sf = serviceFabricSample();
    expect(ajvFor('ServiceFabricCertificateRotation')(sf)).toBe(true);
    const ours = validateServiceFabricRotation(serviceFabricSample());
    expect(ours.ok && ours.value).toEqual(sf);

    const bp = batchPoolSample();
    expect(ajvFor('BatchPoolCertificateRotation')(bp)).toBe(true);
    const oursBp = validateBatchPoolRotation(batchPoolSample());
    expect(oursBp.ok && oursBp.value).toEqual(bp);
  });

  it.each([
    ['a wrong type', { 'spec.keyVaultExtension.pollingIntervalInS': 'hourly' }],
    ['a missing required field', { 'spec.cluster.nodeTypes': [{ name: 'nt1vm' }] }],
    ['a short thumbprint', { 'spec.certificate.issuerThumbprints': ['ABC'] }],
    ['an unsupported enum value', { 'spec.certificate.x509StoreName': 'Personal' }],
    ['a CN= prefix', { 'spec.certificate.commonName': 'CN=cluster.contoso.com' }],
    ['a zero polling interval', { 'spec.keyVaultExtension.pollingIntervalInS': 0 }],
  ])('agrees on rejecting %s', (_, changes) => {
    const input = variant(serviceFabricSample(), changes);
    expect(ajvFor('ServiceFabricCertificateRotation')(structuredClone(input))).toBe(false);
    expect(validateServiceFabricRotation(input).ok).toBe(false);
  });
});
