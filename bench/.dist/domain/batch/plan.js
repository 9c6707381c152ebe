// The pure Batch pool planner: planBatchPool(spec, observed, now, context) → BatchPlan (design §2, §4).
// Walks the steps in order (the first not satisfied is current), evaluates the hazards, then applies the
// gates — blocking hazards, suspend, quarantine, maintenance windows, approval — to decide whether the
// current step's changes may run now. Same decision rules as the Service Fabric planner.
import { Hazard, KIND_BATCH_POOL, Phase, Reason, Severity, StepReason, StepState, } from '../names.js';
import { maintenanceWindowOpen } from '../plan/gates.js';
import { assessPool } from './assessment.js';
import { evaluateBatchHazards } from './hazards.js';
import { batchSteps } from './steps.js';
import { vaultView } from './vault.js';
function describeVersion(v) {
    return `version ${v.version} (${v.thumbprint ?? 'thumbprint unknown'})`;
}
function blockedPhase(w, h) {
    if (h.reason === Hazard.InvalidSpec)
        return Phase.Stalled;
    // Drift with `recreate: Never` (or a body that cannot be kept) needs a person: Stalled. A busy pool
    // clears by itself: Blocked.
    if (h.reason === Hazard.PoolRecreationRequired && w.assessment.block?.kind !== 'busy')
        return Phase.Stalled;
    return Phase.Blocked;
}
function decide(w, step, evaluation, hazards, context) {
    const policy = w.spec.policy;
    const none = { changes: [], deferred: [] };
    const blocking = hazards.filter((h) => h.severity === Severity.Blocking);
    const first = blocking.find((h) => h.reason === Hazard.InvalidSpec) ?? blocking[0];
    if (first) {
        return {
            ...none,
            state: StepState.Blocked,
            reason: first.reason,
            message: first.message,
            phase: blockedPhase(w, first),
        };
    }
    if (evaluation.status === 'stuck') {
        return {
            ...none,
            state: StepState.Blocked,
            reason: evaluation.reason,
            message: evaluation.message,
            phase: Phase.Stalled,
        };
    }
    const quarantine = w.vault.quarantine.map((v) => ({
        op: 'DisableVaultVersion',
        vault: w.vault.certificate?.vault ?? '',
        certificateName: w.vault.certificate?.name ?? '',
        version: v.version,
        thumbprint: v.thumbprint,
    }));
    const proposed = quarantine.length > 0 ? quarantine : evaluation.status === 'actionable' ? evaluation.changes : [];
    if (proposed.length === 0 && evaluation.status === 'actionable') {
        return {
            ...none,
            state: StepState.Blocked,
            reason: Reason.Blocked,
            message: evaluation.message,
            phase: Phase.Blocked,
        };
    }
    if (proposed.length > 0) {
        const message = quarantine.length > 0
            ? `quarantine: disable ${w.vault.quarantine.map(describeVersion).join(', ')} (direct issuer not pinned) before any node installs it`
            : evaluation.status === 'actionable'
                ? evaluation.message
                : undefined;
        const held = (reason, phase, why) => ({
            ...none,
            state: StepState.Current,
            reason,
            message: `${why}${message ? `; next: ${message}` : ''}`,
            deferred: proposed,
            phase,
        });
        if (policy.suspend)
            return held(Reason.Suspended, Phase.Suspended, 'spec.policy.suspend is true');
        // Quarantine protects the nodes; it waits for neither a window nor an approval.
        if (quarantine.length > 0) {
            return {
                ...none,
                state: StepState.Current,
                reason: Reason.VersionQuarantined,
                message,
                changes: proposed,
                phase: Phase.Progressing,
            };
        }
        if (!maintenanceWindowOpen(policy.maintenanceWindows, w.now)) {
            return held(Reason.OutsideMaintenanceWindow, Phase.Progressing, 'outside every maintenance window');
        }
        if (policy.approval === 'Manual' && context.approvedStep !== step.name) {
            return held(Reason.AwaitingApproval, Phase.AwaitingApproval, `approve with annotation naming ${step.name}`);
        }
        return {
            ...none,
            state: StepState.Current,
            reason: Reason.StepInProgress,
            message,
            changes: proposed,
            phase: Phase.Progressing,
        };
    }
    const calm = policy.suspend ? Phase.Suspended : undefined;
    if (evaluation.status === 'waiting') {
        return {
            ...none,
            state: StepState.Current,
            reason: evaluation.reason,
            message: evaluation.message,
            phase: calm ?? Phase.Progressing,
        };
    }
    return {
        ...none,
        state: StepState.Current,
        reason: Reason.Converged,
        message: evaluation.message,
        phase: calm ?? Phase.Steady,
    };
}
function planCertificate(v) {
    if (v?.thumbprint === undefined)
        return undefined;
    return {
        version: v.version,
        thumbprint: v.thumbprint,
        ...(v.issuerThumbprint === undefined ? {} : { issuerThumbprint: v.issuerThumbprint }),
        ...(v.commonName === undefined ? {} : { subject: `CN=${v.commonName}` }),
        ...(v.notBefore === undefined ? {} : { notBefore: v.notBefore.toISOString() }),
        ...(v.notAfter === undefined ? {} : { notAfter: v.notAfter.toISOString() }),
    };
}
/**
 * The ordered plan for one BatchPoolCertificateRotation. Pure: the same spec, observation, instant and
 * context always give the same plan.
 */
