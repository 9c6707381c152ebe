// The Azure emulator with the simulated world attached and a scenario seeded, for the conformance
// tests that drive the real ARM/Batch SDKs (test/sandbox/azure/arm-*.test.ts).
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import type { Scenario, ScenarioResult } from '../../../src/sandbox/scenarios/common.js';
import { DEMO_SUBSCRIPTION_ID } from '../../../src/sandbox/scenarios/common.js';
import { simulatedWorldProvider } from '../../../src/sandbox/world/attach.js';
import type { SimWorld } from '../../../src/sandbox/world/world.js';
import { startTestSandbox } from '../azure/helpers.js';

export interface WorldSandbox {
  readonly sandbox: AzureSandbox;
  readonly sim: SimWorld;
  readonly seeded: ScenarioResult;
}

export const UD_MS = 60_000;

export async function startWorldSandbox(scenario: Scenario): Promise<WorldSandbox> {
  const attached = simulatedWorldProvider({ upgradeDomainDurationMs: UD_MS });
  const sandbox = await startTestSandbox({
    providers: [attached.provider],
    subscriptionId: DEMO_SUBSCRIPTION_ID,
    throttling: false,
  });
  const sim = attached.get();
  const seeded = await scenario.seed({
    azure: sandbox.world,
    sim,
    operatorObjectId: sandbox.operator.objectId,
  });
  return { sandbox, sim, seeded };
}

/** Gives a managed identity secrets get/list on a vault through an access policy (what GrantVaultAccess does). */
export function grantSecretsRead(sandbox: AzureSandbox, vault: string, identityClientId: string): void {
  const principal = sandbox.world.identities.byClientId(identityClientId);
  const record = sandbox.world.vaults.getVault(vault);
  if (principal === undefined || record === undefined) throw new Error('unknown identity or vault');
  record.accessPolicies.push({
    tenantId: sandbox.tenantId,
    objectId: principal.objectId,
    permissions: { secrets: ['get', 'list'] },
  });
}
