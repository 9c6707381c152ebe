import { declarationOf, hasClusterCertificate } from './sf-cluster-model.js';
const THUMBPRINT = /^[0-9A-F]{40}$/;
function bad(code, message, status = 400) {
    return { status, code, message };
}
/** Checks one cluster body on its own (PUT or the merged PATCH result). */
export function validateClusterProperties(properties) {
    const cert = properties.certificate ?? undefined;
    const cns = properties.certificateCommonNames?.commonNames ?? [];
    if (cert !== undefined && cns.length > 0) {
        return bad('InvalidCommonNameThumbprintPair', 'Common names and issuer thumbprints should not be both defined for a particular certificate.');
    }
    if (cns.length > 2) {
        return bad('InvalidCommonNameCount', 'Up to 2 common names are supported for cluster certificate.');
    }
    const seen = new Set();
    for (const entry of cns) {
        const name = (entry.certificateCommonName ?? '').trim();
        if (name === '')
            return bad('InvalidCommonName', 'Certificate common name should not be empty.');
        if (seen.has(name.toLowerCase())) {
            return bad('DupeCommonNameNotAllowedForClusterCert', `Duplicate common name '${name}' is not allowed for cluster certificate.`);
        }
        seen.add(name.toLowerCase());
        const issuers = (entry.certificateIssuerThumbprint ?? '').split(',').map((tp) => tp.trim().toUpperCase());
        const listed = issuers.filter((tp) => tp !== '');
        if ((entry.certificateIssuerThumbprint ?? '').trim() !== '') {
            if (listed.length !== issuers.length ||
                listed.some((tp) => !THUMBPRINT.test(tp)) ||
                new Set(listed).size !== listed.length) {
                return bad('InvalidCertificateIssuerThumbprints', `Certificate issuer thumbprints '${entry.certificateIssuerThumbprint ?? ''}' for common name '${name}' are invalid or duplicated.`);
            }
        }
    }
    if (cert !== undefined) {
        const primary = (cert.thumbprint ?? '').replace(/\s/g, '').toUpperCase();
        if (!THUMBPRINT.test(primary)) {
            return bad('InvalidParameter', `Certificate thumbprint '${cert.thumbprint ?? ''}' is not a valid SHA-1 thumbprint.`);
        }
        if (cert.thumbprintSecondary !== undefined && cert.thumbprintSecondary !== '') {
            const secondary = cert.thumbprintSecondary.replace(/\s/g, '').toUpperCase();
            if (!THUMBPRINT.test(secondary)) {
                return bad('InvalidParameter', `Certificate thumbprint '${cert.thumbprintSecondary}' is not a valid SHA-1 thumbprint.`);
            }
            if (secondary === primary) {
                return bad('DuplicateThumbprintNotAllowed', 'The primary and secondary cluster certificate thumbprints must differ.');
            }
        }
    }
    return undefined;
}
function instanceCounts(properties) {
    return JSON.stringify((properties.nodeTypes ?? []).map((nt) => [nt.name, nt.vmInstanceCount]));
}
/** Checks a transition from `current` to `target` (both full property sets). */
export function validateClusterTransition(current, target, upgradeInProgress) {
    const own = validateClusterProperties(target);
    if (own !== undefined)
        return own;
    const hadCert = hasClusterCertificate(current);
    const hasCert = hasClusterCertificate(target);
    if (hadCert && !hasCert) {
        return bad('AuthenticationTypeCannotBeChangedByRemovingCertificate', 'Authentication type cannot be changed from secure to unsecure by removing the cluster certificate.');
    }
    if (!hadCert && hasCert) {
        return bad('AuthenticationTypeCannotBeChangedByAddingCertificate', 'Authentication type cannot be changed from unsecure to secure by adding a cluster certificate.');
    }
    const before = declarationOf(current);
    const after = declarationOf(target);
    const certChanged = JSON.stringify(before) !== JSON.stringify(after);
    const scaleChanged = (current.reliabilityLevel ?? '') !== (target.reliabilityLevel ?? '') ||
        instanceCounts(current) !== instanceCounts(target);
    if (certChanged && scaleChanged) {
        return bad('CertificateAndScaleUpgradeTogetherNotAllowed', 'Certificate and reliability level or node count changes are not allowed at same time. Please try one at a time.');
    }
    if (upgradeInProgress &&
        (certChanged || scaleChanged || current.clusterCodeVersion !== target.clusterCodeVersion)) {
        return bad('ClusterUpgradeInProgress', 'The cluster is being upgraded (clusterState is not Ready). Retry after the current upgrade completes.', 409);
    }
    const distinct = (tps) => new Set(tps);
    const beforeTps = distinct(before.thumbprints);
    const afterTps = distinct(after.thumbprints);
    if (beforeTps.size === 2 && afterTps.size === 2 && [...afterTps].some((tp) => !beforeTps.has(tp))) {
        return bad('TwoCertificatesToTwoCertificatesNotAllowed', 'Upgrading from 2 different certificates to 2 different certificates is not allowed.');
    }
    return undefined;
}
//# sourceMappingURL=sf-validation.js.map