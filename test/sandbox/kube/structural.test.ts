import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '../../../src/api/structural/index.js';
import {
  invalidMessage,
  parseFieldPath,
  processObject,
  structuralSchemaErrors,
  validate,
} from '../../../src/api/structural/index.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['certificate', 'mode'],
      properties: {
        mode: { type: 'string', enum: ['CommonName', 'Thumbprint'] },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 5 } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        certificate: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, pattern: '^[a-z0-9-]+$' },
            x509StoreName: { type: 'string', default: 'My' },
            issuerThumbprints: {
              type: 'array',
              maxItems: 3,
              'x-kubernetes-list-type': 'set',
              items: { type: 'string', pattern: '^[A-F0-9]{40}$' },
            },
            notAfter: { type: 'string', format: 'date-time' },
          },
        },
        nodeTypes: {
          type: 'array',
          minItems: 1,
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              vmssName: { type: 'string' },
              weight: { type: 'integer', default: 1 },
            },
          },
        },
        policy: {
          type: 'object',
          default: {},
          properties: {
            approval: { type: 'string', default: 'Automatic', enum: ['Automatic', 'Manual'] },
            suspend: { type: 'boolean', default: false },
          },
        },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const thumb = 'A'.repeat(40);
const valid = () => ({
  apiVersion: 'kvrollover.io/v1alpha1',
  kind: 'ServiceFabricCertificateRotation',
  metadata: { name: 'a', namespace: 'default', labels: { x: 'y' } },
  spec: {
    mode: 'CommonName',
    certificate: { name: 'cluster-cert', issuerThumbprints: [thumb] },
    nodeTypes: [{ name: 'nt0', vmssName: 'vmss0' }],
  },
});

