import { describe, expect, it } from 'vitest';
import type { ClusterProperties } from '../../../src/sandbox/world/sf-cluster-model.js';
import {
  validateClusterProperties,
  validateClusterTransition,
} from '../../../src/sandbox/world/sf-validation.js';

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const C = 'C'.repeat(40);
const D = 'D'.repeat(40);
const I1 = '1'.repeat(40);
const base: ClusterProperties = {
  certificate: { thumbprint: A, x509StoreName: 'My' },
  reliabilityLevel: 'Silver',
  nodeTypes: [{ name: 'nt1vm', vmInstanceCount: 5, isPrimary: true }],
  clusterCodeVersion: '10.1.2175.9590',
};
const cnDecl = (...names: string[]) => ({
  commonNames: names.map((certificateCommonName) => ({
    certificateCommonName,
    certificateIssuerThumbprint: I1,
  })),
  x509StoreName: 'My',
});

describe('SFRP validation codes [SF-SRC SettingsValidator]', () => {
  it.each([
    [
      'InvalidCommonNameThumbprintPair',
      { certificate: { thumbprint: A }, certificateCommonNames: cnDecl('a.contoso.com') },
    ],
    [
      'InvalidCommonNameCount',
      { certificateCommonNames: cnDecl('a.contoso.com', 'b.contoso.com', 'c.contoso.com') },
    ],
    [
      'DupeCommonNameNotAllowedForClusterCert',
      { certificateCommonNames: cnDecl('a.contoso.com', 'A.contoso.com') },
    ],
    ['InvalidCommonName', { certificateCommonNames: cnDecl(' ') }],
    [
      'InvalidCertificateIssuerThumbprints',
      {
        certificateCommonNames: {
          commonNames: [
            { certificateCommonName: 'a.contoso.com', certificateIssuerThumbprint: `${I1},${I1}` },
          ],
        },
      },
    ],
    [
      'InvalidCertificateIssuerThumbprints',
      {
        certificateCommonNames: {
          commonNames: [{ certificateCommonName: 'a.contoso.com', certificateIssuerThumbprint: 'nothex' }],
        },
      },
    ],
    [
      'DuplicateThumbprintNotAllowed',
      { certificate: { thumbprint: A, thumbprintSecondary: A.toLowerCase() } },
    ],
  ] as [string, ClusterProperties][])('%s', (code, properties) => {
    expect(validateClusterProperties(properties)?.code).toBe(code);
  });

  it('rejects removing every certificate and adding one to an unsecure cluster', () => {
    const noCert = { ...base, certificate: null };
    expect(validateClusterTransition(base, noCert, false)?.code).toBe(
      'AuthenticationTypeCannotBeChangedByRemovingCertificate',
    );
    expect(validateClusterTransition(noCert, base, false)?.code).toBe(
      'AuthenticationTypeCannotBeChangedByAddingCertificate',
    );
  });

  it('rejects a certificate change together with a reliability or node-count change', () => {
    const target = {
      ...base,
      certificate: { thumbprint: A, thumbprintSecondary: B },
      reliabilityLevel: 'Gold',
    };
    expect(validateClusterTransition(base, target, false)?.code).toBe(
      'CertificateAndScaleUpgradeTogetherNotAllowed',
    );
    const scaled = {
      ...base,
      certificate: { thumbprint: A, thumbprintSecondary: B },
      nodeTypes: [{ name: 'nt1vm', vmInstanceCount: 7 }],
    };
    expect(validateClusterTransition(base, scaled, false)?.code).toBe(
      'CertificateAndScaleUpgradeTogetherNotAllowed',
    );
  });

  it('rejects a second upgrade while one runs (409) but accepts an unchanged body', () => {
    const target = { ...base, certificate: { thumbprint: A, thumbprintSecondary: B } };
    const verdict = validateClusterTransition(base, target, true);
    expect(verdict?.code).toBe('ClusterUpgradeInProgress');
    expect(verdict?.status).toBe(409);
    expect(validateClusterTransition(base, { ...base }, true)).toBeUndefined();
  });

  it('rejects two certificates to two different certificates but allows a swap', () => {
    const two = { ...base, certificate: { thumbprint: A, thumbprintSecondary: B } };
    expect(
      validateClusterTransition(
        two,
        { ...base, certificate: { thumbprint: C, thumbprintSecondary: D } },
        false,
      )?.code,
    ).toBe('TwoCertificatesToTwoCertificatesNotAllowed');
    expect(
      validateClusterTransition(
        two,
        { ...base, certificate: { thumbprint: B, thumbprintSecondary: A } },
        false,
      ),
    ).toBeUndefined();
  });

  it('accepts the documented conversion target (certificate removed, common names added)', () => {
    const target = { ...base, certificate: null, certificateCommonNames: cnDecl('cluster.contoso.com') };
    expect(validateClusterTransition(base, target, false)).toBeUndefined();
  });
});
