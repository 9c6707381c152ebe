// End to end (issue 9): the vault's issuer rejects the request. The real operator reports the vault's
// error (Ready condition and a Warning Event, reason VaultIssuanceFailed) and retries with backoff: the
// failure count grows with each retry and the vault sees no more creates than failures (no tight loop);
// once the issuer accepts again, the certificate is created and the failures clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hazard, Step } from '../../src/domain/names.js';
import { Harness, VAULT_ISSUER, condition, setIssuanceDelay, type Json } from './enrollment-harness.js';

const CERTIFICATE = 'cluster-cert-rejected';
const CA_ERROR = {
  code: 'CertificateRequestRejected',
  message: 'The certificate authority rejected the request: domain validation is pending for contoso.com',
};

let h: Harness;

beforeAll(async () => {
  h = await Harness.start(600);
}, 60_000);

afterAll(async () => {
  await h?.close();
}, 30_000);

describe('a failed issuance', () => {
  it('is reported with the vault error and retried with backoff', async () => {
    const vault = h.vaultName;
    h.sandbox.azure.world.certificates.setIssuerRejects(vault, VAULT_ISSUER, CA_ERROR);
    setIssuanceDelay(h, 10 * 60_000); // ten virtual minutes: one real second at clock speed 600
    h.apply(
      await h.sample((r) => {
        r.spec.certificate.name = CERTIFICATE;
        r.spec.certificate.policy = { issuerName: VAULT_ISSUER };
      }),
    );
    const readyMessages = new Set<string>();
    try {
      h.startOperator();
      await h.until(
        'three failed issuances',
        () => {
          const ready = condition(h.status(), 'Ready');
          if (ready?.reason === Hazard.VaultIssuanceFailed) readyMessages.add(String(ready.message));
          return (h.status().failures?.count ?? 0) >= 3;
        },
        90_000,
      );
      const status = h.status();
      expect(h.certificate(CERTIFICATE)?.pending?.status).toBe('failed');
      expect(h.certificate(CERTIFICATE)?.versions).toHaveLength(0);
      expect(status.currentStep).toBe(Step.EnsureVaultCertificate);
      expect(status.failures.lastError).toContain(CA_ERROR.message);
      expect([...readyMessages].some((m) => m.includes(CA_ERROR.message))).toBe(true);
      const warnings = h
        .events()
        .filter((e) => e.reason === Hazard.VaultIssuanceFailed && e.type === 'Warning');
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((e) => e.note.includes(CA_ERROR.message))).toBe(true);
      // Each create is answered by one failure before the next is sent: retried, never in a tight loop.
      const creates = h.creates();
      expect(creates).toBeGreaterThanOrEqual(3);
      expect(creates).toBeLessThanOrEqual(status.failures.count + 1);

      // The issuer accepts again: the next retry creates the certificate and the failures clear.
      h.sandbox.azure.world.certificates.setIssuerRejects(vault, VAULT_ISSUER, undefined);
      await h.until(
        'the certificate after the retry',
        () =>
          (h.certificate(CERTIFICATE)?.versions.length ?? 0) === 1 &&
          h.status().currentStep !== Step.EnsureVaultCertificate &&
          h.status().failures === undefined,
        90_000,
      );
      expect(h.creates()).toBe(creates + 1);
      const hazards = ((h.status().hazards ?? []) as Json[]).map((x) => x.reason);
      expect(hazards).not.toContain(Hazard.VaultIssuanceFailed);
    } finally {
      await h.stopOperator();
    }
  }, 150_000);
});
