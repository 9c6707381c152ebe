// End to end, after the conversion: the vault renews the certificate from an issuer the resource does not
// pin (the scenario's spare intermediate, under the same root). With `quarantineUntrustedVersions` the
// operator disables the version in the vault before any node's KeyVault extension installs it (the same
// renewal without quarantine: sf-issuer-not-pinned.test.ts). A renewal with an older NotBefore than the
// installed version is then reported as RenewalNotPresented. Observed in the vault store, on the nodes and
// in status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hazard, Phase, Reason, Severity } from '../../src/domain/names.js';
import { SfHarness, type Json } from './harness.js';

/** The sample's `keyVaultExtension.pollingIntervalInS`, in ms of virtual time. */
const EXTENSION_POLL_MS = 3600 * 1000;

/** Records every thumbprint any node presents, on a short real-time period, until stopped. */
function watchPresented(harness: SfHarness): { seen: Set<string>; stop: () => void } {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const t of harness.presented()) if (t !== undefined) seen.add(t);
  }, 50);
  return { seen, stop: () => clearInterval(timer) };
}

describe('an undeclared-issuer renewal with quarantine on, then an older-NotBefore renewal', () => {
  let harness: SfHarness;
  let bad: { version: string; thumbprint: string };
  let older: { version: string; thumbprint: string };
  let presented: Set<string>;
  let failure: string | undefined;

  beforeAll(async () => {
    harness = await SfHarness.start({
      // Quarantine races the KeyVault extension's next poll (hourly, virtual). A slower virtual clock keeps
      // that poll ~18 s of real time away, so a busy CI machine still sees the vault watcher (2 s) win;
      // in production Event Grid pushes make the same margin (design §5).
      clockSpeed: 200,
      edit: (r: Json) => {
        r.spec.policy.quarantineUntrustedVersions = true;
      },
    });
    try {
      await harness.startOperator();
      await harness.waitFor('conversion', () => harness.converged());
      const watch = watchPresented(harness);
      try {
        bad = await harness.sandbox.azure.world.certificates.renewNow(
          harness.vault,
          harness.certificateName,
          {
            caId: harness.spareCaId(),
          },
        );
        await harness.waitFor(
          'the untrusted version disabled in the vault',
          () => harness.versions().find((v) => v.version === bad.version)?.enabled === false,
        );
        // Two polling intervals of the nodes' extension: had it stayed enabled, every node had it by now.
        await harness.waitVirtual(2 * EXTENSION_POLL_MS);
      } finally {
        watch.stop();
      }
      presented = watch.seen;
      const installed = harness.versions().find((v) => v.enabled && v.version !== bad.version);
      older = await harness.sandbox.azure.world.certificates.renewNow(
        harness.vault,
        harness.certificateName,
        {
          notBefore: new Date((installed?.notBefore.getTime() ?? 0) - 86_400_000),
        },
      );
      await harness.waitFor('RenewalNotPresented reported', () =>
        harness.hazards().some((h) => h.reason === Hazard.RenewalNotPresented),
      );
    } catch (err: unknown) {
      failure = err instanceof Error ? err.message : String(err);
    } finally {
      await Promise.all(harness.operators.map((o) => o.kill()));
    }
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('disables the untrusted version in the vault and says so', () => {
    expect(failure).toBeUndefined();
    expect(harness.versions().find((v) => v.version === bad.version)?.enabled).toBe(false);
    expect(
      harness.events().some((e) => e.reason === Reason.VersionQuarantined || e.note.includes(bad.version)),
    ).toBe(true);
  });

  it('no node ever presents or installs it, and the cluster stays available', () => {
    expect(presented.size).toBeGreaterThan(0);
    expect(presented.has(bad.thumbprint)).toBe(false);
    expect(harness.installedOnAnyNode(bad.thumbprint)).toBe(false);
    expect(harness.everUnavailable()).toBe(false);
  });

  it('reports a renewal with an older NotBefore as not presented (a warning, not a block)', () => {
    const hazard = harness.hazards().find((h) => h.reason === Hazard.RenewalNotPresented);
    expect(hazard?.severity).toBe(Severity.Warning);
    expect(hazard?.message).toContain(older.version);
    expect(harness.status()?.phase).not.toBe(Phase.Blocked);
    // Every hazard is also an Event (design §4).
    expect(
      harness.events().some((e) => e.type === 'Warning' && e.reason === Hazard.RenewalNotPresented),
    ).toBe(true);
  });
});
