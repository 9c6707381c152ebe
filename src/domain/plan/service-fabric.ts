// The pure Service Fabric planner: planServiceFabric(spec, observed, now) → Plan (design §2, §4).
// Walks the steps of the mode in order; the first whose condition does not hold is current; evaluates the
// hazards; then applies the gates (blocking hazards, suspend, quarantine, maintenance windows, approval)
// to decide whether the current step's changes may run now.
import type { ServiceFabricCertificateRotationSpec } from '../../api/index.js';
import { KIND_SERVICE_FABRIC, StepReason, StepState } from '../names.js';
import type { ServiceFabricObservation, VaultVersionObservation } from '../observed/types.js';
import type { Change } from './changes.js';
import { commonNameSteps } from './common-name.js';
import type { Evaluation, StepDefinition } from './evaluation.js';
import { decideStep, type Decision } from './decision.js';
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
  let currentIndex = definitions.length - 1;
  const evaluations: Evaluation[] = [];
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
  const steps: PlanStep[] = definitions.map((def, i) => {
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
