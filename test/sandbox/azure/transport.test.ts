import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { seedCas, seedVault, startTestSandbox } from './helpers.js';

let sandbox: AzureSandbox;
const here = path.dirname(fileURLToPath(import.meta.url));

beforeAll(async () => {
  sandbox = await startTestSandbox();
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

/** Sends a CONNECT to the proxy and returns the status line. */
function connect(target: string): Promise<string> {
  const url = new URL(sandbox.proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    });
    socket.once('data', (d: Buffer) => {
      resolve(d.toString('latin1').split('\r\n')[0]!);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('the CONNECT proxy', () => {
  it('tunnels Azure host names to the sandbox', async () => {
    expect(await connect('management.azure.com:443')).toMatch(/^HTTP\/1\.1 200/);
    expect(await connect('kvr-test-vault.vault.azure.net:443')).toMatch(/^HTTP\/1\.1 200/);
    expect(await connect('login.microsoftonline.com:443')).toMatch(/^HTTP\/1\.1 200/);
    expect(await connect('mybatch.westeurope.batch.azure.com:443')).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses every other host and port without connecting anywhere', async () => {
    const before = sandbox.counters.total({ service: 'proxy', operation: 'CONNECT refused' });
    expect(await connect('example.com:443')).toMatch(/^HTTP\/1\.1 403/);
    expect(await connect('management.azure.com:80')).toMatch(/^HTTP\/1\.1 403/);
    expect(await connect('evil.vault.azure.net.example.com:443')).toMatch(/^HTTP\/1\.1 403/);
    expect(await connect('127.0.0.1:22')).toMatch(/^HTTP\/1\.1 403/);
    expect(sandbox.counters.total({ service: 'proxy', operation: 'CONNECT refused' }) - before).toBe(4);
  });

  it('refuses plain-HTTP proxying', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(sandbox.proxyUrl);
      const req = http.request(
        { host: url.hostname, port: url.port, path: 'http://example.com/', method: 'GET' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves a certificate for the Azure names, signed by the sandbox CA', async () => {
    const url = new URL(sandbox.directUrl);
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const s = tls.connect(
        {
          host: url.hostname,
          port: Number(url.port),
          servername: 'kvr-test-vault.vault.azure.net',
          ca: sandbox.caPem,
        },
        () => {
          resolve(s.getPeerCertificate());
          s.end();
        },
      );
      s.on('error', reject);
    });
    expect(peer.subjectaltname).toContain('DNS:*.vault.azure.net');
    expect(peer.subjectaltname).toContain('DNS:management.azure.com');
    expect(peer.subjectaltname).toContain('IP Address:127.0.0.1');
    expect(new X509Certificate(peer.raw).checkIssued(new X509Certificate(sandbox.caPem))).toBe(true);
  });
});

describe('a real SDK client configured only from the env file', () => {
  it('authenticates, passes the Key Vault challenge verification and reads ARM in a child process', async () => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', ...sandbox.env };
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          path.join(here, 'fixtures', 'env-client.mjs'),
          'https://kvr-test-vault.vault.azure.net',
          'rg-kvr',
          'id1',
        ],
        { env, timeout: 45_000, cwd: path.resolve(here, '../../..') },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, contentType: 'application/x-pkcs12' });
    expect(result['thumbprint']).toBe(
      sandbox.world.vaults.latestCertificateVersion('kvr-test-vault', 'app')!.thumbprint.toLowerCase(),
    );
    expect(result['principalId']).toBe(
      sandbox.world.identities.userAssignedIdentity(sandbox.subscriptionId, 'rg-kvr', 'id1')!.objectId,
    );
    expect(sandbox.env['NO_PROXY']).toBe('127.0.0.1,localhost');
    expect(
      sandbox.counters.total({ service: 'login', operation: 'AAD/token', status: 200 }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('the in-process agent', () => {
  it('lets an SDK client in this process reach a vault by its real name without a proxy', async () => {
    const { SecretClient } = await import('@azure/keyvault-secrets');
    const { ClientSecretCredential } = await import('@azure/identity');
    const options = { agent: sandbox.agent, retryOptions: { maxRetries: 0 } };
    const cred = new ClientSecretCredential(
      sandbox.tenantId,
      sandbox.operator.clientId,
      sandbox.operator.secret,
      {
        authorityHost: sandbox.authorityHost,
        ...options,
      },
    );
    const connects = sandbox.counters.total({ service: 'proxy' });
    const secret = await new SecretClient('https://kvr-test-vault.vault.azure.net', cred, options).getSecret(
      'app',
    );
    expect(secret.properties.contentType).toBe('application/x-pkcs12');
    expect(sandbox.counters.total({ service: 'proxy' })).toBe(connects);
  });
});
