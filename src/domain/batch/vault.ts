// The vault side of a Batch rotation: the spec's optional `certificate` (the one whose versions are
// checked for hazards), its latest version, the versions to quarantine, and the declared policy.
import type { VaultCertificateObservation, VaultVersionObservation } from '../observed/types.js';
import { vaultNameOf } from '../observed/keyvault-url.js';
import { sameThumbprint } from '../x509.js';
import type { BatchSpec } from './pool-body.js';

export type BatchCertificateSpec = NonNullable<BatchSpec['certificate']>;

export interface BatchVaultView {
  readonly certificate: BatchCertificateSpec | undefined;
  readonly vaultName: string | undefined;
  readonly observed: VaultCertificateObservation | undefined;
  /** Latest enabled version (what the extension installs). */
  readonly latest: VaultVersionObservation | undefined;
  /** Newer enabled versions from an unpinned issuer, to disable when quarantine is on. */
  readonly quarantine: readonly VaultVersionObservation[];
  /** Latest enabled version not being quarantined: what the nodes end up with. */
  readonly goal: VaultVersionObservation | undefined;
}

export function pins(certificate: BatchCertificateSpec | undefined): string[] {
  return (certificate?.issuerThumbprints ?? []).map((t) => t.toUpperCase());
}

export function issuerPinned(
  certificate: BatchCertificateSpec | undefined,
  v: VaultVersionObservation,
): boolean {
  return (
    v.issuerThumbprint !== undefined && pins(certificate).some((p) => sameThumbprint(p, v.issuerThumbprint))
  );
}

export function vaultView(
  spec: BatchSpec,
  observed: VaultCertificateObservation | undefined,
): BatchVaultView {
  const certificate = spec.certificate;
  const enabled = (observed?.versions ?? []).filter((v) => v.enabled);
  const latest = enabled.at(-1);
  let quarantine: VaultVersionObservation[] = [];
  if (spec.policy.quarantineUntrustedVersions && pins(certificate).length > 0) {
    // With no trusted version there is nothing to fall back to: nothing is disabled (IssuerNotPinned blocks).
    const lastTrusted = enabled.findLastIndex((v) => issuerPinned(certificate, v));
    if (lastTrusted >= 0)
      quarantine = enabled.slice(lastTrusted + 1).filter((v) => !issuerPinned(certificate, v));
  }
  return {
    certificate,
    vaultName: certificate === undefined ? undefined : vaultNameOf(certificate.vault),
    observed,
    latest,
    quarantine,
    goal: enabled.filter((v) => !quarantine.includes(v)).at(-1),
  };
}
