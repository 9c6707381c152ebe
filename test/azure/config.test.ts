import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../src/domain/errors.js';
import { Hazard } from '../../src/domain/names.js';
import { isPublicArm, resolveAzureCloud, scopeOf, vaultUrl } from '../../src/azure/cloud.js';
import {
  CredentialCache,
  credentialFromEnvironment,
  credentialFromSecretData,
  decodeSecretData,
} from '../../src/azure/credentials.js';

describe('resolveAzureCloud', () => {
  it('defaults to the public cloud', () => {
    const c = resolveAzureCloud({});
    expect(c.name).toBe('AzurePublicCloud');
    expect(c.resourceManagerEndpoint).toBe('https://management.azure.com');
    expect(scopeOf(c.resourceManagerAudience)).toBe('https://management.azure.com/.default');
    expect(c.authorityHost).toBe('https://login.microsoftonline.com');
    expect(isPublicArm(c)).toBe(true);
  });

  it('selects sovereign presets by name', () => {
    const gov = resolveAzureCloud({ AZURE_CLOUD: 'AzureUSGovernment' });
    expect(gov.resourceManagerEndpoint).toBe('https://management.usgovcloudapi.net');
    expect(gov.keyVaultDnsSuffix).toBe('vault.usgovcloudapi.net');
    expect(resolveAzureCloud({}, 'china').authorityHost).toBe('https://login.chinacloudapi.cn');
    expect(() => resolveAzureCloud({ AZURE_CLOUD: 'mars' })).toThrow(/unknown Azure cloud/);
  });

  it('honours ASO-style endpoint and audience overrides; the endpoint is the default audience', () => {
    const c = resolveAzureCloud({
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://management.local.azurestack.external/',
    });
    expect(c.resourceManagerEndpoint).toBe('https://management.local.azurestack.external');
    expect(c.resourceManagerAudience).toBe('https://management.local.azurestack.external');
    expect(isPublicArm(c)).toBe(false);
    const d = resolveAzureCloud({
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://arm.example',
      AZURE_RESOURCE_MANAGER_AUDIENCE: 'https://management.core.example/',
      AZURE_AUTHORITY_HOST: 'https://login.example',
      AZURE_KEYVAULT_DNS_SUFFIX: '.Vault.Example',
    });
    expect(d.resourceManagerAudience).toBe('https://management.core.example');
    expect(d.authorityHost).toBe('https://login.example');
    expect(d.keyVaultDnsSuffix).toBe('vault.example');
  });

  it('refuses plain-http or malformed endpoints', () => {
    expect(() => resolveAzureCloud({ AZURE_RESOURCE_MANAGER_ENDPOINT: 'http://127.0.0.1:8443' })).toThrow(
      /https/,
    );
    expect(() => resolveAzureCloud({ AZURE_AUTHORITY_HOST: 'not a url' })).toThrow(/not a URL/);
  });

  it('builds vault URLs from names with the cloud suffix and keeps URLs', () => {
    const pub = resolveAzureCloud({});
    expect(vaultUrl('MyVault', pub)).toBe('https://myvault.vault.azure.net');
    expect(vaultUrl('https://MyVault.vault.azure.net/', pub)).toBe('https://myvault.vault.azure.net');
    expect(vaultUrl('kv1', resolveAzureCloud({ AZURE_CLOUD: 'AzureChinaCloud' }))).toBe(
      'https://kv1.vault.azure.cn',
    );
    expect(() => vaultUrl('a/b', pub)).toThrow();
  });
});

describe('credentials', () => {
  const cloud = resolveAzureCloud({});

  it('uses a service principal when AZURE_CLIENT_SECRET is set, workload identity with a token file', () => {
    const sp = credentialFromEnvironment(cloud, {
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 'hunter2',
    });
    expect(sp.kind).toBe('client-secret');
    expect(sp.credential).toBeInstanceOf(ClientSecretCredential);
    expect(sp.description).not.toContain('hunter2');
    const wi = credentialFromEnvironment(cloud, {
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
      AZURE_SUBSCRIPTION_ID: 'sub',
    });
    expect(wi.kind).toBe('workload-identity');
    expect(wi.credential).toBeInstanceOf(WorkloadIdentityCredential);
    expect(wi.subscriptionId).toBe('sub');
    const chain = credentialFromEnvironment(cloud, {});
    expect(chain.kind).toBe('default-chain');
    expect(chain.credential).toBeInstanceOf(DefaultAzureCredential);
  });

  it('reads a namespace Secret in ASO key names or camelCase, never echoing the secret', () => {
    const aso = credentialFromSecretData(
      'azure-creds',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'p@ss' },
      cloud,
    );
    expect(aso.kind).toBe('client-secret');
    expect(aso.description).toContain('azure-creds');
    expect(aso.description).not.toContain('p@ss');
    const camel = credentialFromSecretData('x', { tenantId: 't', clientId: 'c', clientSecret: 's' }, cloud);
    expect(camel.credential).toBeInstanceOf(ClientSecretCredential);
    const cert = credentialFromSecretData(
      'x',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE: '-----BEGIN…' },
      cloud,
    );
    expect(cert.credential).toBeInstanceOf(ClientCertificateCredential);
  });

  it('a Secret missing keys is a terminal InvalidSpec naming the keys', () => {
    let err: unknown;
    try {
      credentialFromSecretData('creds', { AZURE_TENANT_ID: 't' }, cloud);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).reason).toBe(Hazard.InvalidSpec);
    expect((err as Error).message).toContain('AZURE_CLIENT_ID');
    expect((err as Error).message).toContain('AZURE_CLIENT_SECRET');
    expect(() =>
      credentialFromSecretData(
        'creds',
        { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', USE_WORKLOAD_IDENTITY_AUTH: 'true' },
        cloud,
        {},
      ),
    ).toThrow(/AZURE_FEDERATED_TOKEN_FILE/);
  });

  it('decodes Secret data and caches one credential per Secret content', () => {
    const data = decodeSecretData({
      AZURE_TENANT_ID: Buffer.from('t').toString('base64'),
      AZURE_CLIENT_ID: Buffer.from('c').toString('base64'),
      AZURE_CLIENT_SECRET: Buffer.from('s1').toString('base64'),
    });
    expect(data).toEqual({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's1' });
    const cache = new CredentialCache(cloud, {});
    const a = cache.forSecret('ns', 'creds', data);
    expect(cache.forSecret('ns', 'creds', { ...data })).toBe(a);
    const rotated = cache.forSecret('ns', 'creds', { ...data, AZURE_CLIENT_SECRET: 's2' });
    expect(rotated).not.toBe(a);
    expect(cache.size).toBe(1);
    cache.forget('ns', 'creds');
    expect(cache.size).toBe(0);
  });
});
