import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { CertificateClient } from '@azure/keyvault-certificates';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import { clientOptions, operatorCredential, seedCas, seedVault, startTestSandbox } from './helpers.js';

const DAY = 86_400_000;
let sandbox: AzureSandbox;
let certs: CertificateClient;
let cas: { rootId: string; interA: string; interB: string };

beforeAll(async () => {
  sandbox = await startTestSandbox({ certificateIssuanceDelayMs: 60_000 });
  seedVault(sandbox);
  cas = await seedCas(sandbox);
  certs = new CertificateClient(
    'https://kvr-test-vault.vault.azure.net',
    operatorCredential(sandbox),
    clientOptions(sandbox),
  );
});

afterAll(async () => {
  await sandbox?.close();
});

async function versions(name: string): Promise<string[]> {
  const out: string[] = [];
  for await (const p of certs.listPropertiesOfCertificateVersions(name)) out.push(p.version!);
  return out;
}

describe('pending creation on the virtual clock', () => {
  it('stays inProgress until the issuer answers, then completes', async () => {
    const poller = await certs.beginCreateCertificate(
      'pct',
      {
        issuerName: 'kvr-issuer',
        subject: 'CN=pct.contoso.com',
        validityInMonths: 10,
        lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
      },
      { intervalInMs: 1 },
    );
    await poller.poll();
    await sandbox.world.settle();
    expect(poller.isDone()).toBe(false);
    expect(sandbox.world.vaults.getCertificate('kvr-test-vault', 'pct')?.pending?.status).toBe('inProgress');
    await expect(certs.getCertificate('pct')).rejects.toMatchObject({ statusCode: 404 });
    sandbox.clock.advance(60_000);
    const cert = await poller.pollUntilDone();
    expect(cert.properties.version).toBeDefined();
  });
});

describe('auto-renewal by policy as the virtual clock advances', () => {
  it('renews at lifetimePercentage', async () => {
    const first = await certs.getCertificate('pct');
    const life = first.properties.expiresOn!.getTime() - first.properties.notBefore!.getTime();
    sandbox.clock.advance(life * 0.75);
    await sandbox.world.settle();
    expect(await versions('pct')).toHaveLength(1);
    sandbox.clock.advance(life * 0.06); // past 80 %
    await sandbox.world.settle();
    // The renewal is a pending operation too: it completes after the issuance delay.
    expect(await versions('pct')).toHaveLength(1);
    sandbox.clock.advance(60_000);
    await sandbox.world.settle();
    const all = await versions('pct');
    expect(all).toHaveLength(2);
    const latest = await certs.getCertificate('pct');
    expect(latest.properties.version).toBe(all[1]);
    expect(latest.properties.notBefore!.getTime()).toBeGreaterThan(first.properties.notBefore!.getTime());
    // Further advancing within the new version's early life does not renew again.
    sandbox.clock.advance(DAY);
    await sandbox.world.settle();
    expect(await versions('pct')).toHaveLength(2);
  });

  it('renews at daysBeforeExpiry, re-keying unless the policy reuses the key', async () => {
    const v1 = await sandbox.world.certificates.seedVersion('kvr-test-vault', 'days', {
      issuer: { name: 'kvr-issuer' },
      key_props: { kty: 'EC', crv: 'P-256', reuse_key: false },
      x509_props: { subject: 'CN=days.contoso.com', validity_months: 3 },
      lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'AutoRenew' } }],
    });
    const toTrigger = v1.notAfter.getTime() - 30 * DAY - sandbox.clock.now().getTime();
    sandbox.clock.advance(toTrigger - DAY);
    await sandbox.world.settle();
    expect(sandbox.world.vaults.listCertificateVersions('kvr-test-vault', 'days')).toHaveLength(1);
    sandbox.clock.advance(2 * DAY);
    await sandbox.world.settle();
    sandbox.clock.advance(60_000);
    await sandbox.world.settle();
    const all = sandbox.world.vaults.listCertificateVersions('kvr-test-vault', 'days');
    expect(all).toHaveLength(2);
    const pub = (der: Buffer): string =>
      new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(pub(all[1]!.der)).not.toBe(pub(all[0]!.der));
  });

  it('does not auto-renew a policy whose lifetime action is EmailContacts', async () => {
    await sandbox.world.certificates.seedVersion('kvr-test-vault', 'mail', {
      issuer: { name: 'kvr-issuer' },
      x509_props: { subject: 'CN=mail', validity_months: 1 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 50 }, action: { action_type: 'EmailContacts' } }],
    });
    sandbox.clock.advance(40 * DAY);
    await sandbox.world.settle();
    expect(sandbox.world.vaults.listCertificateVersions('kvr-test-vault', 'mail')).toHaveLength(1);
  });
});

