// Composes the simulated world with the Azure emulator: the world reads vaults and identities through
// the emulator's stores, shares its virtual clock, and serves Compute, Service Fabric and Batch over the
// emulator's router.
import { batchProvider } from '../azure/arm/batch.js';
import { batchDataPlaneProvider } from '../azure/arm/batch-data.js';
import { computeProvider } from '../azure/arm/compute.js';
import { serviceFabricProvider } from '../azure/arm/servicefabric.js';
import { AzureVaultPort } from './azure-vault-port.js';
import { SimWorld } from './world.js';
export function attachSimulatedWorld(azure, options = {}) {
    const sim = new SimWorld({
        clock: azure.clock,
        vault: new AzureVaultPort(azure, options),
        ...(options.scaleSetApplyDelayMs !== undefined
            ? { scaleSetApplyDelayMs: options.scaleSetApplyDelayMs }
            : {}),
        ...(options.upgradeDomainDurationMs !== undefined
            ? { upgradeDomainDurationMs: options.upgradeDomainDurationMs }
            : {}),
    });
    azure.registerArmProvider(computeProvider(sim));
    azure.registerArmProvider(serviceFabricProvider(sim));
    azure.registerArmProvider(batchProvider(sim));
    azure.registerArmProvider(batchDataPlaneProvider(sim));
    return sim;
}
/**
 * The world as a resource provider for `startAzureSandbox({ providers })`: registering it builds the
 * simulated world over that emulator; `get()` returns it afterwards.
 */
export function simulatedWorldProvider(options = {}) {
    let sim;
    return {
        provider: (azure) => {
            sim = attachSimulatedWorld(azure, options);
        },
        get: () => {
            if (sim === undefined)
                throw new Error('the simulated world is not attached to an Azure emulator yet');
            return sim;
        },
    };
}
//# sourceMappingURL=attach.js.map