import { formatFieldErrors } from '../api/index.js';
import { Hazard, Phase, Reason, SERVICE_FABRIC_COMMON_NAME_STEPS, SERVICE_FABRIC_THUMBPRINT_STEPS, Severity, StepState, } from '../domain/names.js';
function claimKey(parts) {
    return parts.every((p) => p !== undefined && p !== '')
        ? parts.map((p) => p.toLowerCase()).join('/')
        : undefined;
}
function ageOrder(a, b) {
    const ta = a.metadata.creationTimestamp;
    const tb = b.metadata.creationTimestamp;
    if (ta !== tb)
        return (ta ?? '') < (tb ?? '') ? -1 : 1;
    const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
    const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
}
/**
 * The `namespace/name` of an older resource claiming the same Azure target as `object`, if any: the
 * oldest claim wins (then the lexically first), so exactly one resource acts on each target.
 */
export function conflictingClaim(object, others, target) {
    const mine = claimKey(target(object));
    if (mine === undefined)
        return undefined;
    const claimants = others
        .filter((o) => o.metadata.deletionTimestamp === undefined && claimKey(target(o)) === mine)
        .sort(ageOrder);
    const winner = claimants[0];
    if (winner === undefined)
        return undefined;
    const same = winner.metadata.uid === object.metadata.uid && winner.metadata.name === object.metadata.name;
    return same ? undefined : `${winner.metadata.namespace ?? ''}/${winner.metadata.name}`;
}
function stepsOf(mode) {
    if (mode === 'Thumbprint')
        return SERVICE_FABRIC_THUMBPRINT_STEPS.filter((s) => s !== 'EnsureVaultCertificate');
    if (mode === 'CommonName')
        return SERVICE_FABRIC_COMMON_NAME_STEPS.filter((s) => s !== 'EnsureVaultCertificate');
    return ['GrantVaultAccess', 'EnsurePool', 'VerifyNodes', 'Steady'];
}
/**
 * The plan reported when nothing can be planned: an invalid spec (`errors`) or an Azure target that
 * cannot be read (`failure`). The first step is blocked; nothing is proposed.
 */
export function invalidSpecPlan(mode, errors, failure) {
    const names = stepsOf(mode);
    const first = names[0] ?? 'Steady';
    const message = failure?.message ?? `The spec is invalid, nothing was done in Azure: ${formatFieldErrors(errors)}`;
    return {
        phase: Phase.Stalled,
        ...(mode === 'Batch' ? {} : { mode }),
        currentStep: first,
        steps: names.map((name, i) => ({
            name,
            state: i === 0 ? StepState.Blocked : StepState.Pending,
            reason: i === 0 ? (failure?.reason ?? Hazard.InvalidSpec) : Reason.Blocked,
            ...(i === 0 ? { message } : {}),
        })),
        hazards: failure === undefined ? [{ reason: Hazard.InvalidSpec, severity: Severity.Blocking, message }] : [],
    };
}
//# sourceMappingURL=claims.js.map