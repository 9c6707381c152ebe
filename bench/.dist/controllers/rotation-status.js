import { setConditions } from '../kube/conditions.js';
import { ConditionType, Hazard, Phase, Reason, Severity, StepState, } from '../domain/names.js';
function isoSeconds(ms) {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
function currentStepEntry(plan) {
    return plan.steps.find((s) => s.name === plan.currentStep);
}
function describeStep(plan) {
    const step = currentStepEntry(plan);
    return step?.message === undefined ? plan.currentStep : `${plan.currentStep}: ${step.message}`;
}
function blockingHazard(plan) {
    return plan.hazards.find((h) => h.severity === Severity.Blocking);
}
function conditionsFor(input) {
    const { plan } = input;
    const step = currentStepEntry(plan);
    const blocking = blockingHazard(plan);
    const steady = plan.phase === Phase.Steady && input.failure === undefined;
    const stalled = plan.phase === Phase.Stalled || plan.phase === Phase.Blocked;
    const reconciling = !stalled && !steady && plan.phase !== Phase.Suspended;
    const stepReason = step?.reason ?? Reason.StepInProgress;
    const notReadyReason = blocking?.reason ??
        input.failure?.reason ??
        (plan.phase === Phase.Suspended ? Reason.Suspended : stepReason);
    const firstHazard = blocking ?? plan.hazards[0];
    const expiry = plan.hazards.find((h) => h.reason === Hazard.CertificateExpired || h.reason === Hazard.CertificateExpiringSoon);
    const conditions = [
        steady
            ? {
                type: ConditionType.Ready,
                status: 'True',
                reason: Reason.Converged,
                message: 'The rotation is converged.',
            }
            : {
                type: ConditionType.Ready,
                status: 'False',
                reason: notReadyReason,
                message: blocking?.message ?? input.failure?.message ?? describeStep(plan),
            },
        reconciling
            ? {
                type: ConditionType.Reconciling,
                status: 'True',
                reason: input.failure?.reason ?? stepReason,
                message: input.failure?.message ?? describeStep(plan),
            }
            : {
                type: ConditionType.Reconciling,
                status: 'False',
                reason: steady ? Reason.Converged : notReadyReason,
                message: '',
            },
        stalled
            ? {
                type: ConditionType.Stalled,
                status: 'True',
                reason: blocking?.reason ?? stepReason,
                message: blocking?.message ?? describeStep(plan),
            }
            : {
                type: ConditionType.Stalled,
                status: 'False',
                reason: steady ? Reason.Converged : stepReason,
                message: '',
            },
        firstHazard === undefined
            ? {
                type: ConditionType.HazardsClear,
                status: 'True',
                reason: Reason.Converged,
                message: 'No hazard found.',
            }
            : {
                type: ConditionType.HazardsClear,
                status: 'False',
                reason: firstHazard.reason,
                message: plan.hazards.map((h) => `${h.reason}: ${h.message}`).join('; '),
            },
        expiry === undefined
            ? {
                type: ConditionType.CertificateValid,
                status: 'True',
                reason: Reason.Converged,
                message: 'Not expiring soon.',
            }
            : {
                type: ConditionType.CertificateValid,
                status: 'False',
                reason: expiry.reason,
                message: expiry.message,
            },
    ];
    if (input.nodes !== undefined) {
        const { converged, total } = input.nodes;
        conditions.push({
            type: ConditionType.NodesConverged,
            status: converged === total ? 'True' : 'False',
            reason: converged === total ? Reason.Converged : Reason.WaitingForNodes,
            message: `${converged}/${total} nodes hold the vault's latest version.`,
        });
    }
    return conditions;
}
/** The whole new status. `lastTransitionTime` and `stepStartedAt` move only when their subject changes. */
export function rotationStatus(input) {
    const { plan, previous, nowMs } = input;
    const previousConditions = (previous?.conditions ?? []);
    const conditions = setConditions(previousConditions, conditionsFor(input), {
        nowMs,
        ...(input.generation === undefined ? {} : { observedGeneration: input.generation }),
    });
    const stepIndex = plan.steps.findIndex((s) => s.name === plan.currentStep);
    const stepStartedAt = previous?.currentStep === plan.currentStep && previous.stepStartedAt !== undefined
        ? previous.stepStartedAt
        : isoSeconds(nowMs);
    const status = {
        ...(input.generation === undefined ? {} : { observedGeneration: input.generation }),
        conditions,
        phase: plan.phase,
        ...(plan.mode === undefined ? {} : { mode: plan.mode }),
        currentStep: plan.currentStep,
        currentStepIndex: Math.max(stepIndex, 0),
        stepStartedAt,
        plan: {
            steps: plan.steps.map((s) => ({
                name: s.name,
                state: s.state,
                reason: s.reason,
                ...(s.message === undefined ? {} : { message: s.message }),
            })),
        },
        hazards: plan.hazards.map((h) => ({ reason: h.reason, severity: h.severity, message: h.message })),
        ...(certificatesOf(plan) ?? {}),
        ...(input.nodes === undefined ? {} : { nodes: input.nodes }),
        ...(input.pendingOperation === undefined ? {} : { pendingOperation: input.pendingOperation }),
        ...(input.lastVaultPollTime === undefined ? {} : { lastVaultPollTime: input.lastVaultPollTime }),
        ...(input.awaitingApprovalStep === undefined
            ? {}
            : { awaitingApproval: { step: input.awaitingApprovalStep } }),
        message: input.failure?.message ?? describeStep(plan),
    };
    const failures = failuresOf(input);
    return failures === undefined ? status : { ...status, failures };
}
function certificatesOf(plan) {
    const c = plan.certificates;
    if (c === undefined)
        return undefined;
    const seen = (x) => x === undefined || x.notBefore === undefined || x.notAfter === undefined
        ? undefined
        : { ...x, notBefore: x.notBefore, notAfter: x.notAfter };
    const vaultLatest = seen(c.vaultLatest);
    const inUse = seen(c.inUse);
    return {
        certificates: {
            ...(vaultLatest === undefined ? {} : { vaultLatest }),
            ...(inUse === undefined ? {} : { inUse }),
        },
    };
}
/** Failure bookkeeping persists across restarts so backoff does not reset (style-anchors §6.10). */
function failuresOf(input) {
    const prev = input.previous?.failures;
    if (input.failure === undefined)
        return undefined;
    return {
        count: (prev?.count ?? 0) + 1,
        lastFailureTime: isoSeconds(input.nowMs),
        lastError: input.failure.message,
    };
}
/** Whether the plan lets nothing run: for callers deciding what to requeue. */
export function planIsAtRest(plan) {
    return plan.phase === Phase.Steady || plan.steps.every((s) => s.state !== StepState.Current);
}
//# sourceMappingURL=rotation-status.js.map