describe('scenario controls', () => {
  it('switches an issuer to a new intermediate: the next version chains to it', async () => {
    const before = await sandbox.world.certificates.renewNow('kvr-test-vault', 'pct');
    expect(before.issuerThumbprint).toBe(sandbox.world.cas.get(cas.interA)!.thumbprint);
    sandbox.world.certificates.switchIssuer('kvr-test-vault', 'kvr-issuer', cas.interB);
    const after = await sandbox.world.certificates.renewNow('kvr-test-vault', 'pct');
    expect(after.issuerThumbprint).toBe(sandbox.world.cas.get(cas.interB)!.thumbprint);
    expect(new X509Certificate(after.der).checkIssued(new X509Certificate(after.chain[0]!))).toBe(true);
    sandbox.world.certificates.switchIssuer('kvr-test-vault', 'kvr-issuer', cas.interA);
  });

  it('issues a renewal with an earlier NotBefore than the current version', async () => {
    const current = sandbox.world.vaults.latestCertificateVersion('kvr-test-vault', 'pct')!;
    const earlier = new Date(current.notBefore.getTime() - 10 * DAY);
    const renewed = await sandbox.world.certificates.renewNow('kvr-test-vault', 'pct', {
      notBefore: earlier,
    });
    expect(renewed.notBefore.getTime()).toBe(earlier.getTime());
    const viaSdk = await certs.getCertificate('pct');
    expect(viaSdk.properties.version).toBe(renewed.version);
    expect(viaSdk.properties.notBefore!.getTime()).toBe(Math.floor(earlier.getTime() / 1000) * 1000);
  });

  it('issues a renewal from an undeclared issuer', async () => {
    const rogue = await sandbox.world.cas.createIntermediate(cas.rootId, 'Undeclared Intermediate');
    const renewed = await sandbox.world.certificates.renewNow('kvr-test-vault', 'pct', { caId: rogue.id });
    expect(renewed.issuerThumbprint).toBe(rogue.thumbprint);
    expect(renewed.issuerName).toBe('kvr-issuer');
  });
});

describe('key handling by policy', () => {
  const spki = (der: Buffer): string =>
    new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

  it('keeps the key pair on renewal when reuse_key is set', async () => {
    const v1 = await sandbox.world.certificates.seedVersion('kvr-test-vault', 'reuse', {
      issuer: { name: 'kvr-issuer' },
      key_props: { kty: 'RSA', key_size: 2048, reuse_key: true },
      x509_props: { subject: 'CN=reuse' },
    });
    const v2 = await sandbox.world.certificates.renewNow('kvr-test-vault', 'reuse');
    expect(v2.thumbprint).not.toBe(v1.thumbprint);
    expect(spki(v2.der)).toBe(spki(v1.der));
  });

  it('serves an EC certificate as a PKCS#12 that Node can load', async () => {
    await sandbox.world.certificates.seedVersion('kvr-test-vault', 'ec', {
      issuer: { name: 'kvr-issuer' },
      key_props: { kty: 'EC', crv: 'P-384' },
      secret_props: { contentType: 'application/x-pkcs12' },
      x509_props: { subject: 'CN=ec.contoso.com' },
    });
    const read = sandbox.world.vaults.getSecret('kvr-test-vault', 'ec');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const { createSecureContext } = await import('node:tls');
    expect(() =>
      createSecureContext({ pfx: Buffer.from(read.secret.value, 'base64'), passphrase: '' }),
    ).not.toThrow();
    expect(new X509Certificate(read.secret.certificate.der).publicKey.asymmetricKeyDetails?.namedCurve).toBe(
      'secp384r1',
    );
  });

  it('omits the private key from the secret of a non-exportable certificate', async () => {
    await sandbox.world.certificates.seedVersion('kvr-test-vault', 'nonexp', {
      issuer: { name: 'kvr-issuer' },
      key_props: { kty: 'RSA', exportable: false },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: { subject: 'CN=nonexp' },
    });
    const read = sandbox.world.vaults.getSecret('kvr-test-vault', 'nonexp');
    expect(read.ok && read.secret.value.includes('PRIVATE KEY')).toBe(false);
    expect(read.ok && read.secret.value.includes('BEGIN CERTIFICATE')).toBe(true);
  });
});
