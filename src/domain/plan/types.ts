// The Plan JSON of design §2: every step of the mode in order (Steady last), each with its state, reason
// and the changes the controller executes, plus the hazards found.
import type { HazardReason, HazardSeverity, PhaseName, StepName, StepStateName } from '../names.js';
import type { Change } from './changes.js';

export interface PlanStep {
  readonly name: StepName;
  /** What the step acts on, e.g. `cluster/sf-prod` or `vmss/nt0,vmss/nt1`. */
  readonly target: string;
  readonly state: StepStateName;
  /** A Reason or Hazard name (names.ts). */
  readonly reason: string;
  readonly message?: string;
  /** What the controller executes now: empty unless the step is current and free to mutate. */
  readonly changes: readonly Change[];
  /** Changes held back by a gate (suspend, approval, maintenance window), shown for review only. */
  readonly deferredChanges?: readonly Change[];
}

export interface PlanHazard {
  readonly reason: HazardReason;
  readonly severity: HazardSeverity;
  readonly message: string;
}

/** A certificate as status reports it (design §2, "certificates seen"). */
export interface PlanCertificate {
  readonly version?: string;
  readonly thumbprint: string;
  readonly issuerThumbprint?: string;
  readonly subject?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
}

export interface Plan {
  readonly kind: string;
  readonly name: string;
  readonly mode: 'CommonName' | 'Thumbprint';
  readonly phase: PhaseName;
  readonly steps: readonly PlanStep[];
  readonly hazards: readonly PlanHazard[];
  /** The current step's name (Steady once converged). */
  readonly currentStep: StepName;
  readonly certificates: { readonly vaultLatest?: PlanCertificate; readonly inUse?: PlanCertificate };
}

/** Inputs that are not Azure observations. */
export interface PlanContext {
  /** metadata.name of the rotation resource; defaults to the cluster name. */
  readonly resourceName?: string;
  /** The step named by the approval annotation (`kvrollover.io/approve-step`), for `approval: Manual`. */
  readonly approvedStep?: string;
  /** Another resource claims the same cluster (its namespace/name). */
  readonly conflictingRotation?: string;
  /** Validation messages of an invalid spec. */
  readonly specErrors?: readonly string[];
}
