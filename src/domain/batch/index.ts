// The Batch pool rotation domain: observation of the raw REST bodies, the pure planner, its changes.
export {
  observeBatchPool,
  parsePool,
  parsePoolNodes,
  type BatchNodeObservation,
  type BatchPoolBodies,
  type BatchPoolObservation,
  type PoolKeyVaultExtension,
  type PoolObservation,
  type PoolObservedCertificate,
} from './observed.js';
export { planBatchPool, type BatchPlan, type BatchPlanContext, type BatchPlanStep } from './plan.js';
export type { BatchChange, BatchChangeOp, PoolBody, PoolKeyVaultExtensionBody } from './changes.js';
export {
  DEFAULT_POOL_EXTENSION_NAME,
  IMDS_IDENTITY_ENDPOINT,
  desiredExtension,
  withRotation,
  type BatchSpec,
} from './pool-body.js';
export { poolDrift, idleness, nodeConvergence } from './assessment.js';
export { describeBatchChange, renderBatchPlanText } from './render.js';