export function planBatchPool(spec, observed, now, context = {}) {
    const kept = context.recreateBody;
    const world = {
        spec,
        observed,
        vault: vaultView(spec, observed.vault),
        assessment: assessPool(spec, observed, kept),
        kept,
        now,
    };
    const definitions = batchSteps(world);
    let currentIndex = definitions.length - 1;
    const evaluations = [];
    for (const [i, def] of definitions.entries()) {
        const e = def.evaluate();
        evaluations.push(e);
        if (e.status !== 'satisfied') {
            currentIndex = i;
            break;
        }
    }
    const current = definitions[currentIndex];
    const evaluation = evaluations[currentIndex];
    if (current === undefined || evaluation === undefined)
        throw new Error('a plan has at least the Steady step');
    const hazards = evaluateBatchHazards(world, context);
    const decision = decide(world, current, evaluation, hazards, context);
    const steps = definitions.map((def, i) => {
        if (i < currentIndex) {
            const e = evaluations[i];
            const message = e?.status === 'satisfied' ? e.message : undefined;
            return {
                name: def.name,
                target: def.target,
                state: StepState.Done,
                reason: StepReason.Done,
                ...(message ? { message } : {}),
                changes: [],
            };
        }
        if (i > currentIndex) {
            return {
                name: def.name,
                target: def.target,
                state: StepState.Pending,
                reason: StepReason.Pending,
                changes: [],
            };
        }
        return {
            name: def.name,
            target: def.target,
            state: decision.state,
            reason: decision.reason,
            ...(decision.message === undefined ? {} : { message: decision.message }),
            changes: decision.changes,
            ...(decision.deferred.length > 0 ? { deferredChanges: decision.deferred } : {}),
        };
    });
    const vaultLatest = planCertificate(world.vault.latest);
    // The extension installs the goal version on every node once the pool observes the secret.
    const inUse = world.assessment.pool !== undefined && world.assessment.drift.length === 0
        ? planCertificate(world.vault.goal)
        : undefined;
    return {
        kind: KIND_BATCH_POOL,
        name: context.resourceName ?? spec.pool.name,
        mode: 'Batch',
        phase: decision.phase,
        steps,
        hazards,
        currentStep: current.name,
        certificates: { ...(vaultLatest ? { vaultLatest } : {}), ...(inUse ? { inUse } : {}) },
    };
}
//# sourceMappingURL=plan.js.map