import { Hazard, KIND_SERVICE_FABRIC, Phase, Reason, Severity, StepReason, StepState, } from '../names.js';
import { commonNameSteps } from './common-name.js';
import { maintenanceWindowOpen } from './gates.js';
import { evaluateHazards, inUseCertificate } from './hazards.js';
import { thumbprintSteps } from './thumbprint.js';
import { World } from './world.js';
function quarantineChanges(world) {
    return world.quarantine.map((v) => ({
        op: 'DisableVaultVersion',
        vault: world.spec.certificate.vault,
        certificateName: world.spec.certificate.name,
        version: v.version,
        thumbprint: v.thumbprint,
    }));
}
function decide(world, step, evaluation, hazards, context) {
    const policy = world.spec.policy;
    const base = { changes: [], deferred: [] };
    const blocking = hazards.filter((h) => h.severity === Severity.Blocking);
    const invalid = blocking.find((h) => h.reason === Hazard.InvalidSpec);
    if (invalid) {
        return {
            ...base,
            state: StepState.Blocked,
            reason: Hazard.InvalidSpec,
            message: invalid.message,
            phase: Phase.Stalled,
        };
    }
    const first = blocking[0];
    if (first) {
        return {
            ...base,
            state: StepState.Blocked,
            reason: first.reason,
            message: first.message,
            phase: Phase.Blocked,
        };
    }
    if (evaluation.status === 'stuck') {
        return {
            ...base,
            state: StepState.Blocked,
            reason: evaluation.reason,
            message: evaluation.message,
            phase: Phase.Stalled,
        };
    }
    const quarantine = quarantineChanges(world);
    const proposed = quarantine.length > 0 ? quarantine : evaluation.status === 'actionable' ? evaluation.changes : [];
    if (proposed.length === 0 && evaluation.status === 'actionable') {
        return {
            ...base,
            state: StepState.Blocked,
            reason: Reason.Blocked,
            message: evaluation.message,
            phase: Phase.Blocked,
        };
    }
    if (proposed.length > 0) {
        const message = quarantine.length > 0
            ? `quarantine: disable ${world.quarantine.map(describeVersion).join(', ')} (direct issuer not pinned) before any node installs it`
            : evaluation.status === 'actionable'
                ? evaluation.message
                : undefined;
        const held = (reason, phase, why) => ({
            ...base,
            state: StepState.Current,
            reason,
            message: `${why}${message ? `; next: ${message}` : ''}`,
            deferred: proposed,
            phase,
        });
        if (policy.suspend)
            return held(Reason.Suspended, Phase.Suspended, 'spec.policy.suspend is true');
        // Quarantine protects the cluster; it waits for neither a window nor an approval.
        if (quarantine.length > 0) {
            return {
                ...base,
                state: StepState.Current,
                reason: Reason.VersionQuarantined,
                message,
                changes: proposed,
                phase: Phase.Progressing,
            };
        }
        if (!maintenanceWindowOpen(policy.maintenanceWindows, world.now)) {
            return held(Reason.OutsideMaintenanceWindow, Phase.Progressing, 'outside every maintenance window');
        }
        if (policy.approval === 'Manual' && context.approvedStep !== step.name) {
            return held(Reason.AwaitingApproval, Phase.AwaitingApproval, `approve with annotation naming ${step.name}`);
        }
        return {
            ...base,
            state: StepState.Current,
            reason: Reason.StepInProgress,
            message,
            changes: proposed,
            phase: Phase.Progressing,
        };
    }
    const phaseIfCalm = policy.suspend ? Phase.Suspended : undefined;
    if (evaluation.status === 'waiting') {
        return {
            ...base,
            state: StepState.Current,
            reason: evaluation.reason,
            message: evaluation.message,
            phase: phaseIfCalm ?? Phase.Progressing,
        };
    }
    return {
        ...base,
        state: StepState.Current,
        reason: Reason.Converged,
        message: evaluation.message,
        phase: phaseIfCalm ?? Phase.Steady,
    };
}
function describeVersion(v) {
    return `version ${v.version} (${v.thumbprint ?? 'thumbprint unknown'})`;
}
function planCertificate(c) {
    if (c?.thumbprint === undefined)
        return undefined;
    return {
        ...(c.version === undefined ? {} : { version: c.version }),
        thumbprint: c.thumbprint,
        ...(c.issuerThumbprint === undefined ? {} : { issuerThumbprint: c.issuerThumbprint }),
        ...(c.commonName === undefined ? {} : { subject: `CN=${c.commonName}` }),
        ...(c.notBefore === undefined ? {} : { notBefore: c.notBefore.toISOString() }),
        ...(c.notAfter === undefined ? {} : { notAfter: c.notAfter.toISOString() }),
    };
}
/**
 * The ordered plan for one ServiceFabricCertificateRotation. Pure: the same spec, observation, instant and
 * context always give the same plan.
 */
export function planServiceFabric(spec, observed, now, context = {}) {
    const world = new World(spec, observed, now);
    const definitions = spec.mode === 'Thumbprint' ? thumbprintSteps(world) : commonNameSteps(world);
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
    const hazards = evaluateHazards({ world, context, currentStep: current.name });
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
        if (i > currentIndex)
            return {
                name: def.name,
                target: def.target,
                state: StepState.Pending,
                reason: StepReason.Pending,
                changes: [],
            };
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
    const vaultLatest = planCertificate(world.vaultLatest);
    const inUse = planCertificate(inUseCertificate(world));
    return {
        kind: KIND_SERVICE_FABRIC,
        name: context.resourceName ?? spec.cluster.name,
        mode: spec.mode,
        phase: decision.phase,
        steps,
        hazards,
        currentStep: current.name,
        certificates: { ...(vaultLatest ? { vaultLatest } : {}), ...(inUse ? { inUse } : {}) },
    };
}
//# sourceMappingURL=service-fabric.js.map