// A generic engine for Kubernetes structural schemas (apiextensions.k8s.io/v1 `openAPIV3Schema`):
// pruning, defaulting, OpenAPI validation, list-type invariants and `x-kubernetes-validations` (CEL),
// with causes worded as the API server words them. Pure: no I/O.
//
//   const { object, causes, prunedFields } = processObject(schema, input, { oldObject });
//   if (causes.length) → 422 Invalid, message invalidMessage(kind, group, name, causes), details.causes = causes
//
// Used by the sandbox's API server (src/sandbox/kube) and by the product's CR validator (src/api).

import { applyDefaults } from './defaults.js';
import type { FieldCause } from './causes.js';
import { prune } from './prune.js';
import type { JSONSchemaProps } from './schema.js';
import { deepClone } from './schema.js';
import { validate } from './validate.js';

export type { JSONSchemaProps, ValidationRule, RuleReason, SchemaType } from './schema.js';
export type { CauseType, FieldCause } from './causes.js';
export {
  aggregateMessage,
  causeToString,
  duplicate,
  forbidden,
  formatBadValue,
  internalError,
  invalid,
  invalidMessage,
  notFound,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './causes.js';
export { prune, type PruneOptions } from './prune.js';
export { applyDefaults } from './defaults.js';
export { validate, hasRules, jsonTypeName, type ValidateOptions } from './validate.js';
export {
  compileCel,
  evaluateRules,
  fromCelValue,
  isTransitionRule,
  parseFieldPath,
  toCelValue,
} from './cel.js';
export { matchesFormat } from './formats.js';
export { structuralSchemaErrors } from './structural.js';
export { deepClone, deepEqual, isJsonObject } from './schema.js';

export interface ProcessOptions {
  /** The stored object, on update: enables transition rules (`oldSelf`) and validation ratcheting. */
  oldObject?: unknown;
  /** The value is a whole Kubernetes object, so `apiVersion`/`kind`/`metadata` survive pruning (default true). */
  resourceRoot?: boolean;
  /** Do not re-validate values unchanged since `oldObject` (default true, Kubernetes ≥ 1.33). */
  ratcheting?: boolean;
}

export interface ProcessResult<T> {
  /** A pruned and defaulted copy of the input (the input is never modified). */
  object: T;
  /** Empty when the object is valid. */
  causes: FieldCause[];
  /** Paths of the unknown fields dropped, e.g. `spec.foo` (for `fieldValidation=Strict|Warn`). */
  prunedFields: string[];
}

/** What the API server does to a custom resource on create/update: prune → default → validate. */
export function processObject<T>(
  schema: JSONSchemaProps,
  input: T,
  options: ProcessOptions = {},
): ProcessResult<T> {
  const object = deepClone(input);
  const prunedFields = prune(schema, object, { resourceRoot: options.resourceRoot ?? true });
  applyDefaults(schema, object);
  const causes = validate(schema, object, {
    oldObject: options.oldObject,
    ratcheting: options.ratcheting ?? true,
  });
  return { object, causes, prunedFields };
}
