// End to end (issue 9): the vault's issuer rejects the request. The real operator reports the vault's
// error (Ready condition and a Warning Event, reason VaultIssuanceFailed) and retries with backoff: the
// failure count grows with each retry and the vault sees no more creates than failures (no tight loop);
// once the issuer accepts again, the certificate is created and the failures clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotation, Hazard, Reason, Step } from '../../src/domain/names.js';
import { Harness, VAULT_ISSUER, condition, setIssuanceDelay } from './enrollment-harness.js';

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
      // Retried (a second create after the first failure), never in a tight loop: each create is answered
      // by a recorded failure before the next one is sent. A failure may be recorded by more than one
      // reconcile, so the count of creates is bounded by the failures, not equal to them.
      const creates = h.creates();
      expect(creates).toBeGreaterThanOrEqual(2);
      expect(creates).toBeLessThanOrEqual(Number(status.failures.count) + 1);

      // A renewal requested before any version exists is answered by the enrollment itself.
      h.patch({ metadata: { annotations: { [Annotation.RenewRequested]: 'before-enrollment' } } });
      await h.until('the token to be recorded', () => h.status().renewal?.token === 'before-enrollment');
      expect(h.status().pendingOperation?.operation).not.toBe('RenewVaultCertificate');
      expect(
        h.events().some((e) => e.reason === Reason.RenewalRequested && /no version yet/.test(e.note)),
      ).toBe(true);

      // The issuer accepts again: the next retry creates the certificate and the failures clear.
      const createsAtAccept = h.creates();
      h.sandbox.azure.world.certificates.setIssuerRejects(vault, VAULT_ISSUER, undefined);
      await h.until(
        'the certificate after the retry',
        () =>
          (h.certificate(CERTIFICATE)?.versions.length ?? 0) === 1 &&
          h.status().currentStep !== Step.EnsureVaultCertificate &&
          h.status().failures === undefined,
        90_000,
      );
      // One more retry (a create already sent to the rejecting issuer fails first): no renewal create.
      expect(h.creates()).toBeLessThanOrEqual(createsAtAccept + 1);
      expect(h.certificate(CERTIFICATE)?.versions).toHaveLength(1);
      expect(h.hazardReasons()).not.toContain(Hazard.VaultIssuanceFailed);
    } finally {
      await h.stopOperator();
    }
  }, 150_000);
});
