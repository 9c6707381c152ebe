import { vaultNameOf } from '../domain/observed/index.js';
export class VaultBodiesCache {
    fetch;
    entries = new Map();
    constructor(fetch) {
        this.fetch = fetch;
    }
    get(vault, certificate, version) {
        const key = `${vaultNameOf(vault)}/${certificate.toLowerCase()}/${version.toLowerCase()}`;
        const cached = this.entries.get(key);
        if (cached !== undefined)
            return cached;
        const pending = this.fetch(vault, certificate, version);
        this.entries.set(key, pending);
        // A failed read is not cached: the next reconcile tries again.
        pending.catch(() => this.entries.delete(key));
        return pending;
    }
    get size() {
        return this.entries.size;
    }
}
//# sourceMappingURL=vault-bodies.js.map