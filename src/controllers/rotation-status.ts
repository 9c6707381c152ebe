// The status both kinds write (design §2; kstatus rules in anchors.md §5.1): computed whole from the plan
// of this reconcile and the status stored before, so the status writer can diff and skip. Pure.
//
// kstatus reads: Reconciling=True → InProgress, Stalled=True → Failed, Ready=True → Current. So a running
// step is Reconciling, a blocking hazard or an invalid spec is Stalled, and only a converged rotation at
// the observed generation is Ready.
import type { RotationStatus } from '../api/index.js';
import { setConditions, type Condition, type ConditionInput } from '../kube/conditions.js';
import {
  ConditionType,
  Hazard,
  Phase,
  Reason,
  Severity,
  StepState,
  type HazardReason,
  type HazardSeverity,
  type PhaseName,
  type StepName,
} from '../domain/names.js';

export interface PlanSummary {
  readonly phase: PhaseName;
  readonly mode?: 'CommonName' | 'Thumbprint';
  readonly currentStep: StepName;
  readonly steps: ReadonlyArray<{
    readonly name: StepName;
    readonly state: 'done' | 'current' | 'pending' | 'blocked';
    readonly reason: string;
    readonly message?: string;
  }>;
  readonly hazards: ReadonlyArray<{
    readonly reason: HazardReason;
    readonly severity: HazardSeverity;
    readonly message: string;
  }>;
  readonly certificates?: {
    readonly vaultLatest?: CertificateSeen;
    readonly inUse?: CertificateSeen;
  };
}

interface CertificateSeen {
  readonly version?: string;
  readonly thumbprint: string;
  readonly issuerThumbprint?: string;
  readonly subject?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
}

export interface PendingOperation {
  readonly step: string;
  readonly operation: string;
  readonly target: string;
  readonly resumeToken?: string;
  readonly startedAt: string;
}

export interface StatusInput {
  readonly plan: PlanSummary;
  readonly previous: RotationStatus | undefined;
  readonly generation: number | undefined;
  readonly nowMs: number;
  readonly nodes?: { readonly converged: number; readonly total: number };
  readonly pendingOperation?: PendingOperation;
  /** The error of this reconcile's Azure work, when it failed (already free of secret material). */
  readonly failure?: { readonly reason: string; readonly message: string };
  readonly lastVaultPollTime?: string;
  /** The step waiting for a `kvrollover.io/approve-step` annotation under `approval: Manual`. */
  readonly awaitingApprovalStep?: string;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function currentStepEntry(plan: PlanSummary) {
  return plan.steps.find((s) => s.name === plan.currentStep);
}

function describeStep(plan: PlanSummary): string {
  const step = currentStepEntry(plan);
  return step?.message === undefined ? plan.currentStep : `${plan.currentStep}: ${step.message}`;
}

function blockingHazard(plan: PlanSummary) {
  return plan.hazards.find((h) => h.severity === Severity.Blocking);
}

function conditionsFor(input: StatusInput): ConditionInput[] {
  const { plan } = input;
  const step = currentStepEntry(plan);
  const blocking = blockingHazard(plan);
  const steady = plan.phase === Phase.Steady && input.failure === undefined;
  const stalled = plan.phase === Phase.Stalled || plan.phase === Phase.Blocked;
  const reconciling = !stalled && !steady && plan.phase !== Phase.Suspended;
  const stepReason = step?.reason ?? Reason.StepInProgress;
  const notReadyReason =
    blocking?.reason ??
    input.failure?.reason ??
    (plan.phase === Phase.Suspended ? Reason.Suspended : stepReason);
  const firstHazard = blocking ?? plan.hazards[0];
  const expiry = plan.hazards.find(
    (h) => h.reason === Hazard.CertificateExpired || h.reason === Hazard.CertificateExpiringSoon,
  );
  const conditions: ConditionInput[] = [
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
export function rotationStatus(input: StatusInput): RotationStatus {
  const { plan, previous, nowMs } = input;
  const previousConditions = (previous?.conditions ?? []) as Condition[];
  const conditions = setConditions(previousConditions, conditionsFor(input), {
    nowMs,
    ...(input.generation === undefined ? {} : { observedGeneration: input.generation }),
  });
  const stepIndex = plan.steps.findIndex((s) => s.name === plan.currentStep);
  const stepStartedAt =
    previous?.currentStep === plan.currentStep && previous.stepStartedAt !== undefined
      ? previous.stepStartedAt
      : isoSeconds(nowMs);
  const status: RotationStatus = {
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
    hazards: plan.hazards.map(
      (h) => ({ reason: h.reason, severity: h.severity, message: h.message }) as never,
    ),
    ...(certificatesOf(plan) ?? {}),
    ...(input.nodes === undefined ? {} : { nodes: input.nodes }),
    ...(input.pendingOperation === undefined ? {} : { pendingOperation: input.pendingOperation }),
    ...(input.lastVaultPollTime === undefined ? {} : { lastVaultPollTime: input.lastVaultPollTime }),
    ...(input.awaitingApprovalStep === undefined
      ? {}
      : { awaitingApproval: { step: input.awaitingApprovalStep } }),
    message: input.failure?.message ?? describeStep(plan),
  } as RotationStatus;
  const failures = failuresOf(input);
  return failures === undefined ? status : { ...status, failures };
}

function certificatesOf(plan: PlanSummary): Pick<RotationStatus, 'certificates'> | undefined {
  const c = plan.certificates;
  if (c === undefined) return undefined;
  const seen = (x: CertificateSeen | undefined) =>
    x === undefined || x.notBefore === undefined || x.notAfter === undefined
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
function failuresOf(input: StatusInput): RotationStatus['failures'] | undefined {
  const prev = input.previous?.failures;
  if (input.failure === undefined) return undefined;
  return {
    count: (prev?.count ?? 0) + 1,
    lastFailureTime: isoSeconds(input.nowMs),
    lastError: input.failure.message,
  };
}

/** Whether the plan lets nothing run: for callers deciding what to requeue. */
export function planIsAtRest(plan: PlanSummary): boolean {
  return plan.phase === Phase.Steady || plan.steps.every((s) => s.state !== StepState.Current);
}

/**
 * Every hazard is also an Event (design §4): a Warning when it first appears (not yet in the stored
 * status); the recorder aggregates repeats, and a hazard that stays is not announced again.
 */
export function announceNewHazards(
  events: { warning(reason: string, action: string, note: string): void },
  step: string,
  previous: RotationStatus | undefined,
  hazards: PlanSummary['hazards'],
): void {
  const known = new Set((previous?.hazards ?? []).map((h) => h.reason));
  for (const h of hazards) {
    if (h.severity === Severity.Info || known.has(h.reason)) continue;
    events.warning(h.reason, step, h.message);
  }
}

/** A followed operation finished: one `StepExecuted` Event and one log line, the same for every kind. */
export function announceCompleted(
  ctx: {
    readonly events: { normal(reason: string, action: string, note: string): void };
    readonly log: { info(fields: object, message: string): void };
  },
  pending: PendingOperation,
): void {
  ctx.events.normal(
    Reason.StepExecuted,
    pending.step,
    `${pending.operation} on ${pending.target} completed.`,
  );
  ctx.log.info(
    { step: pending.step, reason: Reason.StepExecuted, target: pending.target },
    'Operation completed',
  );
}