/** A copy of `base` with dotted paths set (or deleted when the value is undefined). */
function changed<T>(base: T, changes: Record<string, unknown>): T {
  const copy = structuredClone(base);
  for (const [path, value] of Object.entries(changes)) {
    const parts = path.split('.');
    let node = copy as Record<string, unknown>;
    for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
    const last = parts[parts.length - 1]!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

describe('pruning', () => {
  it('drops undeclared fields, keeps metadata and preserved subtrees, reports what it dropped', () => {
    const input = {
      ...valid(),
      extra: 1,
      spec: {
        ...valid().spec,
        bogus: true,
        free: { anything: { deep: 1 } },
        certificate: { name: 'x', y: 2 },
      },
    };
    const { object, causes, prunedFields } = processObject(schema, input);
    expect(causes).toEqual([]);
    expect(prunedFields.sort()).toEqual(['extra', 'spec.bogus', 'spec.certificate.y']);
    expect(object.metadata.labels).toEqual({ x: 'y' });
    expect(object.spec.free).toEqual({ anything: { deep: 1 } });
    expect(object).not.toHaveProperty('extra');
    expect(input).toHaveProperty('extra'); // input untouched
  });
});

describe('defaulting', () => {
  it('applies defaults, nested defaults of defaults, and per list item', () => {
    const { object } = processObject(schema, valid());
    expect(object.spec.certificate).toMatchObject({ x509StoreName: 'My' });
    expect((object.spec as Record<string, unknown>).policy).toEqual({
      approval: 'Automatic',
      suspend: false,
    });
    expect(object.spec.nodeTypes[0]).toEqual({ name: 'nt0', vmssName: 'vmss0', weight: 1 });
  });

  it('replaces a non-nullable null by its default and drops one without default', () => {
    const input = changed(valid(), {
      'spec.policy': { approval: null, suspend: true },
      'spec.replicas': null,
    });
    const { object, causes } = processObject(schema, input);
    expect(causes).toEqual([]);
    expect((object.spec as Record<string, unknown>).policy).toEqual({ approval: 'Automatic', suspend: true });
    expect(object.spec).not.toHaveProperty('replicas');
  });
});

describe('OpenAPI validation wording', () => {
  const causesOf = (changes: Record<string, unknown>) =>
    processObject(schema, changed(valid(), changes)).causes;

  it('enum → NotSupported with the supported values', () => {
    expect(causesOf({ 'spec.mode': 'X' })).toContainEqual({
      type: 'FieldValueNotSupported',
      field: 'spec.mode',
      message: 'Unsupported value: "X": supported values: "CommonName", "Thumbprint"',
    });
  });

  it('required → FieldValueRequired', () => {
    expect(causesOf({ 'spec.certificate.name': undefined })).toContainEqual({
      type: 'FieldValueRequired',
      field: 'spec.certificate.name',
      message: 'Required value',
    });
  });

  it('wrong type → FieldValueTypeInvalid', () => {
    expect(causesOf({ 'spec.replicas': 'three' })).toContainEqual({
      type: 'FieldValueTypeInvalid',
      field: 'spec.replicas',
      message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    });
    expect(causesOf({ 'spec.replicas': 1.5 })[0]?.message).toBe(
      'Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    );
  });

  it('pattern, format, bounds, lengths and item counts', () => {
    const causes = causesOf({
      'spec.certificate.issuerThumbprints': ['abc', thumb, 'B'.repeat(40), 'C'.repeat(40)],
      'spec.certificate.notAfter': 'tomorrow',
      'spec.certificate.name': '',
      'spec.replicas': 15,
      'spec.ratio': 1,
      'spec.labels': { k: 'toolong' },
      'spec.nodeTypes': [],
    });
    expect(causes).toEqual(
      expect.arrayContaining([
        {
          type: 'FieldValueTooMany',
          field: 'spec.certificate.issuerThumbprints',
          message: 'Too many: 4: must have at most 3 items',
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.certificate.issuerThumbprints[0]',
          message: `Invalid value: "abc": spec.certificate.issuerThumbprints[0] in body should match '^[A-F0-9]{40}$'`,
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.certificate.notAfter',
          message:
            'Invalid value: "tomorrow": spec.certificate.notAfter in body must be of type date-time: "tomorrow"',
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.certificate.name',
          message: 'Invalid value: "": spec.certificate.name in body should be at least 1 chars long',
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.replicas',
          message: 'Invalid value: 15: spec.replicas in body should be less than or equal to 10',
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.ratio',
          message: 'Invalid value: 1: spec.ratio in body should be less than 1',
        },
        {
          type: 'FieldValueTooLong',
          field: 'spec.labels.k',
          message: 'Too long: may not be more than 5 bytes',
        },
        {
          type: 'FieldValueInvalid',
          field: 'spec.nodeTypes',
          message: 'Invalid value: 0: spec.nodeTypes in body should have at least 1 items',
        },
      ]),
    );
  });

  it('list-type set and map reject duplicates', () => {
    const causes = causesOf({
      'spec.certificate.issuerThumbprints': [thumb, thumb],
      'spec.nodeTypes': [{ name: 'a' }, { name: 'b' }, { name: 'a', vmssName: 'other' }],
    });
    expect(causes).toEqual(
      expect.arrayContaining([
        {
          type: 'FieldValueDuplicate',
          field: 'spec.certificate.issuerThumbprints[1]',
          message: `Duplicate value: "${thumb}"`,
        },
        { type: 'FieldValueDuplicate', field: 'spec.nodeTypes[2]', message: 'Duplicate value: {"name":"a"}' },
      ]),
    );
  });
});

describe('x-kubernetes-validations (CEL)', () => {
  const celSchema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          {
            rule: 'self.minReplicas <= self.maxReplicas',
            message: 'minReplicas must not exceed maxReplicas',
          },
          {
            rule: "!has(self.mode) || self.mode != 'Thumbprint' || has(self.secondary)",
            messageExpression: "'mode ' + self.mode + ' needs secondary'",
            fieldPath: '.secondary',
            reason: 'FieldValueRequired',
          },
          { rule: '!has(self.ratio) || self.ratio * 2.0 < 3.0' },
        ],
        properties: {
          minReplicas: { type: 'integer' },
          maxReplicas: { type: 'integer' },
          ratio: { type: 'number', default: 1 },
          mode: { type: 'string', enum: ['CommonName', 'Thumbprint'] },
          secondary: { type: 'string' },
          immutable: {
            type: 'string',
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable is immutable' }],
          },
          items: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-validations': [{ rule: 'self.all(x, x.startsWith("v"))' }],
          },
        },
      },
    },
  };
  const obj = (spec: Record<string, unknown>) => ({ metadata: { name: 'n' }, spec });

  it('reports a failed rule with its message, at the node, as Invalid "object"', () => {
    const { causes } = processObject(celSchema, obj({ minReplicas: 5, maxReplicas: 2, mode: 'CommonName' }));
    expect(causes).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "object": minReplicas must not exceed maxReplicas',
      },
    ]);
  });

  it('uses messageExpression, fieldPath and reason', () => {
    const { causes } = processObject(celSchema, obj({ minReplicas: 1, maxReplicas: 2, mode: 'Thumbprint' }));
    expect(causes).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.secondary',
        message: 'Required value: mode Thumbprint needs secondary',
      },
    ]);
  });

  it('treats number fields as doubles and integer fields as ints', () => {
    expect(processObject(celSchema, obj({ minReplicas: 1, maxReplicas: 1, ratio: 2 })).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "object": failed rule: !has(self.ratio) || self.ratio * 2.0 < 3.0',
      },
    ]);
  });

  it('evaluates macros over lists', () => {
    const { causes } = processObject(celSchema, obj({ minReplicas: 1, maxReplicas: 1, items: ['v1', 'x2'] }));
    expect(causes.map((c) => c.field)).toEqual(['spec.items']);
    expect(causes[0]?.message).toBe('Invalid value: "array": failed rule: self.all(x, x.startsWith("v"))');
  });

  it('reports runtime errors such as a missing key the way cel-go does', () => {
    const { causes } = processObject(celSchema, obj({ maxReplicas: 1 }));
    expect(causes).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "object": no such key: minReplicas',
      },
    ]);
  });

  it('runs transition rules only on update, with oldSelf', () => {
    const created = obj({ minReplicas: 1, maxReplicas: 1, immutable: 'a' });
    expect(processObject(celSchema, created).causes).toEqual([]);
    const changed = obj({ minReplicas: 1, maxReplicas: 1, immutable: 'b' });
    expect(processObject(celSchema, changed, { oldObject: created }).causes).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.immutable',
        message: 'Invalid value: "string": immutable is immutable',
      },
    ]);
    expect(processObject(celSchema, created, { oldObject: created }).causes).toEqual([]);
  });

  it('skips CEL when a blocking error exists, and says so', () => {
    const { causes } = processObject(celSchema, obj({ minReplicas: 5, maxReplicas: 2, mode: 'Nope' }));
    expect(causes.map((c) => c.type)).toEqual(['FieldValueNotSupported', 'FieldValueInvalid']);
    expect(causes[1]).toEqual({
      type: 'FieldValueInvalid',
      field: '',
      message:
        'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    });
  });

  it('ratchets: an unchanged invalid value is accepted on update, a changed one is not', () => {
    const stored = obj({ minReplicas: 5, maxReplicas: 2 });
    expect(validate(celSchema, stored, { oldObject: stored })).toEqual([]);
    expect(validate(celSchema, stored, { oldObject: stored, ratcheting: false })).toHaveLength(1);
    const edited = obj({ minReplicas: 6, maxReplicas: 2 });
    expect(validate(celSchema, edited, { oldObject: stored })).toHaveLength(1);
  });
});

