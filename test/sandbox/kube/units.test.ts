// Pure pieces of the emulator: selectors, JSONPath, patch formats, field ownership, human durations.

import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from '../../../src/sandbox/kube/jsonpath.js';
import {
  fieldSet,
  serverSideApply,
  toFieldsV1,
  trackUpdate,
} from '../../../src/sandbox/kube/managed-fields.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../../src/sandbox/kube/patch.js';
import { parseFieldSelector, parseLabelSelector } from '../../../src/sandbox/kube/selectors.js';
import { ApiError } from '../../../src/sandbox/kube/status.js';
import { humanDuration } from '../../../src/sandbox/kube/table.js';
import type { KubeObject } from '../../../src/sandbox/kube/types.js';
import type { JSONSchemaProps } from '../../../src/api/structural/index.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'gold', n: '5' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (web, api)', true],
    ['tier notin (gold)', false],
    ['missing', false],
    ['!missing', true],
    ['app,tier=gold', true],
    ['n>4', true],
    ['n<5', false],
    ['app=web,tier in (silver)', false],
    ['', true],
  ];
  it.each(cases)('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
  it('rejects malformed selectors with 400', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(ApiError);
    expect(() => parseLabelSelector('=x')).toThrow(/unable to parse requirement/);
  });
  it('parses field selectors with escapes', () => {
    expect(parseFieldSelector('metadata.name=a\\,b,type!=Opaque')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'type', op: '!=', value: 'Opaque' },
    ]);
  });
});

describe('JSONPath', () => {
  const obj = {
    status: {
      conditions: [
        { type: 'Reconciling', status: 'False' },
        { type: 'Ready', status: 'True', observedGeneration: 3 },
      ],
      certs: { inUse: { notAfter: '2030-01-01T00:00:00Z' } },
    },
    'a.b': { c: 1 },
  };
  it('supports fields, filters, indices, wildcards and quoted names', () => {
    expect(evaluateJsonPath('.status.conditions[?(@.type=="Ready")].status', obj)).toEqual(['True']);
    expect(evaluateJsonPath('{.status.conditions[?(@.observedGeneration > 2)].type}', obj)).toEqual([
      'Ready',
    ]);
    expect(evaluateJsonPath('.status.conditions[-1].type', obj)).toEqual(['Ready']);
    expect(evaluateJsonPath('.status.conditions[*].type', obj)).toEqual(['Reconciling', 'Ready']);
    expect(evaluateJsonPath(".status.certs['inUse'].notAfter", obj)).toEqual(['2030-01-01T00:00:00Z']);
    expect(evaluateJsonPath("['a.b'].c", obj)).toEqual([1]);
    expect(evaluateJsonPath('.status.missing.deeper', obj)).toEqual([]);
  });
});

describe('patches', () => {
  it('merge patch (RFC 7386) deletes with null and replaces lists', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });
  it('JSON patch (RFC 6902) applies ops and fails a test op with 422', () => {
    const doc = { spec: { list: ['a', 'c'] } };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/spec/list/1', value: 'b' },
        { op: 'add', path: '/spec/list/-', value: 'd' },
        { op: 'copy', from: '/spec/list/0', path: '/spec/first' },
        { op: 'test', path: '/spec/first', value: 'a' },
      ]),
    ).toEqual({ spec: { list: ['a', 'b', 'c', 'd'], first: 'a' } });
    try {
      jsonPatch(doc, [{ op: 'test', path: '/spec/list/0', value: 'z' }]);
      expect.unreachable();
    } catch (err: unknown) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(422);
    }
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(ApiError);
  });
  it('strategic merge patch merges keyed lists and honours $patch directives', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string' } } },
        },
      },
    };
    const live = {
      items: [
        { name: 'a', v: '1' },
        { name: 'b', v: '2' },
      ],
      keep: { x: 1 },
    };
    expect(
      strategicMergePatch(
        live,
        {
          items: [
            { name: 'b', v: '3' },
            { name: 'a', $patch: 'delete' },
            { name: 'c', v: '4' },
          ],
          keep: { $patch: 'replace', y: 2 },
        },
        schema,
      ),
    ).toEqual({
      items: [
        { name: 'b', v: '3' },
        { name: 'c', v: '4' },
      ],
      keep: { y: 2 },
    });
  });
});

describe('field ownership', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
          },
        },
      },
    },
  };
  const obj = (
    spec: Record<string, unknown>,
    managedFields?: KubeObject['metadata']['managedFields'],
  ): KubeObject => ({
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: {
      name: 'w',
      uid: 'u',
      resourceVersion: '1',
      creationTimestamp: 't',
      labels: { a: 'b' },
      managedFields,
    },
    spec,
  });
  const id = (manager: string) => ({ manager, apiVersion: 'example.io/v1', time: 't' });

  it('encodes FieldsV1 with keyed items, set values and `.` markers', () => {
    const set = fieldSet(
      obj({ size: 1, tags: ['x'], ports: [{ name: 'http', port: 80 }] }),
      { ...schema, properties: { ...schema.properties } },
      'all',
    );
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
      'f:spec': {
        'f:size': {},
        'f:tags': { '.': {}, 'v:"x"': {} },
        'f:ports': { '.': {}, 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
      },
    });
  });

  it('moves changed fields to the updater and merges applied list items by key', () => {
    const created = obj({ size: 1, ports: [{ name: 'http', port: 80 }] });
    created.metadata.managedFields = trackUpdate(undefined, created, schema, 'all', id('creator'));
    const updated = obj({ size: 2, ports: [{ name: 'http', port: 80 }] }, created.metadata.managedFields);
    const afterUpdate = trackUpdate(created, updated, schema, 'all', id('editor'));
    expect(afterUpdate.find((m) => m.manager === 'editor')?.fieldsV1).toEqual({ 'f:spec': { 'f:size': {} } });
    updated.metadata.managedFields = afterUpdate;
    const applied = serverSideApply(
      updated,
      obj({ ports: [{ name: 'https', port: 443 }] }),
      schema,
      'all',
      { ...id('applier') },
      false,
    );
    expect(applied.conflicts).toEqual([]);
    expect((applied.object.spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 80 },
      { name: 'https', port: 443 },
    ]);
    const conflict = serverSideApply(updated, obj({ size: 9 }), schema, 'all', id('applier'), false);
    expect(conflict.conflicts).toEqual([
      { manager: 'editor', operation: 'Update', apiVersion: 'example.io/v1', path: '.spec.size' },
    ]);
  });
});

describe('human durations (as kubectl prints ages)', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3600_000 + 20 * 60_000, '3h20m'],
    [30 * 3600_000, '30h'],
    [50 * 3600_000, '2d2h'],
    [400 * 24 * 3600_000, '400d'],
    [3 * 365 * 24 * 3600_000, '3y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
