// The custom resource API of kv-rollover: schemas (one source of truth), the TypeScript types derived from
// them, the runtime validators, and the CRD objects.
export { BatchCertificateReferenceSchema, BatchCertificateSchema, BatchPoolRotationSchema, BatchPoolSpecSchema, } from './batch-pool.js';
export { AzureSchema, CertificatePolicySchema, CONTENT_TYPES, DEFAULT_EKUS, EC_CURVES, EXTENSION_TYPES, KEY_TYPES, RECREATE_POLICIES, WEEKDAYS, X509_STORE_NAMES, } from './common.js';
export { CATEGORY, crdObjects, crdsYaml, crdYaml, openApiSchema, } from './crds.js';
export { durationMilliseconds, durationMinutes } from './duration.js';
export { ROTATION_API_VERSION } from './metadata.js';
export { ServiceFabricCertificateSchema, ServiceFabricRotationSchema, ServiceFabricSpecSchema, } from './service-fabric.js';
export { CertificateInfoSchema, ConditionSchema, HazardStatusSchema, MODES, PlanStepStatusSchema, RotationStatusSchema, } from './status.js';
export { formatFieldErrors, schemaAt, validateBatchPoolRotation, validateRotation, validateServiceFabricRotation, } from './validate.js';
//# sourceMappingURL=index.js.map