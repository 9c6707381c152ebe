// End to end, after the conversion: the vault renews the certificate from an issuer the resource does not
// pin, and `quarantineUntrustedVersions` is off (the default). The resource reports IssuerNotPinned as a
// blocking hazard — and the nodes install the version anyway, which is what this test documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hazard, Phase, Severity } from '../../src/domain/names.js';
import { SfHarness } from './harness.js';

/** The sample's `keyVaultExtension.pollingIntervalInS`, in ms of virtual time. */
const EXTENSION_POLL_MS = 3600 * 1000;

describe('an undeclared-issuer renewal with quarantine off', () => {
  let harness: SfHarness;
  let bad: { version: string; thumbprint: string };
  let failure: string | undefined;

  beforeAll(async () => {
    harness = await SfHarness.start();
    failure = await harness.story(async () => {
      await harness.startOperator();
      await harness.waitFor('conversion', () => harness.converged());
      bad = await harness.sandbox.azure.world.certificates.renewNow(harness.vault, harness.certificateName, {
        caId: harness.spareCaId(),
      });
      await harness.waitFor('IssuerNotPinned reported', () =>
        harness.hazards().some((h) => h.reason === Hazard.IssuerNotPinned),
      );
      await harness.waitVirtual(2 * EXTENSION_POLL_MS);
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('reports IssuerNotPinned as blocking and stops', () => {
    expect(failure).toBeUndefined();
    const hazard = harness.hazards().find((h) => h.reason === Hazard.IssuerNotPinned);
    expect(hazard?.severity).toBe(Severity.Blocking);
    expect(hazard?.message).toContain(bad.version);
    expect(harness.status()?.phase).toBe(Phase.Blocked);
    expect(harness.condition('Ready')?.status).toBe('False');
    // Every hazard is also an Event (design §4).
    expect(harness.events().some((e) => e.type === 'Warning' && e.reason === Hazard.IssuerNotPinned)).toBe(
      true,
    );
  });

  it('leaves the version enabled: without quarantine the operator cannot keep it off the nodes', () => {
    // The KeyVault extension installs the vault's latest enabled version by itself on its next poll;
    // blocking the operator's own steps does not stop it. That is why quarantine exists.
    expect(harness.versions().find((v) => v.version === bad.version)?.enabled).toBe(true);
    expect(harness.installedOnAnyNode(bad.thumbprint)).toBe(true);
    console.log(
      JSON.stringify({
        presented: harness.presented(),
        bad: bad.thumbprint,
        unavailable: harness.everUnavailable(),
        transitions: harness.sandbox.sim.availability
          .transitions(harness.cluster().name)
          .map((t) => t.cause + ' ' + String(t.available)),
      }),
    );
  });
});
