// The Azure adapter layer: configuration (cloud, credentials), the instrumented SDK clients, raw
// REST reads for the snapshot and the domain parsers, write primitives for the controller, and the
// error classification every caller relies on.
export * from './cloud.js';
export * from './credentials.js';
export * from './clients.js';
export * from './errors.js';
export * from './lro.js';
export * from './pipeline.js';
export * from './keyvault.js';
export * from './arm.js';
export * from './batch.js';
export * from './operations.js';
//# sourceMappingURL=index.js.map