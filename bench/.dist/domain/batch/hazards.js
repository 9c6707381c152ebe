// Hazards of a Batch pool rotation (design §2, §4): pure checks over the observed pool and vault.
// Severities follow design §2; PoolRecreationRequired is blocking when `recreate: Never`, when the pool is
// busy (or cannot be known idle), or when its body cannot be kept safely; info while a recreation runs.
import { durationMinutes } from '../../api/duration.js';
import { Hazard, Severity } from '../names.js';
import { poolExtension, specVaults } from './assessment.js';
import { issuerPinned, pins } from './vault.js';
const MINUTE_MS = 60_000;
function hazard(reason, severity, message) {
    return { reason, severity, message };
}
function describe(v) {
    return `version ${v.version} (thumbprint ${v.thumbprint ?? 'unknown'})`;
}
function invalidSpec(w, context) {
    const found = (context.specErrors ?? []).map((m) => hazard(Hazard.InvalidSpec, Severity.Blocking, m));
    const certificate = w.spec.certificate;
    if (certificate?.policy !== undefined &&
        certificate.policy.subject === undefined &&
        certificate.commonName === undefined) {
        found.push(hazard(Hazard.InvalidSpec, Severity.Blocking, 'spec.certificate.policy needs a subject, or spec.certificate.commonName to derive CN=<commonName> from'));
    }
    return found;
}
function conflicting(context) {
    return context.conflictingRotation === undefined
        ? []
        : [
            hazard(Hazard.ConflictingRotation, Severity.Blocking, `rotation ${context.conflictingRotation} also claims this pool; only one rotation may drive a pool`),
        ];
}
function vaultAccessMissing(w) {
    if (w.spec.identity.grantVaultAccess)
        return [];
    const denied = specVaults(w.spec).filter((v) => w.observed.access[v]?.identityCanReadSecrets === false);
    if (denied.length === 0)
        return [];
    return [
        hazard(Hazard.VaultAccessMissing, Severity.Blocking, `identity ${w.spec.identity.resourceId} may not get/list secrets of vault(s) ${denied.join(', ')} and ` +
            'spec.identity.grantVaultAccess is false: the KeyVault extension would fail on every node; grant it, or allow the operator to'),
    ];
}
function poolRecreation(w) {
    const a = w.assessment;
    if (a.drift.length === 0)
        return [];
    if (a.block !== undefined)
        return [hazard(Hazard.PoolRecreationRequired, Severity.Blocking, a.block.message)];
    return [
        hazard(Hazard.PoolRecreationRequired, Severity.Info, `pool ${w.spec.pool.name} is being recreated (policy.recreate WhenIdle): ${a.drift.join('; ')}`),
    ];
}
function issuerNotPinned(w) {
    const v = w.vault.goal;
    const certificate = w.vault.certificate;
    if (v === undefined || pins(certificate).length === 0 || issuerPinned(certificate, v))
        return [];
    return [
        hazard(Hazard.IssuerNotPinned, Severity.Blocking, v.issuerThumbprint === undefined
            ? `the direct issuer of ${describe(v)} is unknown (no issuer chain): it cannot be checked against spec.certificate.issuerThumbprints`
            : `${describe(v)} is issued by ${v.issuerThumbprint}, which is not in spec.certificate.issuerThumbprints; the pool's nodes install it at their next poll`),
    ];
}
function extensionSettings(w) {
    const found = [];
    const pool = w.assessment.pool;
    const ext = pool === undefined ? undefined : poolExtension(w.spec, pool);
    if (ext?.settingsForm === 'strings') {
        found.push(hazard(Hazard.StringArrayExtensionSettings, Severity.Warning, `the KeyVault extension ${ext.name} of pool ${w.spec.pool.name} lists observedCertificates as strings (the v1.0 form); the v3.0 object form carries the store per certificate [KVW-24][KVL-25]`));
    }
    const versioned = ext?.observedCertificates.filter((o) => o.version !== undefined) ?? [];
    if (versioned.length > 0) {
        found.push(hazard(Hazard.VersionedObservedCertificate, Severity.Warning, `the KeyVault extension of pool ${w.spec.pool.name} observes versioned URL(s) ${versioned.map((o) => o.url).join(', ')}: renewals never reach the nodes`));
    }
    if (!w.spec.keyVaultExtension.requireInitialSync) {
        found.push(hazard(Hazard.InitialSyncDisabled, Severity.Warning, 'keyVaultExtension.requireInitialSync is false: nodes can start running tasks before their certificates are installed [KVL-25]'));
    }
    else if (ext?.requireInitialSync === false) {
        found.push(hazard(Hazard.InitialSyncDisabled, Severity.Warning, `the KeyVault extension of pool ${w.spec.pool.name} has requireInitialSync false [KVL-25]`));
    }
    return found;
}
function noAutoRenew(w) {
    const policy = w.vault.observed?.policy;
    const certificate = w.vault.certificate;
    if (certificate === undefined ||
        certificate.policy !== undefined ||
        policy === undefined ||
        policy.autoRenew)
        return [];
    return [
        hazard(Hazard.NoAutoRenewPolicy, Severity.Warning, `the vault policy of ${certificate.name} has no AutoRenew lifetime action: nothing will ever rotate`),
    ];
}
function expiry(w) {
    const v = w.vault.goal;
    if (v?.notAfter === undefined)
        return [];
    const warn = durationMinutes(w.spec.policy.expiryWarning) ?? 30 * 1440;
    const critical = durationMinutes(w.spec.policy.expiryCritical) ?? 7 * 1440;
    const left = v.notAfter.getTime() - w.now.getTime();
    if (left <= 0) {
        return [
            hazard(Hazard.CertificateExpired, Severity.Warning, `certificate ${v.thumbprint ?? '?'} expired at ${v.notAfter.toISOString()}`),
        ];
    }
    if (left >= warn * MINUTE_MS)
        return [];
    return [
        hazard(Hazard.CertificateExpiringSoon, Severity.Warning, `certificate ${v.thumbprint ?? '?'} expires at ${v.notAfter.toISOString()}` +
            (left < critical * MINUTE_MS
                ? ` (critical: within ${w.spec.policy.expiryCritical})`
                : ` (within ${w.spec.policy.expiryWarning})`)),
    ];
}
/** Every hazard, blocking ones first, then warnings, then info; original order within a severity. */
export function evaluateBatchHazards(w, context) {
    const all = [
        ...invalidSpec(w, context),
        ...conflicting(context),
        ...vaultAccessMissing(w),
        ...poolRecreation(w),
        ...issuerNotPinned(w),
        ...extensionSettings(w),
        ...noAutoRenew(w),
        ...expiry(w),
    ];
    const rank = { [Severity.Blocking]: 0, [Severity.Warning]: 1, [Severity.Info]: 2 };
    return all
        .map((h, i) => ({ h, i }))
        .sort((a, b) => rank[a.h.severity] - rank[b.h.severity] || a.i - b.i)
        .map((x) => x.h);
}
//# sourceMappingURL=hazards.js.map