import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { clientOptions, operatorCredential, seedCas, seedVault, startTestSandbox } from './helpers.js';

let sandbox: AzureSandbox;
let certs: CertificateClient;
let secrets: SecretClient;
const VAULT_URL = 'https://kvr-test-vault.vault.azure.net';

beforeAll(async () => {
  sandbox = await startTestSandbox({ vaultPageSize: 2 });
  seedVault(sandbox);
  await seedCas(sandbox);
  const cred = operatorCredential(sandbox);
  certs = new CertificateClient(VAULT_URL, cred, clientOptions(sandbox));
  secrets = new SecretClient(VAULT_URL, cred, clientOptions(sandbox));
});

afterAll(async () => {
  await sandbox?.close();
});

describe('Key Vault certificates through the real SDK', () => {
  it('creates a certificate by policy: pending operation, then a CA-issued version', async () => {
    const poller = await certs.beginCreateCertificate(
      'cluster-cert',
      {
        issuerName: 'kvr-issuer',
        subject: 'CN=cluster.contoso.com',
        subjectAlternativeNames: { dnsNames: ['cluster.contoso.com', 'node.contoso.com'] },
        validityInMonths: 12,
        contentType: 'application/x-pkcs12',
        lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
      },
      { intervalInMs: 1 },
    );
    const cert = await poller.pollUntilDone();
    expect(cert.name).toBe('cluster-cert');
    expect(cert.cer).toBeDefined();
    const der = Buffer.from(cert.cer!);
    const x = new X509Certificate(der);
    expect(x.subject).toContain('CN=cluster.contoso.com');
    expect(x.subjectAltName).toContain('DNS:node.contoso.com');
    expect(x.issuer).toContain('Sandbox Intermediate A');
    // x5t is base64url SHA-1 of the DER; the SDK exposes it as lower-case hex.
    expect(cert.properties.x509ThumbprintString).toBe(createHash('sha1').update(der).digest('hex'));
    expect(cert.secretId).toBe(`${VAULT_URL}/secrets/cluster-cert/${cert.properties.version}`);
    expect(cert.keyId).toBe(`${VAULT_URL}/keys/cluster-cert/${cert.properties.version}`);
    expect(cert.properties.enabled).toBe(true);
    expect(cert.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(cert.properties.expiresOn!.getTime()).toBe(new Date(x.validTo).getTime());
    expect(cert.policy?.issuerName).toBe('kvr-issuer');
    expect(cert.policy?.lifetimeActions?.[0]?.lifetimePercentage).toBe(80);
  });

  it('completes a create as soon as the issuer answers (no delay), reporting the CSR and target', async () => {
    const op = sandbox.world.certificates.beginCreate('kvr-test-vault', 'slow-cert', {
      issuer: { name: 'kvr-issuer' },
      x509_props: { subject: 'CN=slow.contoso.com' },
    });
    await sandbox.world.settle();
    // Delay 0: completes as soon as issued.
    expect(op.status).toBe('completed');
    const pending = await certs.getCertificateOperation('slow-cert');
    const state = pending.getOperationState().certificateOperation!;
    expect(state.status).toBe('completed');
    expect(state.target).toBe(`${VAULT_URL}/certificates/slow-cert`);
    // The CSR is a PKCS#10 request for the key the new version carries.
    const csr = Buffer.from(state.csr!);
    expect(csr[0]).toBe(0x30);
    const { X509Certificate: X } = await import('node:crypto');
    const issued = new X(sandbox.world.vaults.latestCertificateVersion('kvr-test-vault', 'slow-cert')!.der);
    expect(csr.includes(issued.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
  });

  it('reports a failed operation with the issuer error when the issuer rejects the request', async () => {
    sandbox.world.certificates.setIssuerRejects('kvr-test-vault', 'kvr-issuer', {
      code: 'CertificateRequestRejected',
      message: 'The issuer rejected the request: domain validation failed.',
    });
    try {
      // The SDK's poller surfaces the operation's error as soon as the operation ends failed.
      await expect(
        certs
          .beginCreateCertificate(
            'cluster-cert',
            { issuerName: 'kvr-issuer', subject: 'CN=cluster.contoso.com' },
            { intervalInMs: 1 },
          )
          .then((p) => p.pollUntilDone()),
      ).rejects.toThrow(/domain validation failed/);
      // Resuming the operation reports the same failure; the vault kept the issuer's error.
      await expect(certs.getCertificateOperation('cluster-cert')).rejects.toThrow(/domain validation failed/);
      const op = sandbox.world.vaults.getCertificate('kvr-test-vault', 'cluster-cert')!.pending!;
      expect(op.status).toBe('failed');
      expect(op.error?.code).toBe('CertificateRequestRejected');
      // The failed request left the current version in place.
      expect(sandbox.world.vaults.listCertificateVersions('kvr-test-vault', 'cluster-cert')).toHaveLength(1);
    } finally {
      sandbox.world.certificates.setIssuerRejects('kvr-test-vault', 'kvr-issuer', undefined);
    }
  });

  it('lists versions over several pages, gets a version, disables it and refuses its secret', async () => {
    await sandbox.world.certificates.renewNow('kvr-test-vault', 'cluster-cert');
    await sandbox.world.certificates.renewNow('kvr-test-vault', 'cluster-cert');
    const pages: number[] = [];
    const versions: string[] = [];
    for await (const page of certs.listPropertiesOfCertificateVersions('cluster-cert').byPage()) {
      pages.push(page.length);
      versions.push(...page.map((p) => p.version!));
    }
    expect(versions).toHaveLength(3);
    expect(pages).toEqual([2, 1]);
    const first = versions[0]!;
    const v = await certs.getCertificateVersion('cluster-cert', first);
    expect(v.properties.version).toBe(first);

    const s = await secrets.getSecret('cluster-cert', { version: first });
    expect(s.properties.contentType).toBe('application/x-pkcs12');
    expect(s.properties.managed).toBe(true);

    const updated = await certs.updateCertificateProperties('cluster-cert', first, { enabled: false });
    expect(updated.properties.enabled).toBe(false);
    await expect(secrets.getSecret('cluster-cert', { version: first })).rejects.toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
    });
    await certs.updateCertificateProperties('cluster-cert', first, { enabled: true });
    await expect(secrets.getSecret('cluster-cert', { version: first })).resolves.toBeDefined();
  });

  it('serves the secret as PKCS#12 with the chain, and as a PEM bundle leaf first when the policy says PEM', async () => {
    const pfxSecret = await secrets.getSecret('cluster-cert');
    const pfx = Buffer.from(pfxSecret.value!, 'base64');
    const { createSecureContext } = await import('node:tls');
    expect(() => createSecureContext({ pfx, passphrase: '' })).not.toThrow();

    await certs.updateCertificatePolicy('cluster-cert', {
      issuerName: 'kvr-issuer',
      subject: 'CN=cluster.contoso.com',
      contentType: 'application/x-pem-file',
    });
    const policy = await certs.getCertificatePolicy('cluster-cert');
    expect(policy.contentType).toBe('application/x-pem-file');
    await sandbox.world.certificates.renewNow('kvr-test-vault', 'cluster-cert');
    const pem = (await secrets.getSecret('cluster-cert')).value!;
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
    expect(blocks).toHaveLength(3);
    const [leaf, inter, root] = blocks.map((b) => new X509Certificate(b));
    expect(leaf!.checkIssued(inter!)).toBe(true);
    expect(inter!.checkIssued(root!)).toBe(true);
    expect(leaf!.subject).toContain('cluster.contoso.com');
  });

  it('imports a PEM bundle and a PFX', async () => {
    const pem = (await secrets.getSecret('cluster-cert')).value!;
    const imported = await certs.importCertificate('imported-pem', Buffer.from(pem), {
      policy: {
        contentType: 'application/x-pem-file',
        issuerName: 'Unknown',
        subject: 'CN=cluster.contoso.com',
      },
    });
    expect(imported.properties.x509ThumbprintString).toBeDefined();
    const latest = await certs.getCertificate('cluster-cert');
    expect(imported.properties.x509ThumbprintString).toBe(latest.properties.x509ThumbprintString);

    const first = (await secrets.getSecret('cluster-cert', { version: await firstVersion() })).value!;
    const fromPfx = await certs.importCertificate('imported-pfx', Buffer.from(first, 'base64'));
    expect(fromPfx.policy?.issuerName).toBe('Unknown');
    expect(fromPfx.cer).toBeDefined();
  });
});

describe('listing and cancelling', () => {
  it('lists certificates and secret versions', async () => {
    const names: string[] = [];
    for await (const p of certs.listPropertiesOfCertificates()) names.push(p.name!);
    expect(names).toEqual(
      expect.arrayContaining(['cluster-cert', 'slow-cert', 'imported-pem', 'imported-pfx']),
    );
    const secretVersions: string[] = [];
    for await (const p of secrets.listPropertiesOfSecretVersions('cluster-cert')) {
      expect(p.managed).toBe(true);
      secretVersions.push(p.version!);
    }
    const certVersions = sandbox.world.vaults
      .listCertificateVersions('kvr-test-vault', 'cluster-cert')
      .map((v) => v.version);
    expect(secretVersions).toEqual(certVersions);
  });

  it('cancels a pending creation', async () => {
    const poller = await certs.beginCreateCertificate(
      'to-cancel',
      { issuerName: 'Unknown', subject: 'CN=cancel.me' },
      { intervalInMs: 1 },
    );
    expect(poller.isDone()).toBe(false);
    await poller.cancelOperation();
    const op = sandbox.world.vaults.getCertificate('kvr-test-vault', 'to-cancel')!.pending!;
    expect(op.cancellationRequested).toBe(true);
    expect(op.status).toBe('cancelled');
  });
});

async function firstVersion(): Promise<string> {
  for await (const p of certs.listPropertiesOfCertificateVersions('cluster-cert')) return p.version!;
  throw new Error('no versions');
}
