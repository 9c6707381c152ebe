// X.509 facts the planner needs, parsed by well-kept libraries (never a hand-written ASN.1 parser):
// @peculiar/x509 for the extensions (SANs, EKUs, key identifiers) and Node's crypto.X509Certificate for
// signature checks. Everything here is synchronous and pure: bytes in, facts out.
// The reflect polyfill must be loaded before @peculiar/x509 evaluates (it uses tsyringe).
import 'reflect-metadata';
import { createHash, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { boundedMemo } from './memo.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Well-known extended key usage OIDs (RFC 5280 §4.2.1.12). */
export const Eku = {
  ServerAuth: '1.3.6.1.5.5.7.3.1',
  ClientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** The facts of one certificate. Thumbprints and key identifiers are uppercase hex, as Azure shows them. */
export interface CertificateInfo {
  /** SHA-1 of the DER encoding, uppercase hex without separators (Azure's thumbprint form). */
  readonly thumbprint: string;
  readonly subject: string;
  /** The first CN of the subject, if any. */
  readonly commonName: string | undefined;
  readonly issuer: string;
  readonly issuerCommonName: string | undefined;
  /** DNS names from the subject alternative name extension, in certificate order. */
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Extended key usage OIDs; empty when the extension is absent. */
  readonly extendedKeyUsages: readonly string[];
  readonly isCa: boolean;
  /** Subject equals issuer and the signature verifies with the certificate's own key. */
  readonly selfSigned: boolean;
  readonly subjectKeyIdentifier: string | undefined;
  readonly authorityKeyIdentifier: string | undefined;
  readonly serialNumber: string;
  /** The DER bytes, kept for signature checks against candidate issuers. */
  readonly der: Uint8Array;
}

const THUMBPRINT = /^[0-9A-F]{40}$/;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** SHA-1 thumbprint of DER bytes in Azure's uppercase-hex form. */
export function thumbprintOf(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** Key Vault's `x5t` is the base64url (unpadded) SHA-1 of the DER; Azure declarations use uppercase hex. */
export function thumbprintFromX5t(x5t: string): string {
  const bytes = Buffer.from(x5t.trim(), 'base64url');
  if (bytes.length !== 20) throw new Error(`x5t "${x5t}" does not decode to a 20-byte SHA-1 digest`);
  return bytes.toString('hex').toUpperCase();
}

/**
 * Canonical form of a user- or Azure-supplied thumbprint: separators and whitespace removed, uppercase
 * (SF compares case-insensitively and ignores whitespace [SF-CERTS]). Returns undefined when the result is
 * not 40 hex characters.
 */
export function normalizeThumbprint(value: string): string | undefined {
  const cleaned = value.replace(/[\s:\u200e\u200f]/g, '').toUpperCase();
  return THUMBPRINT.test(cleaned) ? cleaned : undefined;
}

/** Thumbprints compare case-insensitively, whitespace ignored [SF-CERTS]. */
export function sameThumbprint(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const na = normalizeThumbprint(a);
  return na !== undefined && na === normalizeThumbprint(b);
}

/** Splits a comma-separated issuer thumbprint list as SF's `certificateIssuerThumbprint` holds it. */
export function splitThumbprintList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((part) => normalizeThumbprint(part))
    .filter((tp): tp is string => tp !== undefined);
}

/** Decodes a PEM block or base64 text, or takes DER bytes as they are. */
function toDer(input: Uint8Array | string): Uint8Array {
  if (typeof input !== 'string') return input;
  const text = input.trim();
  if (text.startsWith('-----BEGIN')) {
    const body = text
      .replace(/-----BEGIN [^-]+-----/, '')
      .replace(/-----END [^-]+-----[\s\S]*$/, '')
      .replace(/\s+/g, '');
    return Buffer.from(body, 'base64');
  }
  // Key Vault's `cer` is base64 (standard alphabet); base64url is accepted too.
  return Buffer.from(
    text.replace(/\s+/g, ''),
    text.includes('-') || text.includes('_') ? 'base64url' : 'base64',
  );
}

function hexUpper(hex: string | undefined): string | undefined {
  return hex === undefined || hex === '' ? undefined : hex.toUpperCase();
}

/** Parses one certificate given as DER bytes, a PEM block or base64 DER (Key Vault's `cer`). */
function parseCertificateUncached(input: Uint8Array | string): CertificateInfo {
  const der = toDer(input);
  const cert = new x509.X509Certificate(der);
  const node = new NodeX509Certificate(der);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  return {
    thumbprint: thumbprintOf(der),
    subject: cert.subject,
    commonName: cert.subjectName.getField('CN')[0],
    issuer: cert.issuer,
    issuerCommonName: cert.issuerName.getField('CN')[0],
    dnsNames: (san?.names.items ?? []).filter((n) => n.type === 'dns').map((n) => n.value),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    extendedKeyUsages: eku ? eku.usages.map(String) : [],
    isCa: basic?.ca ?? false,
    selfSigned: node.checkIssued(node) && node.verify(node.publicKey),
    subjectKeyIdentifier: hexUpper(ski?.keyId),
    authorityKeyIdentifier: hexUpper(aki?.keyId),
    serialNumber: cert.serialNumber.toUpperCase(),
    der,
  };
}

/** Parses every CERTIFICATE block of a PEM bundle, in order; other blocks (keys) are ignored. */
/** Parsed certificates by their text (base64 or PEM): the same bytes always parse the same. */
const parseText = boundedMemo(1024, (text: string) => text, parseCertificateUncached);

/**
 * Parses one certificate (DER bytes, PEM or base64 DER). Text inputs are memoised — the operator reads
 * the same few vault versions on every reconcile — so the result is shared: never mutate it.
 */
export function parseCertificate(input: Uint8Array | string): CertificateInfo {
  return typeof input === 'string' ? parseText(input) : parseCertificateUncached(input);
}

export function parsePemChain(pem: string): CertificateInfo[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => parseCertificate(block));
}

/** True when `candidate` issued `leaf`: names chain up and candidate's key verifies leaf's signature. */
/** Signature checks already made, by (leaf, candidate) identity: parsed certificates are shared objects. */
const issuedBy = new WeakMap<CertificateInfo, WeakMap<CertificateInfo, boolean>>();

export function isIssuedBy(leaf: CertificateInfo, candidate: CertificateInfo): boolean {
  let byCandidate = issuedBy.get(leaf);
  if (byCandidate === undefined) issuedBy.set(leaf, (byCandidate = new WeakMap()));
  const known = byCandidate.get(candidate);
  if (known !== undefined) return known;
  const result = checkIssuedBy(leaf, candidate);
  byCandidate.set(candidate, result);
  return result;
}

function checkIssuedBy(leaf: CertificateInfo, candidate: CertificateInfo): boolean {
  const child = new NodeX509Certificate(leaf.der);
  const parent = new NodeX509Certificate(candidate.der);
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/**
 * Thumbprint of the certificate that directly issued `leaf` among `chain` (the issuer thumbprint SF pins
 * [SF-CERTS]): first the candidates whose subject key identifier equals the leaf's authority key
 * identifier, then any candidate whose subject DN is the leaf's issuer DN; each must verify the leaf's
 * signature. Undefined for a self-signed leaf or when no candidate issued it.
 */
export function directIssuerThumbprint(
  leaf: CertificateInfo,
  chain: readonly CertificateInfo[],
): string | undefined {
  if (leaf.selfSigned) return undefined;
  const others = chain.filter((c) => c.thumbprint !== leaf.thumbprint);
  const byKeyId =
    leaf.authorityKeyIdentifier === undefined
      ? []
      : others.filter((c) => c.subjectKeyIdentifier === leaf.authorityKeyIdentifier);
  for (const candidate of [...byKeyId, ...others.filter((c) => !byKeyId.includes(c))]) {
    if (isIssuedBy(leaf, candidate)) return candidate.thumbprint;
  }
  return undefined;
}
