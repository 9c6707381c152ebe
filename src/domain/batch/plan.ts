// The pure Batch pool planner: planBatchPool(spec, observed, now, context) → BatchPlan (design §2, §4).
// Walks the steps in order (the first not satisfied is current), evaluates the hazards, then applies the
// gates — blocking hazards, suspend, quarantine, maintenance windows, approval — to decide whether the
// current step's changes may run now. Same decision rules as the Service Fabric planner.
import { Hazard, KIND_BATCH_POOL, Phase, type PhaseName, type StepName } from '../names.js';
import type { PlanCertificate, PlanHazard } from '../plan/types.js';
import type { VaultVersionObservation } from '../observed/types.js';
import { assessPool } from './assessment.js';
import {
  currentStepOf,
  decideStep,
  planStepsOf,
  type Decision,
  type GenericPlanStep,
} from '../plan/decision.js';
import { planCertificate } from '../plan/plan-certificate.js';
import type { BatchChange, PoolBody } from './changes.js';
import { evaluateBatchHazards } from './hazards.js';
import type { BatchPoolObservation } from './observed.js';
import type { BatchSpec } from './pool-body.js';
import { batchSteps, type BatchEvaluation, type BatchStepDefinition, type BatchWorld } from './steps.js';
import { vaultView } from './vault.js';

export type BatchPlanStep = GenericPlanStep<BatchChange>;

export interface BatchPlan {
  readonly kind: typeof KIND_BATCH_POOL;
  readonly name: string;
  /** Batch has a single mode; named so the plan JSON keeps the design §2 shape. */
  readonly mode: 'Batch';
  readonly phase: PhaseName;
  readonly steps: readonly BatchPlanStep[];
  readonly hazards: readonly PlanHazard[];
  readonly currentStep: StepName;
  readonly certificates: { readonly vaultLatest?: PlanCertificate; readonly inUse?: PlanCertificate };
}

export interface BatchPlanContext {
  /** metadata.name of the rotation resource; defaults to the pool name. */
  readonly resourceName?: string;
  /** The step named by the approval annotation, for `approval: Manual`. */
  readonly approvedStep?: string;
  /** Another resource claims the same pool (its namespace/name). */
  readonly conflictingRotation?: string;
  readonly specErrors?: readonly string[];
  /** The body of a recreation under way, as the controller kept it in status (ResizePool/DeletePool). */
  readonly recreateBody?: PoolBody;
}

function describeVersion(v: VaultVersionObservation): string {
  return `version ${v.version} (${v.thumbprint ?? 'thumbprint unknown'})`;
}

function blockedPhase(w: BatchWorld, h: PlanHazard): PhaseName {
  if (h.reason === Hazard.InvalidSpec) return Phase.Stalled;
  // Drift with `recreate: Never` (or a body that cannot be kept) needs a person: Stalled. A busy pool
  // clears by itself: Blocked.
  if (h.reason === Hazard.PoolRecreationRequired && w.assessment.block?.kind !== 'busy') return Phase.Stalled;
  return Phase.Blocked;
}

function decide(
  w: BatchWorld,
  step: BatchStepDefinition,
  evaluation: BatchEvaluation,
  hazards: readonly PlanHazard[],
  context: BatchPlanContext,
): Decision<BatchChange> {
  const quarantine: BatchChange[] = w.vault.quarantine.map((v) => ({
    op: 'DisableVaultVersion',
    vault: w.vault.certificate?.vault ?? '',
    certificateName: w.vault.certificate?.name ?? '',
    version: v.version,
    thumbprint: v.thumbprint,
  }));
  return decideStep({
    step: step.name,
    evaluation,
    hazards,
    quarantine,
    quarantineMessage: `quarantine: disable ${w.vault.quarantine.map(describeVersion).join(', ')} (direct issuer not pinned) before any node installs it`,
    policy: w.spec.policy,
    now: w.now,
    approvedStep: context.approvedStep,
    blockedPhase: (h) => blockedPhase(w, h),
  });
}

/**
 * The ordered plan for one BatchPoolCertificateRotation. Pure: the same spec, observation, instant and
 * context always give the same plan.
 */
export function planBatchPool(
  spec: BatchSpec,
  observed: BatchPoolObservation,
  now: Date,
  context: BatchPlanContext = {},
): BatchPlan {
  const kept = context.recreateBody;
  const world: BatchWorld = {
    spec,
    observed,
    vault: vaultView(spec, observed.vault),
    assessment: assessPool(spec, observed, kept),
    kept,
    now,
  };
  const definitions = batchSteps(world);
  const current = currentStepOf(definitions);
  const hazards = evaluateBatchHazards(world, context);
  const decision = decide(world, current.definition, current.evaluation, hazards, context);
  const steps: BatchPlanStep[] = planStepsOf(definitions, current, decision);
  const vaultLatest = planCertificate(world.vault.latest);
  // The extension installs the goal version on every node once the pool observes the secret.
  const inUse =
    world.assessment.pool !== undefined && world.assessment.drift.length === 0
      ? planCertificate(world.vault.goal)
      : undefined;
  return {
    kind: KIND_BATCH_POOL,
    name: context.resourceName ?? spec.pool.name,
    mode: 'Batch',
    phase: decision.phase,
    steps,
    hazards,
    currentStep: current.definition.name,
    certificates: { ...(vaultLatest ? { vaultLatest } : {}), ...(inUse ? { inUse } : {}) },
  };
}
