// Steps on the vault side shared by both modes: EnsureVaultCertificate (when a policy is declared) and
// GrantVaultAccess.
import { Hazard, Reason, Severity, Step } from '../names.js';
import { SECRET_READER_ROLE_IDS } from '../observed/vault.js';
import { actionable, satisfied, stuck, waiting } from './evaluation.js';
/** The declared policy with its defaults made explicit (subject `CN=<commonName>`, SANs = [commonName]). */
export function effectivePolicy(world) {
    const policy = world.spec.certificate.policy;
    if (policy === undefined)
        return undefined;
    const cn = world.spec.certificate.commonName;
    return {
        ...policy,
        subject: policy.subject ?? `CN=${cn}`,
        subjectAlternativeNames: policy.subjectAlternativeNames ?? { dnsNames: [cn] },
    };
}
export function vaultPolicyRequest(policy, commonName) {
    const { lifetimeAction } = policy;
    return {
        issuerName: policy.issuerName,
        subject: policy.subject ?? `CN=${commonName}`,
        subjectAlternativeNames: { dnsNames: policy.subjectAlternativeNames?.dnsNames ?? [commonName] },
        enhancedKeyUsage: policy.enhancedKeyUsage,
        keyType: policy.keyType,
        ...(policy.keySize === undefined ? {} : { keySize: policy.keySize }),
        ...(policy.curve === undefined ? {} : { keyCurveName: policy.curve }),
        reuseKey: policy.reuseKey,
        exportable: policy.exportable,
        contentType: policy.contentType,
        validityInMonths: policy.validityInMonths,
        lifetimeActions: [
            {
                action: lifetimeAction.action,
                ...(lifetimeAction.lifetimePercentage === undefined
                    ? {}
                    : { lifetimePercentage: lifetimeAction.lifetimePercentage }),
                ...(lifetimeAction.daysBeforeExpiry === undefined
                    ? {}
                    : { daysBeforeExpiry: lifetimeAction.daysBeforeExpiry }),
            },
        ],
    };
}
/**
 * Drifted fields whose correction changes the key pair the next version gets: another key type or
 * size, or giving up `reuseKey` (a renewal then generates a new key) [KV-SPEC]. Such a change is never
 * made silently (issue 9): it is reported as PolicyChangeRekeys and waits for approval under
 * `approval: Manual` like every mutating step.
 */
export const REKEYING_FIELDS = ['keyType', 'keySize', 'reuseKey'];
export function rekeyingDrift(drift) {
    return drift.filter((f) => REKEYING_FIELDS.includes(f));
}
/**
 * Hazards of the enrollment step found in a computed plan: PolicyChangeRekeys (warning) when the policy
 * update proposed (or held back by a gate) re-keys.
 */
