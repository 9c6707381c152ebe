// The Key Vault and access adapters against the sandbox's Azure emulator, through the real SDKs. The
// client side runs in a child process started with the sandbox's dotenv variables (HTTPS_PROXY,
// NODE_EXTRA_CA_CERTS must be set before node starts), so it is configured exactly as the operator is.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureSandbox } from '../../src/sandbox/azure/index.js';
import type { AzureSandbox } from '../../src/sandbox/azure/index.js';
import type { CertificatePolicyWire } from '../../src/sandbox/azure/keyvault/model.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

let sb: AzureSandbox;
// The child's JSON report; read loosely, as a test reads any wire format.
let out: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let intermediateThumbprint: string;
let rootThumbprint: string;
let identityPrincipalId: string;

beforeAll(async () => {
  // Issuance takes a virtual minute, so a creation stays pending until the clock (ticking below) passes it.
  sb = await startAzureSandbox({
    throttling: false,
    lroRetryAfterSeconds: 0,
    rsaPoolSize: 2,
    certificateIssuanceDelayMs: 60_000,
  });
  const { world } = sb;
  world.addResourceGroup('rg', 'westeurope');
  const base = {
    subscriptionId: sb.subscriptionId,
    resourceGroup: 'rg',
    location: 'westeurope',
    tenantId: sb.tenantId,
  };
  world.vaults.addVault({
    ...base,
    name: 'kvadapters1',
    accessPolicies: [
      {
        tenantId: sb.tenantId,
        objectId: sb.operator.objectId,
        permissions: { certificates: ['get', 'list', 'update', 'create'], secrets: ['get', 'list'] },
      },
    ],
  });
  world.vaults.addVault({ ...base, name: 'kvadaptersrbac', enableRbacAuthorization: true });
  const rootCa = await world.cas.createRoot('Adapters Root');
  const inter = await world.cas.createIntermediate(rootCa.id, 'Adapters Issuing CA');
  rootThumbprint = rootCa.thumbprint;
  intermediateThumbprint = inter.thumbprint;
  world.certificates.setIssuer('kvadapters1', 'SandboxIssuer', inter.id);
  world.certificates.setIssuer('kvadapters1', 'RejectingIssuer', inter.id);
  world.certificates.setIssuerRejects('kvadapters1', 'RejectingIssuer', {
    code: 'CertificateRequestRejected',
    message: 'The CA rejected the request',
  });
  const policy: CertificatePolicyWire = {
    issuer: { name: 'SandboxIssuer' },
    key_props: { kty: 'RSA', key_size: 2048, exportable: true, reuse_key: false },
    secret_props: { contentType: 'application/x-pkcs12' },
    x509_props: {
      subject: 'CN=cluster.adapters.example',
      sans: { dns_names: ['cluster.adapters.example'] },
      validity_months: 12,
    },
  };
  await world.certificates.seedVersion('kvadapters1', 'cluster', policy);
  world.clock.advance(60_000);
  await world.certificates.seedVersion('kvadapters1', 'cluster', policy);
  const identity = world.identities.addUserAssignedIdentity({
    subscriptionId: sb.subscriptionId,
    resourceGroup: 'rg',
    name: 'sf-nodes',
    location: 'westeurope',
  });
  identityPrincipalId = identity.objectId;
  const identityId = `/subscriptions/${sb.subscriptionId}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/sf-nodes`;

  const args = {
    vault: 'kvadapters1',
    rbacVault: 'kvadaptersrbac',
    resourceGroup: 'rg',
    certificate: 'cluster',
    identityId,
    tenantId: sb.tenantId,
  };
  const ticker = setInterval(() => sb.world.clock.advance(5_000), 50);
  const child = await run(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'fixtures', 'keyvault-client.ts'), JSON.stringify(args)],
    { cwd: root, env: { ...process.env, ...sb.env }, timeout: 50_000, maxBuffer: 16 * 1024 * 1024 },
  ).catch((err: { stderr?: string; message?: string }) => {
    throw new Error(`client process failed: ${err.stderr ?? err.message ?? 'unknown'}`);
  });
  clearInterval(ticker);
  out = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof out;
}, 110_000);

afterAll(async () => {
  await sb?.close();
});