describe('Kubernetes CEL libraries', () => {
  const ruleSchema = (rule: string): JSONSchemaProps => ({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [{ rule }],
        properties: {
          ints: { type: 'array', items: { type: 'integer' } },
          names: { type: 'array', items: { type: 'string' } },
          text: { type: 'string' },
        },
      },
    },
  });
  const holds = (rule: string) =>
    validate(ruleSchema(rule), { spec: { ints: [1, 3, 5], names: ['b', 'a', 'b'], text: 'v1.2 and v3.4' } })
      .length === 0;

  it.each([
    'self.ints.isSorted()',
    '!self.names.isSorted()',
    'self.ints.sum() == 9',
    'self.ints.max() == 5 && self.ints.min() == 1',
    "self.names.indexOf('b') == 0 && self.names.lastIndexOf('b') == 2",
    "self.text.find('v[0-9.]+') == 'v1.2'",
    "self.text.findAll('v[0-9.]+') == ['v1.2', 'v3.4']",
    "size(self.text.findAll('v[0-9.]+', 1)) == 1",
  ])('%s', (rule) => {
    expect(holds(rule)).toBe(true);
  });

  it('reports a false rule and a type mismatch', () => {
    expect(holds('self.ints.sum() == 10')).toBe(false);
    expect(holds("self.ints.max() == 'x'")).toBe(false);
  });
});

describe('helpers', () => {
  it('formats the Invalid status message like apierrors.NewInvalid', () => {
    const one = [{ type: 'FieldValueRequired' as const, field: 'spec.a', message: 'Required value' }];
    expect(invalidMessage('Thing', 'example.io', 'x', one)).toBe(
      'Thing.example.io "x" is invalid: spec.a: Required value',
    );
    const two = [
      ...one,
      { type: 'FieldValueInvalid' as const, field: 'spec.b', message: 'Invalid value: 1: bad' },
    ];
    expect(invalidMessage('Secret', '', 'y', two)).toBe(
      'Secret "y" is invalid: [spec.a: Required value, spec.b: Invalid value: 1: bad]',
    );
  });

  it('parses rule field paths', () => {
    expect(parseFieldPath(".a.b['c.d']")).toEqual(['a', 'b', 'c.d']);
    expect(parseFieldPath('nope')).toBeUndefined();
  });

  it('finds non-structural schemas and rules that do not compile', () => {
    const bad: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          properties: { list: { type: 'array' } },
          'x-kubernetes-validations': [{ rule: 'self.a <' }],
        },
      },
    };
    const fields = structuralSchemaErrors(bad, 'spec.versions[0].schema.openAPIV3Schema').map((c) => c.field);
    expect(fields).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items',
    ]);
    expect(structuralSchemaErrors(schema, 'x')).toEqual([]);
  });
});
