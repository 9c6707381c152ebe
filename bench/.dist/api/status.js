// The status both kinds share. The controllers, the metrics and the printer columns read these exact names
// (design §2): kstatus-style top-level observedGeneration, metav1.Condition list keyed by type, the plan.
import { Type } from '@sinclair/typebox';
import { Hazard, Phase, Severity, Step, StepState } from '../domain/names.js';
import * as P from './patterns.js';
import { StringEnum } from './schema-kit.js';
const STEP_NAMES = Object.values(Step);
const HAZARD_REASONS = Object.values(Hazard);
const PHASES = Object.values(Phase);
const STEP_STATES = Object.values(StepState);
const SEVERITIES = Object.values(Severity);
export const MODES = ['CommonName', 'Thumbprint'];
/**
 * A name from the shared vocabulary (a step or hazard reason), typed as its union in TypeScript but only
 * pattern-checked in the CRD: an operator newer than its CRD (upgrade order, version skew) must still be able
 * to write a status that uses a name the installed CRD does not list.
 */
function VocabularyName(_names, description) {
    return Type.Unsafe({
        type: 'string',
        description,
        pattern: P.CONDITION_REASON,
        maxLength: 128,
    });
}
function timestamp(description) {
    return Type.String({ description, format: 'date-time' });
}
/** metav1.Condition, with the validation controller-gen emits for it. */
export const ConditionSchema = Type.Object({
    type: Type.String({
        description: 'Condition type: Ready, Reconciling, Stalled, or a domain condition (HazardsClear, …).',
        pattern: P.CONDITION_TYPE,
        maxLength: 316,
    }),
    status: StringEnum(['True', 'False', 'Unknown'], {
        description: 'Status of the condition: True, False or Unknown.',
    }),
    observedGeneration: Type.Optional(Type.Integer({
        description: 'The metadata.generation the condition was computed from.',
        format: 'int64',
        minimum: 0,
    })),
    lastTransitionTime: timestamp('When the condition last changed status.'),
    reason: Type.String({
        description: 'A CamelCase reason for the last transition (a step, wait or hazard name).',
        pattern: P.CONDITION_REASON,
        minLength: 1,
        maxLength: 1024,
    }),
    message: Type.String({
        description: 'A human-readable explanation.',
        maxLength: 32768,
    }),
}, { description: 'A metav1.Condition.' });
export const CertificateInfoSchema = Type.Object({
    version: Type.Optional(Type.String({ description: 'The vault version (32 characters), when known.' })),
    thumbprint: Type.String({ description: 'SHA-1 thumbprint, uppercase hex.' }),
    issuerThumbprint: Type.Optional(Type.String({ description: 'SHA-1 thumbprint of the direct issuer, uppercase hex, when known.' })),
    subject: Type.Optional(Type.String({ description: 'The subject distinguished name.' })),
    notBefore: timestamp('Start of validity.'),
    notAfter: timestamp('End of validity.'),
}, { description: 'A certificate as observed.' });
export const PlanStepStatusSchema = Type.Object({
    name: VocabularyName(STEP_NAMES, 'Step name.'),
    state: StringEnum(STEP_STATES, { description: 'done, current, pending or blocked.' }),
    reason: Type.Optional(Type.String({ description: 'Why the step is in this state (a reason name).' })),
    message: Type.Optional(Type.String({ description: 'Details for a person.' })),
}, { description: 'One step of the plan.' });
export const HazardStatusSchema = Type.Object({
    reason: VocabularyName(HAZARD_REASONS, 'Hazard reason.'),
    severity: StringEnum(SEVERITIES, {
        description: '`blocking` stops every mutating step; `warning` and `info` only report.',
    }),
    message: Type.String({ description: 'What is wrong and what to do about it.' }),
}, { description: 'A hazard found in the observed state.' });
export const RotationStatusSchema = Type.Object({
    observedGeneration: Type.Optional(Type.Integer({
        description: 'The metadata.generation this status was computed from.',
        format: 'int64',
        minimum: 0,
    })),
    conditions: Type.Optional(Type.Array(ConditionSchema, {
        description: 'Ready, Reconciling and Stalled (kstatus), plus HazardsClear, NodesConverged and CertificateValid.',
        maxItems: 32,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
    })),
    phase: Type.Optional(StringEnum(PHASES, { description: 'Summary of where the rotation stands.' })),
    mode: Type.Optional(StringEnum(MODES, { description: 'The declaration mode the plan was computed for (Service Fabric).' })),
    currentStep: Type.Optional(VocabularyName(STEP_NAMES, 'The step being worked on (Steady once converged).')),
    currentStepIndex: Type.Optional(Type.Integer({ description: 'Zero-based index of currentStep in plan.steps.', minimum: 0 })),
    stepStartedAt: Type.Optional(timestamp('When currentStep became current.')),
    plan: Type.Optional(Type.Object({
        steps: Type.Array(PlanStepStatusSchema, {
            description: 'Every step of the mode, in order, Steady last.',
            maxItems: 32,
            'x-kubernetes-list-type': 'atomic',
        }),
    }, { description: 'The plan computed at the last reconcile.' })),
    hazards: Type.Optional(Type.Array(HazardStatusSchema, {
        description: 'Hazards found at the last reconcile.',
        maxItems: 64,
        'x-kubernetes-list-type': 'atomic',
    })),
    certificates: Type.Optional(Type.Object({
        vaultLatest: Type.Optional(Type.Object(CertificateInfoSchema.properties, {
            description: "The vault certificate's latest enabled version.",
        })),
        inUse: Type.Optional(Type.Object(CertificateInfoSchema.properties, {
            description: 'The certificate the cluster or pool currently uses.',
        })),
    }, { description: 'Certificates seen.' })),
    nodes: Type.Optional(Type.Object({
        converged: Type.Integer({
            description: 'Nodes that hold and report the current certificate.',
            minimum: 0,
        }),
        total: Type.Integer({ description: 'Nodes observed.', minimum: 0 }),
    }, { description: 'Convergence of the nodes.' })),
    pendingOperation: Type.Optional(Type.Object({
        step: VocabularyName(STEP_NAMES, 'The step that started the operation.'),
        operation: Type.String({
            description: 'What was started (e.g. a cluster upgrade, a vault create).',
        }),
        target: Type.String({ description: 'The Azure resource acted on.' }),
        resumeToken: Type.Optional(Type.String({ description: 'Opaque token to resume polling the long-running operation.' })),
        startedAt: timestamp('When the operation started.'),
    }, { description: 'A long-running Azure operation in flight, resumed after a restart.' })),
    failures: Type.Optional(Type.Object({
        count: Type.Integer({ description: 'Consecutive failed reconciles.', minimum: 0 }),
        lastFailureTime: timestamp('When the last failure happened.'),
        lastError: Type.String({ description: 'The last error, for a person.' }),
    }, { description: 'Consecutive failures, reset on success.' })),
    lastVaultPollTime: Type.Optional(timestamp('When the vault was last read.')),
    renewal: Type.Optional(Type.Object({
        token: Type.String({
            description: 'The last kvrollover.io/renew-requested token the operator acted on (a new token requests a renewal).',
            maxLength: 256,
        }),
        requestedAt: timestamp('When the operator asked the vault for the renewal.'),
    }, { description: 'The last renewal requested through the kvrollover.io/renew-requested annotation.' })),
    awaitingApproval: Type.Optional(Type.Object({
        step: VocabularyName(STEP_NAMES, 'The step waiting for approval.'),
    }, { description: 'Set under approval: Manual while a step waits for its approval annotation.' })),
    message: Type.Optional(Type.String({ description: 'One-line summary for a person.' })),
}, { description: 'Observed state, written by the operator.' });
//# sourceMappingURL=status.js.map