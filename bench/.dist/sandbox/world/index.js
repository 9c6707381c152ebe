// The simulated world: public surface for the emulator's resource providers and the scenarios.
export * from './types.js';
export * from './sf-runtime.js';
export * from './sf-upgrade-flow.js';
export * from './sf-cluster-model.js';
export * from './sf-validation.js';
export * from './vmss-model.js';
export { CertificateStore } from './cert-store.js';
export { KeyVaultAgent, parseKeyVaultExtensionSettings } from './keyvault-agent.js';
export { SimNode } from './node.js';
export { ScaleSetSim, extensionSpecs, EXTENSION_PROVISIONING_TIMEOUT_MS } from './scale-set.js';
export { ClusterSim, ClusterState } from './sf-cluster.js';
export { PoolSim, accountEndpoint, checkPoolChange, poolExtensions, POOL_UPDATE_API } from './batch-pool.js';
export { AvailabilityHistory, evaluateAvailability } from './oracle.js';
export { Scheduler } from './scheduler.js';
export { SimWorld, nodeTypeOf } from './world.js';
export { AzureVaultPort, commonNameOfSubject } from './azure-vault-port.js';
export { attachSimulatedWorld, simulatedWorldProvider } from './attach.js';
//# sourceMappingURL=index.js.map