export function enrollmentHazards(plan) {
    const step = plan.steps.find((s) => s.name === Step.EnsureVaultCertificate);
    if (step === undefined)
        return [];
    const proposed = [...step.changes, ...(step.deferredChanges ?? [])];
    const found = [];
    for (const change of proposed) {
        if (change.op !== 'UpdateVaultCertificatePolicy')
            continue;
        const rekeys = rekeyingDrift(change.drift);
        if (rekeys.length === 0)
            continue;
        found.push({
            reason: Hazard.PolicyChangeRekeys,
            severity: Severity.Warning,
            message: `the policy update of ${change.certificateName} changes ${rekeys.join(', ')}: the next version gets a new key pair`,
        });
    }
    return found;
}
/** Fields of the vault's policy that differ from the declared one (only fields both sides state). */
export function policyDrift(world) {
    const want = effectivePolicy(world);
    const have = world.observed.vault.policy;
    if (want === undefined || have === undefined)
        return [];
    const drift = [];
    const differs = (name, a, b) => {
        if (a !== undefined && b !== undefined && String(a).toLowerCase() !== String(b).toLowerCase())
            drift.push(name);
    };
    differs('issuerName', want.issuerName, have.issuerName);
    differs('subject', want.subject, have.subject);
    differs('validityInMonths', want.validityInMonths, have.validityInMonths);
    differs('keyType', want.keyType, have.keyType);
    differs('keySize', want.keySize, have.keySize);
    differs('reuseKey', want.reuseKey, have.reuseKey);
    differs('exportable', want.exportable, have.exportable);
    differs('contentType', want.contentType, have.contentType);
    const sans = (list) => [...list]
        .map((d) => d.toLowerCase())
        .sort()
        .join(',');
    if (have.dnsNames.length > 0 &&
        sans(want.subjectAlternativeNames?.dnsNames ?? []) !== sans(have.dnsNames)) {
        drift.push('subjectAlternativeNames');
    }
    const wantAutoRenew = want.lifetimeAction.action === 'AutoRenew';
    if (wantAutoRenew !== have.autoRenew)
        drift.push('lifetimeAction');
    else if (wantAutoRenew) {
        differs('lifetimeAction.lifetimePercentage', want.lifetimeAction.lifetimePercentage, have.lifetimePercentage);
        differs('lifetimeAction.daysBeforeExpiry', want.lifetimeAction.daysBeforeExpiry, have.daysBeforeExpiry);
    }
    return drift;
}
export function ensureVaultCertificateStep(world) {
    const { vault, name } = world.spec.certificate;
    return {
        name: Step.EnsureVaultCertificate,
        target: `vault/${world.vaultName}/certificates/${name}`,
        evaluate: () => {
            const policy = effectivePolicy(world);
            if (policy === undefined)
                return satisfied();
            if (world.observed.vault.pendingOperation) {
                return waiting(Reason.WaitingForVaultOperation, `a create or renew operation on ${name} is pending in the vault`);
            }
            if (world.observed.vault.versions.length === 0) {
                const change = {
                    op: 'CreateVaultCertificate',
                    vault,
                    certificateName: name,
                    policy: vaultPolicyRequest(policy, world.spec.certificate.commonName),
                };
                return actionable([change], `create certificate ${name} in vault ${world.vaultName} with the declared policy`);
            }
            const drift = policyDrift(world);
            if (drift.length > 0) {
                const change = {
                    op: 'UpdateVaultCertificatePolicy',
                    vault,
                    certificateName: name,
                    policy: vaultPolicyRequest(policy, world.spec.certificate.commonName),
                    drift,
                };
                const rekeys = rekeyingDrift(drift);
                return actionable([change], `the vault policy of ${name} differs from the spec: ${drift.join(', ')}${rekeys.length === 0 ? '' : ` (re-keys: ${rekeys.join(', ')})`}`);
            }
            return satisfied();
        },
    };
}
export function grantVaultAccessStep(world) {
    return {
        name: Step.GrantVaultAccess,
        target: `vault/${world.vaultName}`,
        evaluate: () => {
            const access = world.observed.access;
            if (access === undefined)
                return satisfied('vault access was not observed');
            if (access.identityCanReadSecrets === true)
                return satisfied();
            if (access.identityCanReadSecrets === undefined) {
                return satisfied(`cannot judge the ${access.model} permissions of the identity; assumed granted`);
            }
            if (!world.spec.identity.grantVaultAccess) {
                // VaultAccessMissing (blocking) explains it; nothing may be changed.
                return actionable([], 'the identity may not get/list secrets and grantVaultAccess is false');
            }
            const principalId = world.observed.identity?.principalId;
            if (principalId === undefined) {
                return stuck(Reason.ResourceNotFound, `identity ${world.spec.identity.resourceId} was not found (no principalId)`);
            }
            const change = {
                op: 'GrantVaultAccess',
                vault: world.vaultName,
                vaultId: access.vaultId,
                model: access.model,
                principalId,
                tenantId: access.tenantId ?? world.observed.identity?.tenantId,
                secretPermissions: ['get', 'list'],
                roleDefinitionId: SECRET_READER_ROLE_IDS[0],
            };
            return actionable([change], `grant the identity get/list on the secrets of vault ${world.vaultName}`);
        },
    };
}
//# sourceMappingURL=vault-steps.js.map