// What the current step may do now, for every planner: blocking hazards stop it, a stuck step stalls,
// quarantine of an untrusted vault version goes first and waits for no gate, then the policy gates
// (suspend, maintenance windows, manual approval) hold the step's changes back (design §3 `policy`).
import {
  Hazard,
  Phase,
  Reason,
  Severity,
  StepReason,
  StepState,
  type PhaseName,
  type StepName,
  type StepStateName,
} from '../names.js';
import type { GenericStepDefinition, StepEvaluation } from './evaluation.js';
import { maintenanceWindowOpen, type MaintenanceWindow } from './gates.js';
import type { PlanHazard } from './types.js';

export interface Decision<C> {
  readonly state: StepStateName;
  readonly reason: string;
  readonly message: string | undefined;
  /** What the controller executes now. */
  readonly changes: readonly C[];
  /** Held back by a gate; shown for review. */
  readonly deferred: readonly C[];
  readonly phase: PhaseName;
}

export interface DecisionInput<C> {
  readonly step: StepName;
  readonly evaluation: StepEvaluation<C>;
  readonly hazards: readonly PlanHazard[];
  /** Changes that disable untrusted vault versions before any node installs them. */
  readonly quarantine: readonly C[];
  readonly quarantineMessage: string;
  readonly policy: {
    readonly suspend: boolean;
    readonly approval: string;
    readonly maintenanceWindows: readonly MaintenanceWindow[];
  };
  readonly now: Date;
  /** The step named by the approval annotation. */
  readonly approvedStep: string | undefined;
  /** Phase for the first blocking hazard; default: an invalid spec stalls, anything else blocks. */
  readonly blockedPhase?: (hazard: PlanHazard) => PhaseName;
}

const defaultBlockedPhase = (h: PlanHazard): PhaseName =>
  h.reason === Hazard.InvalidSpec ? Phase.Stalled : Phase.Blocked;

export function decideStep<C>(input: DecisionInput<C>): Decision<C> {
  const { evaluation, policy, quarantine } = input;
  const none = { changes: [] as C[], deferred: [] as C[] };
  const blocking = input.hazards.filter((h) => h.severity === Severity.Blocking);
  const first = blocking.find((h) => h.reason === Hazard.InvalidSpec) ?? blocking[0];
  if (first) {
    const phase = (input.blockedPhase ?? defaultBlockedPhase)(first);
    return { ...none, state: StepState.Blocked, reason: first.reason, message: first.message, phase };
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
  const proposed =
    quarantine.length > 0 ? quarantine : evaluation.status === 'actionable' ? evaluation.changes : [];
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
    const message =
      quarantine.length > 0
        ? input.quarantineMessage
        : evaluation.status === 'actionable'
          ? evaluation.message
          : undefined;
    const held = (reason: string, phase: PhaseName, why: string): Decision<C> => ({
      ...none,
      state: StepState.Current,
      reason,
      message: `${why}${message ? `; next: ${message}` : ''}`,
      deferred: proposed,
      phase,
    });
    if (policy.suspend) return held(Reason.Suspended, Phase.Suspended, 'spec.policy.suspend is true');
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
    if (!maintenanceWindowOpen(policy.maintenanceWindows, input.now)) {
      return held(Reason.OutsideMaintenanceWindow, Phase.Progressing, 'outside every maintenance window');
    }
    if (policy.approval === 'Manual' && input.approvedStep !== input.step) {
      return held(
        Reason.AwaitingApproval,
        Phase.AwaitingApproval,
        `approve with annotation naming ${input.step}`,
      );
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

/** One step of a plan, whatever the planner's change type. */
export interface GenericPlanStep<C> {
  readonly name: StepName;
  readonly target: string;
  readonly state: StepStateName;
  readonly reason: string;
  readonly message?: string;
  readonly changes: readonly C[];
  readonly deferredChanges?: readonly C[];
}

export interface CurrentStep<C> {
  readonly index: number;
  readonly definition: GenericStepDefinition<C>;
  readonly evaluation: StepEvaluation<C>;
  /** The evaluations of the steps up to and including the current one. */
  readonly evaluations: readonly StepEvaluation<C>[];
}

/** Walks the steps in order: the first whose condition does not hold is current (the last, Steady, else). */
export function currentStepOf<C>(definitions: readonly GenericStepDefinition<C>[]): CurrentStep<C> {
  const evaluations: StepEvaluation<C>[] = [];
  for (const definition of definitions) {
    const evaluation = definition.evaluate();
    evaluations.push(evaluation);
    if (evaluation.status !== 'satisfied')
      return { index: evaluations.length - 1, definition, evaluation, evaluations };
  }
  const definition = definitions.at(-1);
  const evaluation = evaluations.at(-1);
  if (definition === undefined || evaluation === undefined)
    throw new Error('a plan has at least the Steady step');
  return { index: definitions.length - 1, definition, evaluation, evaluations };
}

/** Every step of the mode: done before the current one, the decision on it, pending after it. */
export function planStepsOf<C>(
  definitions: readonly GenericStepDefinition<C>[],
  current: CurrentStep<C>,
  decision: Decision<C>,
): GenericPlanStep<C>[] {
  return definitions.map((def, i) => {
    if (i < current.index) {
      const e = current.evaluations[i];
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
    if (i > current.index) {
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
}
