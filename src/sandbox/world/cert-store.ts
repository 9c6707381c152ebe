// A node's LocalMachine certificate store (the `My` store the cluster certificate lives in). Keyed by
// thumbprint; installing the same certificate twice keeps one entry (and keeps its key if either copy
// had one). The store never holds key material, only whether the key came with the certificate.
import type { CertFacts, InstallSource, InstalledCertificate } from './types.js';

export class CertificateStore {
  private readonly certs = new Map<string, InstalledCertificate>();

  list(): InstalledCertificate[] {
    return [...this.certs.values()];
  }

  get(thumbprint: string): InstalledCertificate | undefined {
    return this.certs.get(thumbprint.toUpperCase());
  }

  has(thumbprint: string): boolean {
    return this.certs.has(thumbprint.toUpperCase());
  }

  /** Installs a certificate; returns true when it was not in the store before. */
  install(
    cert: CertFacts,
    options: { hasPrivateKey: boolean; at: Date; source: InstallSource; vaultRef?: string },
  ): boolean {
    const key = cert.thumbprint.toUpperCase();
    const existing = this.certs.get(key);
    if (existing !== undefined) {
      if (options.hasPrivateKey && !existing.hasPrivateKey)
        this.certs.set(key, { ...existing, hasPrivateKey: true });
      return false;
    }
    const installed: InstalledCertificate = {
      ...cert,
      thumbprint: key,
      hasPrivateKey: options.hasPrivateKey,
      installedAt: options.at,
      source: options.source,
      ...(options.vaultRef !== undefined ? { vaultRef: options.vaultRef } : {}),
    };
    this.certs.set(key, installed);
    return true;
  }

  /** Sets a Windows renewal link on `from` pointing at `to` (linkOnRenewal). */
  link(from: string, to: string): void {
    const cert = this.certs.get(from.toUpperCase());
    if (cert !== undefined) cert.renewedBy = to.toUpperCase();
  }

  /** Reimage: the OS disk is replaced and the store with it [VMSS-FAQ]. */
  clear(): void {
    this.certs.clear();
  }

  remove(thumbprint: string): boolean {
    return this.certs.delete(thumbprint.toUpperCase());
  }
}
