import { isExpired, isTimeValid } from './types.js';
export const EMPTY_DECLARATION = { thumbprints: [], commonNames: [] };
/** 7.2.445 (7.2 CU4) switched presentation from farthest NotAfter to newest NotBefore [SF-CERTS][SF-MGMT]. */
const NOT_BEFORE_RULE_FROM = [7, 2, 445];
/** The presentation ordering a runtime version uses; unknown versions get the current rule. */
export function presentationOrdering(clusterCodeVersion) {
    if (clusterCodeVersion === undefined)
        return 'newestNotBefore';
    const parts = clusterCodeVersion.split('.').map((part) => Number.parseInt(part, 10));
    for (let i = 0; i < NOT_BEFORE_RULE_FROM.length; i += 1) {
        const have = parts[i];
        const threshold = NOT_BEFORE_RULE_FROM[i] ?? 0;
        if (have === undefined || Number.isNaN(have))
            return 'newestNotBefore';
        if (have > threshold)
            return 'newestNotBefore';
        if (have < threshold)
            return 'farthestNotAfter';
    }
    return 'newestNotBefore';
}
function sameTp(a, b) {
    return a.replace(/\s/g, '').toUpperCase() === b.replace(/\s/g, '').toUpperCase();
}
/**
 * Which certificate a node presents. Candidates are the store's certificates matching the presentation
 * declaration (thumbprint, or subject CN compared case-sensitively and exactly — no wildcard, no SAN —
 * [SF-CERTS]), with a private key; expired ones are ignored; the newest NotBefore wins (farthest NotAfter
 * before 7.2.445). S-channel then follows Windows renewal links set by `linkOnRenewal` unconditionally
 * [SF-MGMT]; a link to a certificate without its private key leaves the node with no usable credential
 * (SEC_E_UNKNOWN_CREDENTIALS).
 */
export function selectPresentedCertificate(store, presentation, now, ordering) {
    const byThumbprint = presentation.thumbprints.length > 0;
    const candidates = store.filter((cert) => {
        if (isExpired(cert, now))
            return false;
        if (byThumbprint)
            return presentation.thumbprints.some((tp) => sameTp(tp, cert.thumbprint));
        return presentation.commonNames.some((rule) => cert.commonName === rule.commonName);
    });
    const usable = candidates.filter((cert) => cert.hasPrivateKey);
    if (usable.length === 0) {
        const what = byThumbprint
            ? `thumbprint ${presentation.thumbprints.join(' or ')}`
            : `common name ${presentation.commonNames.map((rule) => rule.commonName).join(' or ')}`;
        if (candidates.length > 0)
            return { ok: false, reason: `no certificate matching ${what} has a private key` };
        return { ok: false, reason: `no unexpired certificate matching ${what} in the store` };
    }
    const sorted = [...usable].sort((a, b) => ordering === 'newestNotBefore'
        ? b.notBefore.getTime() - a.notBefore.getTime()
        : b.notAfter.getTime() - a.notAfter.getTime());
    const chosen = sorted[0];
    if (chosen === undefined)
        return { ok: false, reason: 'no candidate' };
    return followRenewalLinks(store, chosen);
}
function followRenewalLinks(store, start) {
    let current = start;
    const seen = new Set([current.thumbprint]);
    while (current.renewedBy !== undefined) {
        const next = store.find((cert) => sameTp(cert.thumbprint, current.renewedBy ?? ''));
        if (next === undefined || seen.has(next.thumbprint))
            break;
        seen.add(next.thumbprint);
        current = next;
    }
    if (current === start)
        return { ok: true, certificate: current };
    if (!current.hasPrivateKey) {
        return {
            ok: false,
            reason: `renewal link from ${start.thumbprint} leads to ${current.thumbprint}, whose private key is not accessible (SEC_E_UNKNOWN_CREDENTIALS)`,
        };
    }
    return { ok: true, certificate: current, linkedFrom: start.thumbprint };
}
/** Subject CN or any DNS SAN matches the declared name; wildcards allowed; case-insensitive [SF-CERTS]. */
export function commonNameMatches(cert, declared) {
    const want = declared.toLowerCase();
    const names = [cert.commonName, ...cert.dnsNames].filter((n) => n !== undefined);
    return names.some((name) => hostMatches(name.toLowerCase(), want));
}
function hostMatches(presented, declared) {
    if (presented === declared)
        return true;
    // A wildcard certificate name (*.contoso.com) covers one label of the declared name, and vice versa.
    const wildcardMatch = (pattern, host) => pattern.startsWith('*.') && host.includes('.') && host.slice(host.indexOf('.')) === pattern.slice(1);
    return wildcardMatch(presented, declared) || wildcardMatch(declared, presented);
}
/**
 * Whether a node accepts a peer's certificate under its validation declaration [SF-CERTS]:
 * - thumbprint: SHA-1 declared and the certificate time-valid (other trust errors are suppressed);
 * - common name: CN or SAN matches, time-valid, and either the direct issuer is pinned, or (no issuers
 *   declared) the chain ends in a trusted root.
 */
export function validatePeerCertificate(cert, validation, now) {
    if (!isTimeValid(cert, now)) {
        return { ok: false, reason: `certificate ${cert.thumbprint} is not time-valid` };
    }
    if (validation.thumbprints.some((tp) => sameTp(tp, cert.thumbprint))) {
        return { ok: true, by: `thumbprint ${cert.thumbprint}` };
    }
    const reasons = [];
    for (const rule of validation.commonNames) {
        if (!commonNameMatches(cert, rule.commonName))
            continue;
        if (rule.issuerThumbprints.length > 0) {
            if (rule.issuerThumbprints.some((tp) => sameTp(tp, cert.issuerThumbprint))) {
                return { ok: true, by: `common name ${rule.commonName} with pinned issuer ${cert.issuerThumbprint}` };
            }
            reasons.push(`issuer ${cert.issuerThumbprint} is not pinned for ${rule.commonName}`);
        }
        else if (cert.chainsToTrustedRoot && !cert.selfSigned) {
            return { ok: true, by: `common name ${rule.commonName} chained to a trusted root` };
        }
        else {
            reasons.push(`chain of ${cert.thumbprint} does not end in a trusted root`);
        }
    }
    if (reasons.length > 0)
        return { ok: false, reason: reasons.join('; ') };
    return {
        ok: false,
        reason: `certificate ${cert.thumbprint} (CN ${cert.commonName ?? '-'}) matches no declared thumbprint or common name`,
    };
}
export function declarationEquals(a, b) {
    return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}
function normalize(d) {
    return {
        thumbprints: [...new Set(d.thumbprints.map((tp) => tp.toUpperCase()))].sort(),
        commonNames: d.commonNames
            .map((rule) => ({
            commonName: rule.commonName,
            issuerThumbprints: [...new Set(rule.issuerThumbprints.map((tp) => tp.toUpperCase()))].sort(),
        }))
            .sort((x, y) => x.commonName.localeCompare(y.commonName)),
    };
}
export function describeDeclaration(d) {
    const parts = [
        ...d.thumbprints.map((tp) => `TP=${tp.slice(0, 8)}`),
        ...d.commonNames.map((rule) => `CN=${rule.commonName}${rule.issuerThumbprints.length > 0 ? `[${rule.issuerThumbprints.map((tp) => tp.slice(0, 8)).join(',')}]` : ''}`),
    ];
    return `{${parts.join(', ')}}`;
}
//# sourceMappingURL=sf-runtime.js.map