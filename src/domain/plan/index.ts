// The pure planners and the Plan JSON (design §2).
export { planServiceFabric } from './service-fabric.js';
export { renderPlanText, describeChange } from './render.js';
export {
  nextStartingStateUpgrade,
  type StartingStateDecision,
  type ThumbprintPair,
} from './starting-state.js';
export { insideWindow, maintenanceWindowOpen, type MaintenanceWindow } from './gates.js';
export {
  keyVaultExtensionSettings,
  DEFAULT_KEY_VAULT_EXTENSION_NAME,
  IMDS_IDENTITY_ENDPOINT,
} from './common-name.js';
export type {
  Change,
  ChangeOp,
  CommonNameDeclaration,
  ExtensionThumbprint,
  KeyVaultExtensionSettings,
  ThumbprintDeclaration,
} from './changes.js';
export type { Plan, PlanCertificate, PlanContext, PlanHazard, PlanStep } from './types.js';
