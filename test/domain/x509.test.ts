import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directIssuerThumbprint,
  Eku,
  normalizeThumbprint,
  parseCertificate,
  parsePemChain,
  sameThumbprint,
  splitThumbprintList,
  thumbprintFromX5t,
  thumbprintOf,
  type CertificateInfo,
} from '../../src/domain/x509.js';
import {
  OpensslPki,
  opensslDate,
  opensslKeyId,
  opensslThumbprint,
  opensslX5t,
  type IssuedCert,
} from './openssl-pki.js';

let pki: OpensslPki;
let root: IssuedCert;
let inter: IssuedCert;
let otherInter: IssuedCert;
let leaf: IssuedCert;
let leafNoSan: IssuedCert;
let selfSignedLeaf: IssuedCert;
/** Same subject DN as `inter` but a different key: must never be taken for leaf's issuer. */
let impostor: IssuedCert;

beforeAll(() => {
  pki = new OpensslPki();
  root = pki.selfSigned('Contoso Test Root');
  inter = pki.intermediate('Contoso Issuing CA 1', root);
  otherInter = pki.intermediate('Contoso Issuing CA 2', root);
  impostor = pki.selfSigned('Contoso Issuing CA 1');
  leaf = pki.leaf({
    cn: 'cluster.contoso.com',
    dnsNames: ['cluster.contoso.com', 'alt.contoso.com'],
    start: '20260101000000Z',
    end: '20270101120000Z',
    issuer: inter,
  });
  leafNoSan = pki.leaf({
    cn: 'nosan.contoso.com',
    start: '20260301000000Z',
    end: '20260601000000Z',
    issuer: otherInter,
    ekus: 'serverAuth',
  });
  selfSignedLeaf = pki.selfSigned('self.contoso.com', { ca: false, dnsNames: ['self.contoso.com'] });
});

afterAll(() => pki.dispose());

