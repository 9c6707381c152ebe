import { describe, expect, it } from 'vitest';
import { CertificateStore } from '../../../src/sandbox/world/cert-store.js';
import {
  presentationOrdering,
  selectPresentedCertificate,
  validatePeerCertificate,
} from '../../../src/sandbox/world/sf-runtime.js';
import { DAY, T0, ca, leaf, selfSigned } from './fixtures.js';

const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const CN = 'cluster.contoso.com';

function storeWith(...certs: Parameters<CertificateStore['install']>[0][]): CertificateStore {
  const store = new CertificateStore();
  for (const cert of certs) store.install(cert, { hasPrivateKey: true, at: T0, source: 'scenario' });
  return store;
}

describe('presentation [SF-CERTS][SF-MGMT]', () => {
  const issuer = ca('issuer-1');
  // older NotBefore but farther NotAfter vs newer NotBefore with nearer NotAfter
  const longLived = leaf({ cn: CN, issuer, notBefore: at(-100), notAfter: at(300) });
  const renewed = leaf({ cn: CN, issuer, notBefore: at(-10), notAfter: at(200) });
  const decl = { thumbprints: [], commonNames: [{ commonName: CN, issuerThumbprints: [issuer.thumbprint] }] };

  it('picks the newest NotBefore from 7.2.445 and the farthest NotAfter before it', () => {
    const store = storeWith(longLived, renewed);
    const current = selectPresentedCertificate(store.list(), decl, T0, presentationOrdering('7.2.457.9590'));
    const legacy = selectPresentedCertificate(store.list(), decl, T0, presentationOrdering('7.1.503.9590'));
    expect(current.ok && current.certificate.thumbprint).toBe(renewed.thumbprint);
    expect(legacy.ok && legacy.certificate.thumbprint).toBe(longLived.thumbprint);
  });

  it('reads the runtime version boundary exactly at 7.2.445', () => {
    expect(presentationOrdering('7.2.445.9590')).toBe('newestNotBefore');
    expect(presentationOrdering('7.2.444.9590')).toBe('farthestNotAfter');
    expect(presentationOrdering('10.1.2175.9590')).toBe('newestNotBefore');
  });

  it('ignores expired certificates and those without a private key', () => {
    const expired = leaf({ cn: CN, issuer, notBefore: at(-5), notAfter: at(-1) });
    const store = storeWith(longLived, expired);
    const keyless = leaf({ cn: CN, issuer, notBefore: at(-1), notAfter: at(50) });
    store.install(keyless, { hasPrivateKey: false, at: T0, source: 'scenario' });
    const result = selectPresentedCertificate(store.list(), decl, T0, 'newestNotBefore');
    expect(result.ok && result.certificate.thumbprint).toBe(longLived.thumbprint);
  });

  it('matches the presentation CN exactly and case-sensitively (no SAN, no wildcard)', () => {
    const upper = leaf({
      cn: 'CLUSTER.contoso.com',
      sans: [CN],
      issuer,
      notBefore: at(-1),
      notAfter: at(10),
    });
    const result = selectPresentedCertificate(storeWith(upper).list(), decl, T0, 'newestNotBefore');
    expect(result.ok).toBe(false);
  });

  it('presents by thumbprint among primary and secondary with the same ordering', () => {
    const store = storeWith(longLived, renewed);
    const byTp = { thumbprints: [longLived.thumbprint, renewed.thumbprint], commonNames: [] };
    const result = selectPresentedCertificate(store.list(), byTp, T0, 'newestNotBefore');
    expect(result.ok && result.certificate.thumbprint).toBe(renewed.thumbprint);
    const onlyOld = selectPresentedCertificate(
      store.list(),
      { thumbprints: [longLived.thumbprint], commonNames: [] },
      T0,
      'newestNotBefore',
    );
    expect(onlyOld.ok && onlyOld.certificate.thumbprint).toBe(longLived.thumbprint);
  });

  it('follows a linkOnRenewal link unconditionally, and fails when the target has no key', () => {
    const other = leaf({
      cn: 'other.contoso.com',
      sans: [CN, 'other.contoso.com'],
      issuer,
      notBefore: at(-1),
      notAfter: at(90),
    });
    const store = storeWith(longLived);
    store.install(other, { hasPrivateKey: true, at: T0, source: 'keyVaultExtension' });
    store.link(longLived.thumbprint, other.thumbprint);
    const byTp = { thumbprints: [longLived.thumbprint], commonNames: [] };
    const followed = selectPresentedCertificate(store.list(), byTp, T0, 'newestNotBefore');
    expect(followed.ok && followed.certificate.thumbprint).toBe(other.thumbprint);

    const keyless = leaf({
      cn: 'x.contoso.com',
      sans: [CN, 'x.contoso.com'],
      issuer,
      notBefore: at(-1),
      notAfter: at(90),
    });
    const store2 = storeWith(longLived);
    store2.install(keyless, { hasPrivateKey: false, at: T0, source: 'keyVaultExtension' });
    store2.link(longLived.thumbprint, keyless.thumbprint);
    const broken = selectPresentedCertificate(store2.list(), byTp, T0, 'newestNotBefore');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.reason).toContain('SEC_E_UNKNOWN_CREDENTIALS');
  });
});

