import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { ClientSecretCredential, WorkloadIdentityCredential } from '@azure/identity';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { SecretClient } from '@azure/keyvault-secrets';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { mintFederatedAssertion } from '../../../src/sandbox/azure/identity/tokens.js';
import {
  clientOptions,
  operatorCredential,
  proxyAgent,
  seedCas,
  seedVault,
  startTestSandbox,
} from './helpers.js';

let sandbox: AzureSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  seedVault(sandbox);
  await seedCas(sandbox);
  await sandbox.world.certificates.seedVersion('kvr-test-vault', 'app', {
    issuer: { name: 'kvr-issuer' },
    x509_props: { subject: 'CN=app.contoso.com' },
  });
  dir = await mkdtemp(path.join(tmpdir(), 'kvr-wi-'));
});

afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** A raw HTTPS request through the proxy (for asserting exact status codes and headers). */
function raw(
  sb: AzureSandbox,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: proxyAgent(sb) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('AAD token endpoint with @azure/identity (instance discovery left on)', () => {
  it('issues a token for the requested audience to a client secret credential', async () => {
    const token = await operatorCredential(sandbox).getToken('https://vault.azure.net/.default');
    const claims = decode(token.token);
    expect(claims['aud']).toBe('https://vault.azure.net');
    expect(claims['tid']).toBe(sandbox.tenantId);
    expect(claims['appid']).toBe(sandbox.operator.clientId);
    expect(claims['oid']).toBe(sandbox.operator.objectId);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(
      sandbox.counters.total({ service: 'login', operation: 'AAD/token', status: 200 }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong secret with AADSTS7000215 and an unknown client with AADSTS700016', async () => {
    const wrong = new ClientSecretCredential(sandbox.tenantId, sandbox.operator.clientId, 'not-the-secret', {
      authorityHost: sandbox.authorityHost,
      ...clientOptions(sandbox),
    });
    await expect(wrong.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS7000215/);
    const unknown = new ClientSecretCredential(
      sandbox.tenantId,
      '00000000-0000-0000-0000-000000000001',
      'x',
      {
        authorityHost: sandbox.authorityHost,
        ...clientOptions(sandbox),
      },
    );
    await expect(unknown.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS700016/);
  });

  it('exchanges a federated service-account token (WorkloadIdentityCredential) and refuses an unmatched subject', async () => {
    const uami = sandbox.world.identities.addUserAssignedIdentity({
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: 'rg-kvr',
      name: 'operator-identity',
      location: 'westeurope',
    });
    const issuer = 'https://oidc.sandbox.kv-rollover.invalid/';
    sandbox.world.identities.addFederatedCredential(uami.clientId, {
      issuer,
      subject: 'system:serviceaccount:kvr:operator',
    });
    const good = path.join(dir, 'good-token');
    await writeFile(good, mintFederatedAssertion({ issuer, subject: 'system:serviceaccount:kvr:operator' }));
    const cred = new WorkloadIdentityCredential({
      tenantId: sandbox.tenantId,
      clientId: uami.clientId,
      tokenFilePath: good,
      authorityHost: sandbox.authorityHost,
      ...clientOptions(sandbox),
    });
    const token = await cred.getToken('https://management.azure.com/.default');
    expect(decode(token.token)['oid']).toBe(uami.objectId);
    expect(decode(token.token)['aud']).toBe('https://management.azure.com/');

    const bad = path.join(dir, 'bad-token');
    await writeFile(bad, mintFederatedAssertion({ issuer, subject: 'system:serviceaccount:other:sa' }));
    const badCred = new WorkloadIdentityCredential({
      tenantId: sandbox.tenantId,
      clientId: uami.clientId,
      tokenFilePath: bad,
      authorityHost: sandbox.authorityHost,
      ...clientOptions(sandbox),
    });
    await expect(badCred.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS70021/);
  });
});

describe('AAD discovery documents', () => {
  it('serves instance discovery and the tenant OpenID configuration MSAL reads', async () => {
    const authorize = encodeURIComponent(
      `https://login.microsoftonline.com/${sandbox.tenantId}/oauth2/v2.0/authorize`,
    );
    const disco = await raw(
      sandbox,
      `https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    );
    expect(disco.status).toBe(200);
    const d = JSON.parse(disco.body) as {
      tenant_discovery_endpoint: string;
      metadata: { aliases: string[] }[];
    };
    expect(d.tenant_discovery_endpoint).toBe(
      `https://login.microsoftonline.com/${sandbox.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    expect(d.metadata[0]!.aliases).toContain('login.microsoftonline.com');

    const oidc = await raw(sandbox, d.tenant_discovery_endpoint);
    const o = JSON.parse(oidc.body) as Record<string, unknown>;
    for (const field of [
      'token_endpoint',
      'authorization_endpoint',
      'issuer',
      'jwks_uri',
      'end_session_endpoint',
      'device_authorization_endpoint',
      'response_types_supported',
      'scopes_supported',
      'token_endpoint_auth_methods_supported',
      'tenant_region_scope',
      'cloud_instance_name',
    ]) {
      expect(o[field], field).toBeDefined();
    }
    expect(o['issuer']).toBe(`https://login.microsoftonline.com/${sandbox.tenantId}/v2.0`);
    const unknown = await raw(
      sandbox,
      'https://login.microsoftonline.com/not-a-tenant/v2.0/.well-known/openid-configuration',
    );
    expect(unknown.body).toContain('AADSTS90002');
  });
});

describe('ARM and Key Vault refuse requests without a valid token for their audience', () => {
  it('Key Vault answers an unauthenticated request with the 401 challenge', async () => {
    const res = await raw(
      sandbox,
      'https://kvr-test-vault.vault.azure.net/secrets/app?api-version=2025-07-01',
    );
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer authorization="https://login.windows.net/${sandbox.tenantId}", resource="https://vault.azure.net"`,
    );
  });

  it('the SDK completes the challenge flow: one unauthenticated request, then the authorised one', async () => {
    const before401 = sandbox.counters.total({
      service: 'vault',
      operation: 'KeyVault/SecretGet',
      status: 401,
    });
    const client = new SecretClient(
      'https://kvr-test-vault.vault.azure.net',
      operatorCredential(sandbox),
      clientOptions(sandbox),
    );
    const secret = await client.getSecret('app');
    expect(secret.value).toBeTruthy();
    expect(
      sandbox.counters.total({ service: 'vault', operation: 'KeyVault/SecretGet', status: 401 }) - before401,
    ).toBe(1);
  });

  it('Key Vault requires api-version', async () => {
    const token = await operatorCredential(sandbox).getToken('https://vault.azure.net/.default');
    const res = await raw(sandbox, 'https://kvr-test-vault.vault.azure.net/secrets/app', {
      headers: { Authorization: `Bearer ${token.token}` },
    });
    expect(res.status).toBe(400);
  });

  it('Key Vault refuses a caller without secret permissions (403 AccessDenied)', async () => {
    const stranger = sandbox.world.identities.addServicePrincipal({
      displayName: 'stranger',
      secret: 's3cret',
    });
    const cred = new ClientSecretCredential(sandbox.tenantId, stranger.clientId, 's3cret', {
      authorityHost: sandbox.authorityHost,
      ...clientOptions(sandbox),
    });
    const client = new SecretClient('https://kvr-test-vault.vault.azure.net', cred, clientOptions(sandbox));
    await expect(client.getSecret('app')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
  });

  it('ARM refuses a missing token (AuthenticationFailed) and a token for another audience', async () => {
    const url = `https://management.azure.com/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg-kvr/providers/Microsoft.ManagedIdentity/userAssignedIdentities/operator-identity?api-version=2024-11-30`;
    const res = await raw(sandbox, url);
    expect(res.status).toBe(401);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');

    const real = operatorCredential(sandbox);
    const vaultAudience: TokenCredential = {
      getToken: (): Promise<AccessToken | null> => real.getToken('https://vault.azure.net/.default'),
    };
    const msi = new ManagedServiceIdentityClient(
      vaultAudience,
      sandbox.subscriptionId,
      clientOptions(sandbox),
    );
    await expect(msi.userAssignedIdentities.get('rg-kvr', 'operator-identity')).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationTokenAudience',
    });
  });
});
