// The scenarios `kv-rollover sandbox --scenario NAME` and `demo` seed. A scenario seeds the Azure
// emulator's stores (vault, CAs, identities) and the simulated world (scale sets, clusters, Batch).
import { batchScenario } from './batch.js';
import { serviceFabricScenario } from './servicefabric.js';
export * from './common.js';
export * from './servicefabric.js';
export * from './batch.js';
export const SCENARIOS = {
    [serviceFabricScenario.name]: serviceFabricScenario,
    [batchScenario.name]: batchScenario,
};
export const DEFAULT_SCENARIO = serviceFabricScenario.name;
export function scenarioByName(name) {
    return SCENARIOS[name];
}
//# sourceMappingURL=index.js.map