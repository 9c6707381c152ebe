import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SecretClient } from '@azure/keyvault-secrets';
import { ClientSecretCredential } from '@azure/identity';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { KEY_VAULT_ROLES } from '../../../src/sandbox/azure/authz.js';
import {
  clientOptions,
  operatorCredential,
  proxyAgent,
  seedCas,
  seedVault,
  startTestSandbox,
} from './helpers.js';

let sandbox: AzureSandbox;
let kvm: KeyVaultManagementClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  seedVault(sandbox);
  await seedCas(sandbox);
  await sandbox.world.certificates.seedVersion('kvr-test-vault', 'app', {
    issuer: { name: 'kvr-issuer' },
    x509_props: { subject: 'CN=app.contoso.com' },
  });
  kvm = new KeyVaultManagementClient(operatorCredential(sandbox), sandbox.subscriptionId, {
    ...clientOptions(sandbox),
    updateIntervalInMs: 1,
  } as never);
});

afterAll(async () => {
  await sandbox?.close();
});

describe('Key Vault management through @azure/arm-keyvault', () => {
  it('gets a vault with its access policies, permission model and vault URI', async () => {
    const vault = await kvm.vaults.get('rg-kvr', 'kvr-test-vault');
    expect(vault.properties.vaultUri).toBe('https://kvr-test-vault.vault.azure.net/');
    expect(vault.properties.tenantId).toBe(sandbox.tenantId);
    expect(vault.properties.enableRbacAuthorization).toBe(false);
    expect(vault.properties.accessPolicies?.[0]?.objectId).toBe(sandbox.operator.objectId);
    await expect(kvm.vaults.get('rg-kvr', 'no-such-vault')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });

  it('adds an access policy that lets a managed identity read secrets, then removes it', async () => {
    const uami = sandbox.world.identities.addUserAssignedIdentity({
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: 'rg-kvr',
      name: 'vmss-identity',
      location: 'westeurope',
    });
    expect(sandbox.world.vaults.canReadSecrets('kvr-test-vault', uami.objectId)).toBe(false);
    let writesLeft: string | undefined;
    const result = await kvm.vaults.updateAccessPolicy(
      'rg-kvr',
      'kvr-test-vault',
      'add',
      {
        properties: {
          accessPolicies: [
            {
              tenantId: sandbox.tenantId,
              objectId: uami.objectId,
              permissions: { secrets: ['get', 'list'] },
            },
          ],
        },
      },
      {
        onResponse: (r) =>
          (writesLeft = r.headers.get('x-ms-ratelimit-remaining-subscription-writes') ?? undefined),
      },
    );
    expect(Number(writesLeft)).toBeLessThan(200);
    expect(result.properties.accessPolicies.some((p) => p.objectId === uami.objectId)).toBe(true);
    expect(sandbox.world.vaults.canReadSecrets('kvr-test-vault', uami.objectId)).toBe(true);
    const vault = await kvm.vaults.get('rg-kvr', 'kvr-test-vault');
    expect(
      vault.properties.accessPolicies?.find((p) => p.objectId === uami.objectId)?.permissions.secrets,
    ).toEqual(['get', 'list']);

    await kvm.vaults.updateAccessPolicy('rg-kvr', 'kvr-test-vault', 'remove', {
      properties: {
        accessPolicies: [
          { tenantId: sandbox.tenantId, objectId: uami.objectId, permissions: { secrets: ['list'] } },
        ],
      },
    });
    expect(sandbox.world.vaults.canReadSecrets('kvr-test-vault', uami.objectId)).toBe(false);
    expect(sandbox.world.vaults.allows('kvr-test-vault', uami.objectId, { secrets: 'get' })).toBe(true);
  });

  it('creates a vault through the LRO (RegisteringDns → Succeeded) and reports an injected LRO failure', async () => {
    const poller = kvm.vaults.createOrUpdate('rg-kvr', 'kvr-new-vault', {
      location: 'westeurope',
      properties: {
        tenantId: sandbox.tenantId,
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
      },
    });
    const vault = await poller;
    expect(vault.properties.provisioningState).toBe('Succeeded');
    expect(vault.properties.enableRbacAuthorization).toBe(true);
    expect(
      sandbox.counters.total({ operation: 'ARM/operationStatuses/read', status: 200 }),
    ).toBeGreaterThanOrEqual(1);

    sandbox.faults.add({
      operation: 'Microsoft.KeyVault/vaults/write',
      action: { type: 'failLro', code: 'VaultCreationFailed', message: 'Injected failure.' },
    });
    await expect(
      kvm.vaults.createOrUpdate('rg-kvr', 'kvr-failing-vault', {
        location: 'westeurope',
        properties: { tenantId: sandbox.tenantId, sku: { family: 'A', name: 'standard' } },
      }),
    ).rejects.toThrow(/Injected failure/);
  });
});

describe('RBAC vaults and role assignments', () => {
  it('grants secret reads only after a Key Vault Secrets User assignment at the vault scope', async () => {
    const reader = sandbox.world.identities.addServicePrincipal({ displayName: 'reader', secret: 'r3ader' });
    sandbox.world.vaults.addVault({
      name: 'kvr-rbac-vault',
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: 'rg-kvr',
      location: 'westeurope',
      tenantId: sandbox.tenantId,
      enableRbacAuthorization: true,
    });
    sandbox.world.certificates.setIssuer('kvr-rbac-vault', 'kvr-issuer', 'Sandbox Intermediate A');
    await sandbox.world.certificates.seedVersion('kvr-rbac-vault', 'app', {
      issuer: { name: 'kvr-issuer' },
      x509_props: { subject: 'CN=app' },
    });
    const cred = new ClientSecretCredential(sandbox.tenantId, reader.clientId, 'r3ader', {
      authorityHost: sandbox.authorityHost,
      ...clientOptions(sandbox),
    });
    const secrets = new SecretClient('https://kvr-rbac-vault.vault.azure.net', cred, clientOptions(sandbox));
    await expect(secrets.getSecret('app')).rejects.toMatchObject({ statusCode: 403 });

    const scope = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-kvr/providers/Microsoft.KeyVault/vaults/kvr-rbac-vault`;
    const token = await operatorCredential(sandbox).getToken('https://management.azure.com/.default');
    const status = await put(
      `https://management.azure.com${scope}/providers/Microsoft.Authorization/roleAssignments/0b1c2d3e-0000-4000-8000-000000000001?api-version=2022-04-01`,
      token.token,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_ROLES.secretsUser}`,
          principalId: reader.objectId,
          principalType: 'ServicePrincipal',
        },
      },
    );
    expect(status).toBe(201);
    expect(sandbox.world.vaults.canReadSecrets('kvr-rbac-vault', reader.objectId)).toBe(true);
    await expect(secrets.getSecret('app')).resolves.toMatchObject({ name: 'app' });
  });
});

describe('Managed identities through @azure/arm-msi', () => {
  it('gets a user-assigned identity with principalId, clientId and tenantId', async () => {
    const uami = sandbox.world.identities.userAssignedIdentity(
      sandbox.subscriptionId,
      'rg-kvr',
      'vmss-identity',
    )!;
    const msi = new ManagedServiceIdentityClient(
      operatorCredential(sandbox),
      sandbox.subscriptionId,
      clientOptions(sandbox),
    );
    const identity = await msi.userAssignedIdentities.get('rg-kvr', 'vmss-identity');
    expect(identity.principalId).toBe(uami.objectId);
    expect(identity.clientId).toBe(uami.clientId);
    expect(identity.tenantId).toBe(sandbox.tenantId);
    expect(identity.id).toBe(
      `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-kvr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/vmss-identity`,
    );
    await expect(msi.userAssignedIdentities.get('rg-kvr', 'missing')).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

function put(url: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'PUT',
        agent: proxyAgent(sandbox),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
