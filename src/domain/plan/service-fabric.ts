// The pure Service Fabric planner: planServiceFabric(spec, observed, now) → Plan (design §2, §4).
// Walks the steps of the mode in order; the first whose condition does not hold is current; evaluates the
// hazards; then applies the gates (blocking hazards, suspend, quarantine, maintenance windows, approval)
// to decide whether the current step's changes may run now.
import type { ServiceFabricCertificateRotationSpec } from '../../api/index.js';
import { KIND_SERVICE_FABRIC } from '../names.js';
import type { ServiceFabricObservation, VaultVersionObservation } from '../observed/types.js';
import type { Change } from './changes.js';
import { commonNameSteps } from './common-name.js';
import type { Evaluation, StepDefinition } from './evaluation.js';
import { currentStepOf, decideStep, planStepsOf, type Decision } from './decision.js';
import { evaluateHazards, inUseCertificate } from './hazards.js';
import { thumbprintSteps } from './thumbprint.js';
import type { Plan, PlanContext, PlanHazard, PlanStep } from './types.js';
import { World } from './world.js';
import { planCertificate } from './plan-certificate.js';

function quarantineChanges(world: World): Change[] {
  return world.quarantine.map((v) => ({
    op: 'DisableVaultVersion',
    vault: world.spec.certificate.vault,
    certificateName: world.spec.certificate.name,
    version: v.version,
    thumbprint: v.thumbprint,
  }));
}

function decide(
  world: World,
  step: StepDefinition,
  evaluation: Evaluation,
  hazards: readonly PlanHazard[],
  context: PlanContext,
): Decision<Change> {
  return decideStep({
    step: step.name,
    evaluation,
    hazards,
    quarantine: quarantineChanges(world),
    quarantineMessage: `quarantine: disable ${world.quarantine.map(describeVersion).join(', ')} (direct issuer not pinned) before any node installs it`,
    policy: world.spec.policy,
    now: world.now,
    approvedStep: context.approvedStep,
  });
}

function describeVersion(v: VaultVersionObservation): string {
  return `version ${v.version} (${v.thumbprint ?? 'thumbprint unknown'})`;
}

/**
 * The ordered plan for one ServiceFabricCertificateRotation. Pure: the same spec, observation, instant and
 * context always give the same plan.
 */
export function planServiceFabric(
  spec: ServiceFabricCertificateRotationSpec,
  observed: ServiceFabricObservation,
  now: Date,
  context: PlanContext = {},
): Plan {
  const world = new World(spec, observed, now);
  const definitions = spec.mode === 'Thumbprint' ? thumbprintSteps(world) : commonNameSteps(world);
  const current = currentStepOf(definitions);
  const hazards = evaluateHazards({ world, context, currentStep: current.definition.name });
  const decision = decide(world, current.definition, current.evaluation, hazards, context);
  const steps: PlanStep[] = planStepsOf(definitions, current, decision);
  const vaultLatest = planCertificate(world.vaultLatest);
  const inUse = planCertificate(inUseCertificate(world));
  return {
    kind: KIND_SERVICE_FABRIC,
    name: context.resourceName ?? spec.cluster.name,
    mode: spec.mode,
    phase: decision.phase,
    steps,
    hazards,
    currentStep: current.definition.name,
    certificates: { ...(vaultLatest ? { vaultLatest } : {}), ...(inUse ? { inUse } : {}) },
  };
}
