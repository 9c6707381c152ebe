// Per-version bodies of vault certificates (the certificate bundle and the issuer chain). A version's
// certificate never changes once issued [KV-OBJ], so each is read once per process and shared by every
// resource observing it; only the versions list is re-read (by the vault watcher, within its budget).
import type { VaultVersionBodies } from '../domain/observed/index.js';
import { vaultNameOf } from '../domain/observed/index.js';

export type VersionBodiesFetch = (
  vault: string,
  certificate: string,
  version: string,
) => Promise<VaultVersionBodies>;

export class VaultBodiesCache {
  private readonly entries = new Map<string, Promise<VaultVersionBodies>>();

  constructor(private readonly fetch: VersionBodiesFetch) {}

  get(vault: string, certificate: string, version: string): Promise<VaultVersionBodies> {
    const key = `${vaultNameOf(vault)}/${certificate.toLowerCase()}/${version.toLowerCase()}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const pending = this.fetch(vault, certificate, version);
    this.entries.set(key, pending);
    // A failed read is not cached: the next reconcile tries again.
    pending.catch(() => this.entries.delete(key));
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
