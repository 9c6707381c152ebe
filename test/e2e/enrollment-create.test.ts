// End to end (issue 9): a resource declaring `spec.certificate.policy` for a certificate the vault does
// not have. The real operator creates it through the vault's named issuer (a pending operation that
// survives an operator crash and is resumed from status.pendingOperation, never re-created), installs it
// on every node and converts the cluster; then `kv-rollover renew` produces one new version that rolls
// to the nodes through the KeyVault extension with no cluster change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotation, Hazard, Reason, Step } from '../../src/domain/names.js';
import {
  Harness,
  RESOURCE,
  VAULT_ISSUER,
  condition,
  setIssuanceDelay,
  type Json,
} from './enrollment-harness.js';

const ENROLLED = 'cluster-cert-enrolled';
const COMMON_NAME = 'cluster.contoso.com';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start(600);
}, 60_000);

afterAll(async () => {
  await h?.close();
}, 30_000);

describe('EnsureVaultCertificate on an empty vault, then a manual renewal', () => {
  it('creates, converts and renews once', async () => {
    // The cluster is secured by the scenario's `cluster-cert` (by thumbprint); the resource names
    // another certificate, absent from the vault, with a policy issued by the vault's named issuer.
    expect(h.certificate(ENROLLED)).toBeUndefined();
    const oldThumbprint = h.cluster().properties().certificate?.thumbprint;
    expect(oldThumbprint).toMatch(/^[0-9A-F]{40}$/);
    // Two virtual hours of pending issuance (12 s at clock speed 600): time to crash the operator.
    setIssuanceDelay(h, 2 * 3600_000);
    h.apply(
      await h.sample((r) => {
        r.spec.certificate.name = ENROLLED;
        r.spec.certificate.policy = {
          issuerName: VAULT_ISSUER,
          validityInMonths: 12,
          lifetimeAction: { action: 'AutoRenew', lifetimePercentage: 80 },
        };
      }),
    );

    try {
      h.startOperator();
      await h.until(
        'the create to be pending',
        () => (h.status().pendingOperation as Json | undefined)?.operation === 'CreateVaultCertificate',
      );
      expect(h.status().pendingOperation.step).toBe(Step.EnsureVaultCertificate);
      expect(h.status().pendingOperation.resumeToken).toEqual(expect.any(String));
      // The gather reads the vault's pending operation and the planner waits on it (no second create).
      await h.until(
        'the step to wait for the vault',
        () => h.status().plan?.steps?.[0]?.reason === Reason.WaitingForVaultOperation,
      );
      // The operator crashes while the vault's operation is still in progress.
      await h.stopOperator('SIGKILL');
      const pendingInVault = h.certificate(ENROLLED);
      expect(pendingInVault?.pending?.status).toBe('inProgress');
      expect(pendingInVault?.pending?.issuerName).toBe(VAULT_ISSUER);
      expect(pendingInVault?.versions).toHaveLength(0);
      expect(h.creates()).toBe(1);

      // A new operator process follows the same operation and never sends a second create.
      h.startOperator();
      await h.until(
        'the certificate to be issued',
        () => (h.certificate(ENROLLED)?.versions.length ?? 0) > 0,
        90_000,
      );
      const issued = h.certificate(ENROLLED)!.versions[0]!;
      expect(issued.issuerName).toBe(VAULT_ISSUER);
      expect(issued.subject).toContain(`CN=${COMMON_NAME}`);
      expect(issued.dnsNames).toEqual([COMMON_NAME]);
      expect(issued.issuerThumbprint).toBe(h.sandbox.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT);

      await h.until(
        'the conversion to the enrolled certificate',
        () => {
          const s = h.status();
          const props = h.cluster().properties();
          return (
            s.phase === 'Steady' &&
            condition(s, 'Ready')?.status === 'True' &&
            props.certificateCommonNames !== undefined &&
            props.certificateCommonNames !== null &&
            h.cluster().clusterState() === 'Ready' &&
            h.presented().every((t) => t === issued.thumbprint)
          );
        },
        90_000,
      );
      expect(h.creates()).toBe(1);
      const status = h.status();
      expect(h.stepNames()).toEqual([
        Step.EnsureVaultCertificate,
        Step.GrantVaultAccess,
        Step.InstallGoalCertificate,
        Step.ReachValidStartingState,
        Step.InstallKeyVaultExtension,
        Step.ConvertClusterToCommonName,
        Step.Steady,
      ]);
      expect(h.hazardReasons()).not.toContain(Hazard.NoAutoRenewPolicy);
      expect(status.pendingOperation).toBeUndefined();
      expect(h.presented()).toHaveLength(6);
      expect(h.everUnavailable()).toBe(false);
      const props = h.cluster().properties();
      expect(props.certificate).toBeUndefined();
      expect(props.certificateCommonNames?.commonNames?.[0]?.certificateCommonName).toBe(COMMON_NAME);

      // `kv-rollover renew NAME -n NAMESPACE` writes a fresh token; the operator renews once.
      const writesBefore = h.clusterWrites();
      const cli = await h.runCli(['renew', RESOURCE.name, '-n', RESOURCE.namespace]);
      expect(cli.stderr).not.toMatch(/error/i);
      expect(cli.code).toBe(0);
      const token = h.resource()?.metadata.annotations?.[Annotation.RenewRequested] as string | undefined;
      expect(token).toEqual(expect.any(String));
      expect(cli.stdout).toContain(token);
      await h.until('the renewal token to be acted on', () => h.status().renewal?.token === token);
      await h.until(
        'the renewed version to reach every node',
        () => {
          const versions = h.certificate(ENROLLED)?.versions ?? [];
          const latest = versions.at(-1);
          return (
            versions.length === 2 &&
            h.presented().every((t) => t === latest?.thumbprint) &&
            h.status().phase === 'Steady'
          );
        },
        90_000,
      );
      expect(h.creates()).toBe(2);
      expect(h.clusterWrites()).toBe(writesBefore);
      expect(h.events().filter((e) => e.reason === Reason.RenewalRequested)).toHaveLength(1);
      expect(h.everUnavailable()).toBe(false);
      // The operator wrote no annotation and no spec: the token is still the CLI's.
      expect(h.resource()?.metadata.annotations?.[Annotation.RenewRequested]).toBe(token);
    } finally {
      await h.stopOperator();
    }
  }, 150_000);
});
