import { vaultNameOf } from '../observed/keyvault-url.js';
import { sameThumbprint } from '../x509.js';
export function pins(certificate) {
    return (certificate?.issuerThumbprints ?? []).map((t) => t.toUpperCase());
}
export function issuerPinned(certificate, v) {
    return (v.issuerThumbprint !== undefined && pins(certificate).some((p) => sameThumbprint(p, v.issuerThumbprint)));
}
export function vaultView(spec, observed) {
    const certificate = spec.certificate;
    const enabled = (observed?.versions ?? []).filter((v) => v.enabled);
    const latest = enabled.at(-1);
    let quarantine = [];
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
//# sourceMappingURL=vault.js.map