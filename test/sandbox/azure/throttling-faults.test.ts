import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SecretClient } from '@azure/keyvault-secrets';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { AZURE_LIMITS, Throttler } from '../../../src/sandbox/azure/throttle.js';
import {
  clientOptions,
  operatorCredential,
  proxyAgent,
  seedCas,
  seedVault,
  startTestSandbox,
} from './helpers.js';

let sandbox: AzureSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    // Small budgets with (practically) no refill, so the limit is reached in a handful of requests.
    throttling: { armReads: { capacity: 3, refillPerSecond: 0.001 }, vaultAll: 4 },
  });
  seedVault(sandbox);
  await seedCas(sandbox);
  await sandbox.world.certificates.seedVersion('kvr-test-vault', 'app', {
    issuer: { name: 'kvr-issuer' },
    x509_props: { subject: 'CN=app' },
  });
  sandbox.world.identities.addUserAssignedIdentity({
    subscriptionId: sandbox.subscriptionId,
    resourceGroup: 'rg-kvr',
    name: 'id1',
    location: 'westeurope',
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('throttling at the configured limits', () => {
  it('ARM counts reads down in x-ms-ratelimit-remaining-subscription-reads, then answers 429 with Retry-After', async () => {
    const remaining: string[] = [];
    const msi = new ManagedServiceIdentityClient(operatorCredential(sandbox), sandbox.subscriptionId, {
      agent: proxyAgent(sandbox),
      retryOptions: { maxRetries: 0 },
    });
    for (let i = 0; i < 3; i++) {
      await msi.userAssignedIdentities.get('rg-kvr', 'id1', {
        onResponse: (r) => {
          remaining.push(r.headers.get('x-ms-ratelimit-remaining-subscription-reads') ?? '');
        },
      });
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const err = await msi.userAssignedIdentities.get('rg-kvr', 'id1').catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 429, code: 'SubscriptionRequestsThrottled' });
    expect(
      (err as { response: { headers: { get(n: string): string | undefined } } }).response.headers.get(
        'retry-after',
      ),
    ).toMatch(/^\d+$/);
  });

  it('Key Vault answers 429 Throttled past the per-vault budget', async () => {
    const client = new SecretClient('https://kvr-test-vault.vault.azure.net', operatorCredential(sandbox), {
      agent: proxyAgent(sandbox),
      retryOptions: { maxRetries: 0 },
    });
    for (let i = 0; i < 4; i++) await client.getSecret('app');
    await expect(client.getSecret('app')).rejects.toMatchObject({ statusCode: 429, code: 'Throttled' });
    sandbox.world.throttle.reset();
  });

  it('defaults to Azure’s documented limits', () => {
    expect(AZURE_LIMITS.armReads).toEqual({ capacity: 250, refillPerSecond: 25 });
    expect(AZURE_LIMITS.armWrites).toEqual({ capacity: 200, refillPerSecond: 10 });
    expect(AZURE_LIMITS.vaultAll).toBe(4000);
    expect(AZURE_LIMITS.vaultCreate).toBe(300);
    // A write bucket of 200 allows exactly 200 immediate writes.
    let t = 0;
    const throttler = new Throttler(AZURE_LIMITS, true, () => t);
    let allowed = 0;
    for (let i = 0; i < 250; i++) if (throttler.arm('sub', 'p', 'write').allowed) allowed++;
    expect(allowed).toBe(200);
    t += 1000; // refill 10/s
    let more = 0;
    for (let i = 0; i < 20; i++) if (throttler.arm('sub', 'p', 'write').allowed) more++;
    expect(more).toBe(10);
  });
});

describe('Key Vault budgets per 10 s window', () => {
  it('allows 300 create/import and 4,000 transactions in all per vault, then refills with the window', () => {
    let t = 0;
    const throttler = new Throttler(AZURE_LIMITS, true, () => t);
    let creates = 0;
    for (let i = 0; i < 350; i++) if (throttler.vault('v1', 'create').allowed) creates++;
    expect(creates).toBe(300);
    let reads = 0;
    for (let i = 0; i < 4000; i++) if (throttler.vault('v1', 'all').allowed) reads++;
    expect(reads).toBe(3700);
    const refused = throttler.vault('v1', 'all');
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterSeconds).toBe(10);
    // Another vault has its own budget.
    expect(throttler.vault('v2', 'create').allowed).toBe(true);
    t += 10_000;
    expect(throttler.vault('v1', 'create').allowed).toBe(true);
  });
});

describe('fault injection', () => {
  it('429 with Retry-After twice, then success: the SDK retries', async () => {
    sandbox.world.throttle.reset();
    const client = new SecretClient(
      'https://kvr-test-vault.vault.azure.net',
      operatorCredential(sandbox),
      clientOptions(sandbox),
    );
    await client.getSecret('app'); // challenge done
    sandbox.world.throttle.reset();
    const before = sandbox.counters.total({ operation: 'KeyVault/SecretGet', status: 429 });
    const rule = sandbox.faults.add({
      operation: 'KeyVault/SecretGet',
      times: 2,
      action: { type: 'throttle', retryAfterSeconds: 0 },
    });
    await expect(client.getSecret('app')).resolves.toMatchObject({ name: 'app' });
    expect(rule.hits()).toBe(2);
    expect(sandbox.counters.total({ operation: 'KeyVault/SecretGet', status: 429 }) - before).toBe(2);
  });

  it('5xx twice, then success', async () => {
    sandbox.world.throttle.reset();
    const msi = new ManagedServiceIdentityClient(
      operatorCredential(sandbox),
      sandbox.subscriptionId,
      clientOptions(sandbox),
    );
    const rule = sandbox.faults.add({
      service: 'arm',
      operation: /userAssignedIdentities\/read/,
      times: 2,
      action: { type: 'status', status: 503 },
    });
    await expect(msi.userAssignedIdentities.get('rg-kvr', 'id1')).resolves.toMatchObject({ name: 'id1' });
    expect(rule.hits()).toBe(2);
    expect(
      sandbox.counters.total({
        operation: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
        status: 503,
      }),
    ).toBe(2);
  });

  it('a timeout (held, then reset) is retried', async () => {
    sandbox.world.throttle.reset();
    const msi = new ManagedServiceIdentityClient(
      operatorCredential(sandbox),
      sandbox.subscriptionId,
      clientOptions(sandbox),
    );
    const rule = sandbox.faults.add({
      operation: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
      action: { type: 'timeout', holdMs: 10 },
    });
    await expect(msi.userAssignedIdentities.get('rg-kvr', 'id1')).resolves.toMatchObject({ name: 'id1' });
    expect(rule.hits()).toBe(1);
  });

  it('an unretried fault surfaces with the service error code', async () => {
    sandbox.world.throttle.reset();
    const msi = new ManagedServiceIdentityClient(
      operatorCredential(sandbox),
      sandbox.subscriptionId,
      clientOptions(sandbox),
    );
    sandbox.faults.add({
      operation: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
      action: { type: 'status', status: 409, code: 'Conflict', message: 'busy' },
    });
    await expect(msi.userAssignedIdentities.get('rg-kvr', 'id1')).rejects.toMatchObject({
      statusCode: 409,
      code: 'Conflict',
    });
  });
});