describe('validation [SF-CERTS]', () => {
  const issuer = ca('issuer-1');
  const otherIssuer = ca('issuer-2');
  const cert = leaf({ cn: CN, sans: [CN, 'alt.contoso.com'], issuer, notBefore: at(-1), notAfter: at(90) });

  it('accepts a declared thumbprint only while time-valid', () => {
    const decl = { thumbprints: [cert.thumbprint.toLowerCase()], commonNames: [] };
    expect(validatePeerCertificate(cert, decl, T0).ok).toBe(true);
    expect(validatePeerCertificate(cert, decl, at(91)).ok).toBe(false);
    expect(validatePeerCertificate(cert, decl, at(-2)).ok).toBe(false);
  });

  it('accepts a CN (or SAN, case-insensitive) with a pinned direct issuer and rejects an unpinned one', () => {
    const pinned = {
      thumbprints: [],
      commonNames: [{ commonName: 'ALT.contoso.com', issuerThumbprints: [issuer.thumbprint] }],
    };
    expect(validatePeerCertificate(cert, pinned, T0).ok).toBe(true);
    const wrong = {
      thumbprints: [],
      commonNames: [{ commonName: CN, issuerThumbprints: [otherIssuer.thumbprint] }],
    };
    const verdict = validatePeerCertificate(cert, wrong, T0);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain('not pinned');
  });

  it('matches wildcard names', () => {
    const wildcard = leaf({
      cn: '*.contoso.com',
      sans: ['*.contoso.com'],
      issuer,
      notBefore: at(-1),
      notAfter: at(90),
    });
    const decl = {
      thumbprints: [],
      commonNames: [{ commonName: CN, issuerThumbprints: [issuer.thumbprint] }],
    };
    expect(validatePeerCertificate(wildcard, decl, T0).ok).toBe(true);
  });

  it('needs a trusted root without pinned issuers; a self-signed certificate only passes when pinned to itself', () => {
    const self = selfSigned(CN, at(-1), at(90));
    const cnOnly = { thumbprints: [], commonNames: [{ commonName: CN, issuerThumbprints: [] }] };
    expect(validatePeerCertificate(cert, cnOnly, T0).ok).toBe(true);
    expect(validatePeerCertificate(self, cnOnly, T0).ok).toBe(false);
    const selfPinned = {
      thumbprints: [],
      commonNames: [{ commonName: CN, issuerThumbprints: [self.thumbprint] }],
    };
    expect(validatePeerCertificate(self, selfPinned, T0).ok).toBe(true);
  });
});