describe('parseCertificate', () => {
  const cases: Array<{ name: string; get: () => IssuedCert; form: (c: IssuedCert) => Uint8Array | string }> =
    [
      { name: 'DER bytes', get: () => leaf, form: (c) => c.der },
      { name: 'PEM text', get: () => leaf, form: (c) => c.pem },
      { name: "base64 DER (Key Vault's cer)", get: () => leaf, form: (c) => c.der.toString('base64') },
    ];
  it.each(cases)('reads the same facts from $name as openssl', ({ get, form }) => {
    const cert = get();
    const info = parseCertificate(form(cert));
    expect(info.thumbprint).toBe(opensslThumbprint(cert.pemPath));
    expect(info.notBefore.getTime()).toBe(opensslDate(cert.pemPath, 'startdate').getTime());
    expect(info.notAfter.getTime()).toBe(opensslDate(cert.pemPath, 'enddate').getTime());
    expect(info.notBefore.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(info.notAfter.toISOString()).toBe('2027-01-01T12:00:00.000Z');
    expect(info.commonName).toBe('cluster.contoso.com');
    expect(info.dnsNames).toEqual(['cluster.contoso.com', 'alt.contoso.com']);
    expect(info.issuerCommonName).toBe('Contoso Issuing CA 1');
    expect(info.issuer).toContain('CN=Contoso Issuing CA 1');
    expect(info.extendedKeyUsages).toEqual([Eku.ServerAuth, Eku.ClientAuth]);
    expect(info.isCa).toBe(false);
    expect(info.selfSigned).toBe(false);
    expect(info.subjectKeyIdentifier).toBe(opensslKeyId(cert.pemPath, 'subjectKeyIdentifier'));
    expect(info.authorityKeyIdentifier).toBe(opensslKeyId(inter.pemPath, 'subjectKeyIdentifier'));
  });

  it('reads a leaf without SANs and with a single EKU', () => {
    const info = parseCertificate(leafNoSan.pem);
    expect(info.dnsNames).toEqual([]);
    expect(info.extendedKeyUsages).toEqual([Eku.ServerAuth]);
    expect(info.thumbprint).toBe(opensslThumbprint(leafNoSan.pemPath));
  });

  const selfSignedCases: Array<{ name: string; get: () => IssuedCert; selfSigned: boolean; ca: boolean }> = [
    { name: 'root CA', get: () => root, selfSigned: true, ca: true },
    { name: 'self-signed leaf', get: () => selfSignedLeaf, selfSigned: true, ca: false },
    { name: 'intermediate', get: () => inter, selfSigned: false, ca: true },
    { name: 'issued leaf', get: () => leaf, selfSigned: false, ca: false },
  ];
  it.each(selfSignedCases)(
    'classifies the $name (self-signed=$selfSigned, CA=$ca)',
    ({ get, selfSigned, ca }) => {
      const info = parseCertificate(get().pem);
      expect(info.selfSigned).toBe(selfSigned);
      expect(info.isCa).toBe(ca);
    },
  );

  it('rejects bytes that are not a certificate', () => {
    expect(() => parseCertificate(Buffer.from('not a certificate'))).toThrow();
  });
});

describe('thumbprints', () => {
  it('computes the uppercase SHA-1 of the DER as openssl does', () => {
    expect(thumbprintOf(root.der)).toBe(opensslThumbprint(root.pemPath));
    expect(thumbprintOf(root.der)).toMatch(/^[0-9A-F]{40}$/);
  });

  it("converts Key Vault's base64url x5t to the same thumbprint", () => {
    for (const cert of [root, inter, leaf, selfSignedLeaf]) {
      expect(thumbprintFromX5t(opensslX5t(cert.pemPath))).toBe(opensslThumbprint(cert.pemPath));
    }
  });

  it('rejects an x5t that is not a SHA-1 digest', () => {
    expect(() => thumbprintFromX5t('AAAA')).toThrow(/20-byte/);
  });

  it.each([
    [
      'ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01',
      'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
    ],
    [
      'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01',
      'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
    ],
    ['\u200eabcdef0123456789abcdef0123456789abcdef01', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'],
    ['abcdef', undefined],
    ['zz'.repeat(20), undefined],
  ])('normalizes %j', (input, expected) => {
    expect(normalizeThumbprint(input)).toBe(expected);
  });

  it('compares thumbprints case-insensitively and splits comma-separated pin lists', () => {
    const tp = opensslThumbprint(inter.pemPath);
    expect(sameThumbprint(tp.toLowerCase(), tp)).toBe(true);
    expect(sameThumbprint(tp, opensslThumbprint(root.pemPath))).toBe(false);
    expect(sameThumbprint(undefined, tp)).toBe(false);
    expect(splitThumbprintList(` ${tp.toLowerCase()} , ${opensslThumbprint(root.pemPath)},`)).toEqual([
      tp,
      opensslThumbprint(root.pemPath),
    ]);
    expect(splitThumbprintList(undefined)).toEqual([]);
  });
});

describe('parsePemChain and directIssuerThumbprint', () => {
  let leafInfo: CertificateInfo;
  beforeAll(() => {
    leafInfo = parseCertificate(leaf.pem);
  });

  it('parses every certificate of a bundle in order, ignoring key blocks', () => {
    const bundle = `-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${leaf.pem}${inter.pem}${root.pem}`;
    const chain = parsePemChain(bundle);
    expect(chain.map((c) => c.thumbprint)).toEqual(
      [leaf, inter, root].map((c) => opensslThumbprint(c.pemPath)),
    );
  });

  it.each([
    { name: 'intermediate then root', chain: () => [inter, root] },
    { name: 'root then intermediate', chain: () => [root, inter] },
    { name: 'sibling intermediate first', chain: () => [otherInter, inter, root] },
    { name: 'chain including the leaf itself', chain: () => [leaf, inter, root] },
    { name: 'same-DN impostor listed first', chain: () => [impostor, inter] },
  ])('finds the direct issuer with $name', ({ chain }) => {
    const parsed = parsePemChain(
      chain()
        .map((c) => c.pem)
        .join(''),
    );
    expect(directIssuerThumbprint(leafInfo, parsed)).toBe(opensslThumbprint(inter.pemPath));
  });

  it('matches by DN and signature when the leaf has no authority key identifier match', () => {
    const noAki = { ...leafInfo, authorityKeyIdentifier: undefined };
    const parsed = parsePemChain(impostor.pem + otherInter.pem + inter.pem);
    expect(directIssuerThumbprint(noAki, parsed)).toBe(opensslThumbprint(inter.pemPath));
  });

  it('returns undefined when the issuer is absent or only an impostor is present', () => {
    expect(directIssuerThumbprint(leafInfo, parsePemChain(root.pem + otherInter.pem))).toBeUndefined();
    expect(directIssuerThumbprint(leafInfo, parsePemChain(impostor.pem))).toBeUndefined();
    expect(directIssuerThumbprint(leafInfo, [])).toBeUndefined();
  });

  it('returns undefined for a self-signed certificate and the root for an intermediate', () => {
    expect(
      directIssuerThumbprint(parseCertificate(selfSignedLeaf.pem), parsePemChain(root.pem)),
    ).toBeUndefined();
    expect(directIssuerThumbprint(parseCertificate(inter.pem), parsePemChain(root.pem))).toBe(
      opensslThumbprint(root.pemPath),
    );
  });
});
