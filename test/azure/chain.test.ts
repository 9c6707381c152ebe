// The issuer chain is read from a Key Vault secret (PEM bundle or PKCS#12) with the key dropped.
// The test PKI is made by the openssl CLI, an oracle we did not write.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCertificates, issuerChain } from '../../src/azure/keyvault.js';

let dir: string;
const pem: Record<'root' | 'inter' | 'leaf' | 'leafKey', string> = {
  root: '',
  inter: '',
  leaf: '',
  leafKey: '',
};
let pfxBase64 = '';

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kvr-chain-'));
  writeFileSync(
    join(dir, 'ca.ext'),
    'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n',
  );
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:cluster.example.com\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'root.key',
    '-out',
    'root.pem',
    '-subj',
    '/CN=Test Root',
    '-days',
    '30',
  );
  openssl('req', '-new', ...ec, '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=Test Issuing CA');
  openssl(
    'x509',
    '-req',
    '-in',
    'inter.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-out',
    'inter.pem',
    '-days',
    '30',
    '-extfile',
    'ca.ext',
  );
  openssl(
    'req',
    '-new',
    ...ec,
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=cluster.example.com',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'inter.pem',
    '-CAkey',
    'inter.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '30',
    '-extfile',
    'leaf.ext',
  );
  writeFileSync(
    join(dir, 'chain.pem'),
    readFileSync(join(dir, 'inter.pem'), 'utf8') + readFileSync(join(dir, 'root.pem'), 'utf8'),
  );
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    'leaf.key',
    '-in',
    'leaf.pem',
    '-certfile',
    'chain.pem',
    '-passout',
    'pass:',
    '-out',
    'leaf.pfx',
  );
  pem.root = readFileSync(join(dir, 'root.pem'), 'utf8');
  pem.inter = readFileSync(join(dir, 'inter.pem'), 'utf8');
  pem.leaf = readFileSync(join(dir, 'leaf.pem'), 'utf8');
  pem.leafKey = readFileSync(join(dir, 'leaf.key'), 'utf8');
  pfxBase64 = readFileSync(join(dir, 'leaf.pfx')).toString('base64');
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thumb = (x: X509Certificate | string): string =>
  (typeof x === 'string' ? new X509Certificate(x) : x).fingerprint.replace(/:/g, '');

describe('extractCertificates', () => {
  it('reads the certificates of a PEM bundle and ignores the key', () => {
    const bundle = `${pem.leafKey}${pem.leaf}${pem.inter}${pem.root}`;
    const certs = extractCertificates(bundle, 'application/x-pem-file');
    expect(certs.map(thumb)).toEqual([thumb(pem.leaf), thumb(pem.inter), thumb(pem.root)]);
  });

  it('reads the certificates of a password-less PKCS#12 (as Key Vault stores it)', () => {
    const certs = extractCertificates(pfxBase64, 'application/x-pkcs12');
    expect(certs.map(thumb).sort()).toEqual([thumb(pem.leaf), thumb(pem.inter), thumb(pem.root)].sort());
  });

  it('fails without echoing the value when the secret is not a certificate', () => {
    expect(() => extractCertificates('c2VjcmV0LXZhbHVl', 'application/x-pkcs12')).toThrow(
      /neither a PEM bundle/,
    );
    try {
      extractCertificates('c2VjcmV0LXZhbHVl', 'application/x-pkcs12');
    } catch (err) {
      expect((err as Error).message).not.toContain('c2VjcmV0LXZhbHVl');
    }
  });
});

describe('issuerChain', () => {
  it('orders from the direct issuer up, whatever the order in the secret', () => {
    const shuffled = [pem.root, pem.leaf, pem.inter].map((p) => new X509Certificate(p));
    const leafDer = new X509Certificate(pem.leaf).raw;
    expect(issuerChain(shuffled, leafDer).map(thumb)).toEqual([thumb(pem.inter), thumb(pem.root)]);
    // Without the bundle's cer the leaf is the certificate that issued nothing.
    expect(issuerChain(shuffled).map(thumb)).toEqual([thumb(pem.inter), thumb(pem.root)]);
  });

  it('is empty for a self-signed certificate alone', () => {
    expect(issuerChain([new X509Certificate(pem.root)], new X509Certificate(pem.root).raw)).toEqual([]);
  });
});
