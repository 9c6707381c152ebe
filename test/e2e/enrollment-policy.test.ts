// End to end (issue 9): the vault policy against the resource, with the real operator. No policy declared
// and a vault policy without AutoRenew → NoAutoRenewPolicy; a declared policy that drifts → corrected by
// UpdateVaultCertificatePolicy; a correction that re-keys → PolicyChangeRekeys reported and, under
// `approval: Manual`, nothing changes in the vault until the step is approved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotation, Hazard, Phase, Reason, Step } from '../../src/domain/names.js';
import { Harness, VAULT_ISSUER, type Json } from './enrollment-harness.js';

const CERTIFICATE = 'cluster-cert';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start(600);
}, 60_000);

afterAll(async () => {
  await h?.close();
}, 30_000);

const hazards = (): string[] => h.hazardReasons();
const policy = () => h.certificate(CERTIFICATE)!.policy;

describe('vault policy: NoAutoRenewPolicy, drift, re-key under manual approval', () => {
  it('reports, corrects on approval, and never re-keys unapproved', async () => {
    // The vault's policy only e-mails its contacts: nothing would ever renew the certificate.
    policy().lifetime_actions = [
      { trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } },
    ];
    h.apply(
      await h.sample((r) => {
        r.spec.policy.approval = 'Manual';
      }),
    );
    try {
      h.startOperator();
      await h.until('NoAutoRenewPolicy', () => hazards().includes(Hazard.NoAutoRenewPolicy));
      expect(
        ((h.status().hazards ?? []) as Json[]).find((x) => x.reason === Hazard.NoAutoRenewPolicy)?.severity,
      ).toBe('warning');
      expect(h.status().plan.steps[0].name).toBe(Step.GrantVaultAccess);

      // Declaring a policy: the vault's differs in validity and lifetime action → one policy update,
      // held for approval like every mutating step.
      h.patch({
        spec: {
          certificate: {
            policy: {
              issuerName: VAULT_ISSUER,
              validityInMonths: 24,
              lifetimeAction: { action: 'AutoRenew', lifetimePercentage: 80 },
            },
          },
        },
      });
      await h.until(
        'the policy update to await approval',
        () =>
          h.status().awaitingApproval?.step === Step.EnsureVaultCertificate &&
          !hazards().includes(Hazard.NoAutoRenewPolicy),
      );
      expect(h.status().phase).toBe(Phase.AwaitingApproval);
      expect(h.status().plan.steps[0].message).toMatch(/validityInMonths/);
      expect(hazards()).not.toContain(Hazard.PolicyChangeRekeys);
      expect(policy().x509_props?.validity_months).toBe(12);

      h.patch({ metadata: { annotations: { [Annotation.ApproveStep]: Step.EnsureVaultCertificate } } });
      await h.until(
        'the vault policy to be corrected',
        () =>
          policy().x509_props?.validity_months === 24 &&
          h.status().awaitingApproval?.step === Step.GrantVaultAccess,
      );
      expect(policy().lifetime_actions?.[0]?.action.action_type).toBe('AutoRenew');
      expect(policy().lifetime_actions?.[0]?.trigger.lifetime_percentage).toBe(80);
      expect(h.status().plan.steps[0]).toMatchObject({ name: Step.EnsureVaultCertificate, state: 'done' });
      expect(h.events().some((e) => e.reason === Reason.StepExecuted && /update policy/.test(e.note))).toBe(
        true,
      );

      // A correction that changes the key: reported, and it waits (the old approval is withdrawn).
      h.patch({ metadata: { annotations: { [Annotation.ApproveStep]: null } } });
      h.patch({ spec: { certificate: { policy: { keySize: 4096 } } } });
      await h.until(
        'PolicyChangeRekeys awaiting approval',
        () =>
          hazards().includes(Hazard.PolicyChangeRekeys) &&
          h.status().awaitingApproval?.step === Step.EnsureVaultCertificate,
      );
      expect(h.status().plan.steps[0].message).toMatch(/re-keys: keySize/);
      expect(policy().key_props?.key_size).toBe(2048);

      h.patch({ metadata: { annotations: { [Annotation.ApproveStep]: Step.EnsureVaultCertificate } } });
      await h.until('the re-keying update', () => policy().key_props?.key_size === 4096);
      await h.until('the hazard to clear', () => !hazards().includes(Hazard.PolicyChangeRekeys));
      expect(h.events().some((e) => e.reason === Hazard.PolicyChangeRekeys && e.type === 'Warning')).toBe(
        true,
      );
      // Only policies changed: no certificate was created or renewed.
      expect(h.creates()).toBe(0);
      expect(h.certificate(CERTIFICATE)!.versions).toHaveLength(1);
    } finally {
      await h.stopOperator();
    }
  }, 150_000);
});
