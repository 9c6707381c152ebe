export class CertificateStore {
    certs = new Map();
    list() {
        return [...this.certs.values()];
    }
    get(thumbprint) {
        return this.certs.get(thumbprint.toUpperCase());
    }
    has(thumbprint) {
        return this.certs.has(thumbprint.toUpperCase());
    }
    /** Installs a certificate; returns true when it was not in the store before. */
    install(cert, options) {
        const key = cert.thumbprint.toUpperCase();
        const existing = this.certs.get(key);
        if (existing !== undefined) {
            if (options.hasPrivateKey && !existing.hasPrivateKey)
                this.certs.set(key, { ...existing, hasPrivateKey: true });
            return false;
        }
        const installed = {
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
    link(from, to) {
        const cert = this.certs.get(from.toUpperCase());
        if (cert !== undefined)
            cert.renewedBy = to.toUpperCase();
    }
    /** Reimage: the OS disk is replaced and the store with it [VMSS-FAQ]. */
    clear() {
        this.certs.clear();
    }
    remove(thumbprint) {
        return this.certs.delete(thumbprint.toUpperCase());
    }
}
//# sourceMappingURL=cert-store.js.map