describe('Key Vault adapter through the emulator', () => {
  it('authenticates with the service principal from the environment', () => {
    expect(out.credentialKind).toBe('client-secret');
  });

  it('authenticates with a per-namespace Secret, and a wrong secret is a terminal PermissionDenied', () => {
    expect(out.fromSecretVersions).toBe(2);
    expect(out.wrongSecret.name).toBe('TerminalError');
    expect(out.wrongSecret.reason).toBe('PermissionDenied');
    expect(out.wrongSecret.message).not.toContain(sb.operator.secret);
  });

  it('returns the version list as Key Vault sent it', () => {
    const value = out.versions.value as { id: string; x5t: string; attributes: { enabled: boolean } }[];
    expect(value).toHaveLength(2);
    for (const v of value) {
      expect(v.id).toMatch(/^https:\/\/kvadapters1\.vault\.azure\.net\/certificates\/cluster\/[0-9a-f]{32}$/);
      expect(typeof v.x5t).toBe('string');
      expect(v.attributes.enabled).toBe(true);
    }
    expect(JSON.parse(out.versionsText as string)).toEqual(out.versions);
  });

  it("returns one version's bundle with cer and x5t that agree", () => {
    expect(out.bundleTextParses).toBe(true);
    const bundle = out.bundle as { cer: string; x5t: string; id: string };
    const cert = new X509Certificate(Buffer.from(bundle.cer, 'base64'));
    expect(cert.subject).toContain('CN=cluster.adapters.example');
    const sha1 = cert.fingerprint.replace(/:/g, '');
    expect(Buffer.from(bundle.x5t, 'base64url').toString('hex').toUpperCase()).toBe(sha1);
    expect((out.latest as { id: string }).id).not.toBe(bundle.id);
  });

  it('extracts the issuer chain from the secret, direct issuer first, without any key', () => {
    const pem = out.chainPem as string;
    expect(pem).not.toMatch(/PRIVATE KEY/);
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    const thumbprints = blocks.map((b) => new X509Certificate(b).fingerprint.replace(/:/g, ''));
    expect(thumbprints[0]).toBe(intermediateThumbprint);
    if (thumbprints.length > 1) expect(thumbprints[1]).toBe(rootThumbprint);
    const leaf = new X509Certificate(Buffer.from((out.bundle as { cer: string }).cer, 'base64'));
    expect(leaf.checkIssued(new X509Certificate(blocks[0]!))).toBe(true);
  });

  it('creates a certificate through a resumed operation token', () => {
    expect(out.createdVersions).toBe(1);
    expect(out.againSameToken).toBe(true);
  });

  it('reports an issuance the CA rejected as a failed, transient operation with its message', () => {
    expect(out.rejected.name).toBe('TransientError');
    expect(out.rejected.message).toContain('The CA rejected the request');
  });

  it('disables (quarantines) one version', () => {
    const value = out.afterDisable.value as { id: string; attributes: { enabled: boolean } }[];
    const first = (out.bundle as { id: string }).id;
    expect(value.find((v) => v.id === first)?.attributes.enabled).toBe(false);
    expect(value.filter((v) => v.attributes.enabled)).toHaveLength(1);
    expect(out.disabledChain).toBe('');
  });

  it('grants get+list on secrets by access policy, idempotently', () => {
    const policies = out.vault.properties.accessPolicies as {
      objectId: string;
      permissions: { secrets?: string[] };
    }[];
    const mine = policies.filter((p) => p.objectId === identityPrincipalId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.permissions.secrets?.map((s) => s.toLowerCase()).sort()).toEqual(['get', 'list']);
    expect(sb.world.vaults.canReadSecrets('kvadapters1', identityPrincipalId)).toBe(true);
  });

  it('grants Key Vault Secrets User on an RBAC vault, idempotently', () => {
    const list = out.roleAssignments.value as {
      properties: { roleDefinitionId: string; principalId: string };
    }[];
    const mine = list.filter((a) => a.properties.principalId === identityPrincipalId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.properties.roleDefinitionId).toMatch(/4633458b-17de-408a-b874-0445c86b69e6$/);
    expect(sb.world.vaults.canReadSecrets('kvadaptersrbac', identityPrincipalId)).toBe(true);
  });

  it('classifies a missing certificate as ResourceNotFound naming it', () => {
    expect(out.notFound.name).toBe('TerminalError');
    expect(out.notFound.reason).toBe('ResourceNotFound');
    expect(out.notFound.message).toContain('does-not-exist');
  });

  it('counts every request by service, operation and status code, including the 401 challenge', () => {
    const requests = out.requests as { service: string; operation: string; code: string; value: number }[];
    const kv = requests.filter((r) => r.service === 'keyvault');
    expect(kv.some((r) => r.operation === 'listCertificateVersions' && r.code === '200')).toBe(true);
    expect(kv.some((r) => r.code === '401')).toBe(true);
    expect(kv.some((r) => r.operation === 'getCertificate' && r.code === '404')).toBe(true);
    expect(requests.some((r) => r.service === 'arm' && r.operation === 'updateAccessPolicy')).toBe(true);
  });
});
