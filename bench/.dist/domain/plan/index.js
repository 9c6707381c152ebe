// The pure planners and the Plan JSON (design §2).
export { planServiceFabric } from './service-fabric.js';
export { renderPlanText, describeChange } from './render.js';
export { nextStartingStateUpgrade, } from './starting-state.js';
export { insideWindow, maintenanceWindowOpen } from './gates.js';
export { keyVaultExtensionSettings, DEFAULT_KEY_VAULT_EXTENSION_NAME, IMDS_IDENTITY_ENDPOINT, } from './common-name.js';
//# sourceMappingURL=index.js.map