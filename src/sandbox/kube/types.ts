// The shapes the emulator stores and serves. Objects are kept as plain JSON (as etcd keeps them).

import type { FieldCause, JSONSchemaProps } from '../../api/structural/index.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Record<string, unknown>[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** A built-in column whose cell is computed in code (e.g. `DATA` = number of keys of a Secret). */
export interface ComputedColumn {
  name: string;
  type: PrinterColumn['type'];
  description?: string;
  format?: string;
  priority?: number;
  cell: (object: KubeObject, now: Date) => unknown;
}

/** Type-specific behaviour of a resource (built-ins in code, CRDs from their schema). */
export interface ResourceStrategy {
  /** Normalises an incoming object (e.g. Secret stringData → data) before validation. */
  prepare?(object: KubeObject, old: KubeObject | undefined): void;
  /** Returns field errors (422) — after prepare. */
  validate?(object: KubeObject, old: KubeObject | undefined): FieldCause[];
  /** Whether metadata.generation is maintained (spec-bearing kinds). */
  generation: boolean;
  /** Updates without metadata.resourceVersion are allowed (last write wins). */
  allowUnconditionalUpdate: boolean;
  /** Fields selectable in fieldSelector besides metadata.name/namespace (value getter by label). */
  selectableFields?: Record<string, (object: KubeObject) => string | undefined>;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** The status subresource is enabled: main writes ignore status, /status writes ignore the rest. */
  statusSubresource: boolean;
  verbs: string[];
  /** Objects of this type live under this key (several served versions / groups may share one). */
  storageKey: string;
  /** CRD-defined: the structural schema for this version. */
  schema?: JSONSchemaProps;
  printerColumns: (PrinterColumn | ComputedColumn)[];
  strategy: ResourceStrategy;
  /** Set for custom resources: the CRD's name. */
  crd?: string;
  /** Converts the stored form to this version's form and back (events.k8s.io ↔ core Events). */
  fromStorage?(object: KubeObject): KubeObject;
  toStorage?(object: KubeObject): KubeObject;
  /** OpenAPI schema published in /openapi/v3 (CRDs: their schema; built-ins: a sketch). */
  openAPISchema?: JSONSchemaProps;
  /** Merge keys of lists (for managedFields/strategic merge of built-ins), by dotted path. */
  listMapKeys?: Record<string, string[]>;
}

export const apiVersionOf = (type: Pick<ResourceType, 'group' | 'version'>): string =>
  type.group ? `${type.group}/${type.version}` : type.version;
