// The Batch pool rotation domain: observation of the raw REST bodies, the pure planner, its changes.
export { observeBatchPool, parsePool, parsePoolNodes, } from './observed.js';
export { planBatchPool } from './plan.js';
export { DEFAULT_POOL_EXTENSION_NAME, IMDS_IDENTITY_ENDPOINT, desiredExtension, withRotation, } from './pool-body.js';
export { poolDrift, idleness, nodeConvergence } from './assessment.js';
export { describeBatchChange, renderBatchPlanText } from './render.js';
//# sourceMappingURL=index.js.map