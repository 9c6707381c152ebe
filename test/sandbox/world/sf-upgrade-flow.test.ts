import { describe, expect, it } from 'vitest';
import { certificateUpgradeFlow } from '../../../src/sandbox/world/sf-upgrade-flow.js';

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const C = 'C'.repeat(40);
const I1 = '1'.repeat(40);
const I2 = '2'.repeat(40);
const tp = (...thumbprints: string[]) => ({ thumbprints, commonNames: [] });
const cn = (name: string, ...issuers: string[]) => ({
  thumbprints: [],
  commonNames: [{ commonName: name, issuerThumbprints: issuers }],
});

describe('SFRP certificate upgrade flow [SF-SRC CertificateClusterUpgradeFlow]', () => {
  it('counts steps as SF-SRC tests assert: add 2, remove 2, replace 3, swap 2, TP→CN 3', () => {
    expect(certificateUpgradeFlow(tp(A), tp(A, B)).steps).toHaveLength(2);
    expect(certificateUpgradeFlow(tp(A, B), tp(A)).steps).toHaveLength(2);
    expect(certificateUpgradeFlow(tp(A), tp(C)).steps).toHaveLength(3);
    expect(certificateUpgradeFlow(tp(A, B), tp(B, A)).steps).toHaveLength(2);
    expect(certificateUpgradeFlow(tp(A), cn('cluster.contoso.com', I1)).steps).toHaveLength(3);
  });

  it('widens validation before presentation changes, and narrows it last', () => {
    const flow = certificateUpgradeFlow(tp(A), cn('cluster.contoso.com', I1));
    const [first, second, third] = flow.steps;
    expect(first?.validation.thumbprints).toEqual([A]);
    expect(first?.validation.commonNames.map((r) => r.commonName)).toEqual(['cluster.contoso.com']);
    expect(first?.presentation).toEqual(tp(A));
    expect(second?.validation).toEqual(first?.validation);
    expect(second?.presentation.commonNames).toHaveLength(1);
    expect(third?.validation.thumbprints).toEqual([]);
  });

  it('treats an issuer-only change as one configuration upgrade and no change as none', () => {
    const flow = certificateUpgradeFlow(cn('cluster.contoso.com', I1), cn('cluster.contoso.com', I1, I2));
    expect(flow.kind).toBe('configuration');
    expect(flow.steps).toHaveLength(1);
    expect(certificateUpgradeFlow(tp(A, B), tp(A, B)).kind).toBe('none');
  });
});
