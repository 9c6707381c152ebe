// The custom resource API of kv-rollover: schemas (one source of truth), the TypeScript types derived from
// them, the runtime validators, and the CRD objects.
export {
  BatchCertificateReferenceSchema,
  BatchCertificateSchema,
  BatchPoolRotationSchema,
  BatchPoolSpecSchema,
  type BatchPoolCertificateRotation,
  type BatchPoolCertificateRotationSpec,
  type BatchPoolCertificateRotationStatus,
  type BatchPoolRotationPolicy,
  type BatchCertificateReference,
} from './batch-pool.js';
export {
  AzureSchema,
  CertificatePolicySchema,
  CONTENT_TYPES,
  DEFAULT_EKUS,
  EC_CURVES,
  EXTENSION_TYPES,
  KEY_TYPES,
  RECREATE_POLICIES,
  WEEKDAYS,
  X509_STORE_NAMES,
  type AzureCoordinates,
  type CertificatePolicy,
  type ExtensionType,
  type KeyVaultExtensionSpec,
  type MaintenanceWindow,
  type RotationPolicy,
} from './common.js';
export {
  CATEGORY,
  crdObjects,
  crdsYaml,
  crdYaml,
  openApiSchema,
  type CustomResourceDefinition,
  type PrinterColumn,
} from './crds.js';
export { durationMilliseconds, durationMinutes } from './duration.js';
export { ROTATION_API_VERSION, type ResourceMetadata } from './metadata.js';
export {
  ServiceFabricCertificateSchema,
  ServiceFabricRotationSchema,
  ServiceFabricSpecSchema,
  type ServiceFabricCertificateRotation,
  type ServiceFabricCertificateRotationSpec,
  type ServiceFabricCertificateRotationStatus,
} from './service-fabric.js';
export {
  CertificateInfoSchema,
  ConditionSchema,
  HazardStatusSchema,
  MODES,
  PlanStepStatusSchema,
  RotationStatusSchema,
  type CertificateInfo,
  type Condition,
  type HazardStatus,
  type Mode,
  type PlanStepStatus,
  type RotationStatus,
} from './status.js';
export {
  formatFieldErrors,
  schemaAt,
  validateBatchPoolRotation,
  validateRotation,
  validateServiceFabricRotation,
  type FieldError,
  type Rotation,
  type ValidationOptions,
  type ValidationResult,
} from './validate.js';
