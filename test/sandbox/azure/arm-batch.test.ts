// Microsoft.Batch pools through the real @azure/arm-batch 9.1.0 client, and the Batch service data plane
// (nodes and node extensions) through the real @azure/batch 10.2.0 client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchManagementClient } from '@azure/arm-batch';
import type { Pool } from '@azure/arm-batch';
import { BatchServiceClient } from '@azure/batch';
import { TokenCredentials } from '@azure/ms-rest-js';
import {
  BATCH_ACCOUNT,
  BATCH_CERTIFICATE,
  BATCH_POOL,
  DEMO_RESOURCE_GROUP,
  batchScenario,
} from '../../../src/sandbox/scenarios/index.js';
import type { WorldSandbox } from '../world/azure-fixture.js';
import { grantSecretsRead, startWorldSandbox } from '../world/azure-fixture.js';
import { clientOptions, operatorCredential, proxyAgent } from './helpers.js';
import { UBUNTU_POOL_IMAGE } from '../../../src/sandbox/scenarios/scale.js';

let env: WorldSandbox;
let arm: BatchManagementClient;
let data: BatchServiceClient;
const RG = DEMO_RESOURCE_GROUP;

beforeAll(async () => {
  env = await startWorldSandbox(batchScenario);
  const credential = operatorCredential(env.sandbox);
  arm = new BatchManagementClient(credential, env.sandbox.subscriptionId, {
    ...clientOptions(env.sandbox),
    endpoint: 'https://management.azure.com',
    credentialScopes: ['https://management.azure.com/.default'],
  });
  const token = await credential.getToken('https://batch.core.windows.net/.default');
  const agent = proxyAgent(env.sandbox);
  data = new BatchServiceClient(
    new TokenCredentials(token.token),
    env.seeded.env['KVROLLOVER_SANDBOX_BATCH_ENDPOINT']!,
    {
      agentSettings: { http: agent, https: agent },
    },
  );
});

afterAll(async () => {
  env?.sim.dispose();
  await env?.sandbox.close();
});

function poolBody(extensionUrl: string): Pool {
  const identityId = env.seeded.env['KVROLLOVER_SANDBOX_POOL_IDENTITY_ID']!;
  const clientId = env.seeded.env['KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID']!;
  return {
    identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
    vmSize: 'STANDARD_D2S_V3',
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        ...UBUNTU_POOL_IMAGE,
        extensions: [
          {
            name: 'KVExtensions',
            type: 'KeyVaultForLinux',
            publisher: 'Microsoft.Azure.KeyVault',
            typeHandlerVersion: '3.0',
            autoUpgradeMinorVersion: true,
            settings: {
              secretsManagementSettings: {
                pollingIntervalInS: '300',
                requireInitialSync: true,
                observedCertificates: [extensionUrl],
              },
              authenticationSettings: {
                msiEndpoint: 'http://169.254.169.254/metadata/identity',
                msiClientId: clientId,
              },
            },
          },
        ],
      },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 2, resizeTimeout: 'PT15M' } },
  };
}

describe('Batch pools through @azure/arm-batch and nodes through @azure/batch', () => {
  const url = `https://kvr-demo-kv.vault.azure.net/secrets/${BATCH_CERTIFICATE}`;

  it('gets the account with its endpoint', async () => {
    const account = await arm.batchAccountOperations.get(RG, BATCH_ACCOUNT);
    expect(`https://${account.accountEndpoint ?? ''}`).toBe(
      env.seeded.env['KVROLLOVER_SANDBOX_BATCH_ENDPOINT'],
    );
    expect(account.provisioningState).toBe('Succeeded');
  });

  it('creates a pool whose nodes run the KeyVault extension with the pool identity', async () => {
    const pool = await arm.poolOperations.create(RG, BATCH_ACCOUNT, BATCH_POOL, poolBody(url));
    expect(pool.provisioningState).toBe('Succeeded');
    expect(pool.currentDedicatedNodes).toBe(2);
    expect(pool.deploymentConfiguration?.virtualMachineConfiguration?.extensions?.[0]?.type).toBe(
      'KeyVaultForLinux',
    );

    // The identity cannot read the vault yet: the extension's initial sync keeps the nodes starting.
    const nodes = await data.computeNode.list(BATCH_POOL);
    expect(nodes.map((n) => n.state)).toEqual(['starting', 'starting']);
    const extensions = await data.computeNodeExtension.list(BATCH_POOL, nodes[0]!.id!);
    expect(extensions[0]?.vmExtension?.name).toBe('KVExtensions');
    expect(extensions[0]?.instanceView?.statuses?.[0]?.code).toBe('ProvisioningState/transitioning');

    grantSecretsRead(
      env.sandbox,
      'kvr-demo-kv',
      env.seeded.env['KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID']!,
    );
    env.sandbox.clock.advance(60_000);
    const after = await data.computeNode.list(BATCH_POOL);
    expect(after.map((n) => n.state)).toEqual(['idle', 'idle']);
    const one = await data.computeNodeExtension.get(BATCH_POOL, after[1]!.id!, 'KVExtensions');
    expect(one.provisioningState).toBe('Succeeded');
    expect(one.instanceView?.statuses?.[0]?.code).toBe('ProvisioningState/succeeded');
    const cert = env.sandbox.world.vaults.latestCertificateVersion('kvr-demo-kv', BATCH_CERTIFICATE)!;
    const sim = env.sim.batchAccountByName(BATCH_ACCOUNT)!.pools.get(BATCH_POOL)!;
    expect(sim.nodes.every((n) => n.node.store.has(cert.thumbprint))).toBe(true);
  });

  it('shows running tasks (scenario control) as busy nodes', async () => {
    env.sim.batchAccountByName(BATCH_ACCOUNT)!.pools.get(BATCH_POOL)!.setRunningTasks(3);
    const nodes = await data.computeNode.list(BATCH_POOL);
    expect(nodes.map((n) => n.state)).toEqual(['running', 'running']);
    expect(nodes.reduce((sum, n) => sum + (n.runningTasksCount ?? 0), 0)).toBe(3);
  });

  it('refuses to change the extensions of an existing pool, and other fixed properties', async () => {
    const changed = poolBody(`${url}-other`);
    await expect(
      arm.poolOperations.update(RG, BATCH_ACCOUNT, BATCH_POOL, {
        deploymentConfiguration: changed.deploymentConfiguration,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'PropertyCannotBeUpdated' });
    await expect(arm.poolOperations.create(RG, BATCH_ACCOUNT, BATCH_POOL, changed)).rejects.toMatchObject({
      statusCode: 400,
      code: 'PropertyCannotBeUpdated',
    });
    await expect(
      arm.poolOperations.update(RG, BATCH_ACCOUNT, BATCH_POOL, { vmSize: 'STANDARD_D4S_V3' }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('resizes through scaleSettings and deletes as a long-running operation', async () => {
    const resized = await arm.poolOperations.update(RG, BATCH_ACCOUNT, BATCH_POOL, {
      scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } },
    });
    expect(resized.currentDedicatedNodes).toBe(0);
    expect(await data.computeNode.list(BATCH_POOL)).toHaveLength(0);
    await arm.poolOperations.beginDeleteAndWait(RG, BATCH_ACCOUNT, BATCH_POOL, { updateIntervalInMs: 5 });
    await expect(arm.poolOperations.get(RG, BATCH_ACCOUNT, BATCH_POOL)).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
