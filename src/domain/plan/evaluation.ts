// How one step stands against the observed world. The planner walks the steps in order; the first one
// that is not `satisfied` is the current step.
import { Reason, type ReasonName, type StepName } from '../names.js';
import type { Change } from './changes.js';

/** How a step stands; `C` is the change type of the planner (Service Fabric, Batch). */
export type StepEvaluation<C> =
  /** The step's condition holds (or a later step has moved the world past it). */
  | { readonly status: 'satisfied'; readonly message?: string }
  /** The step's change is made; its completion predicate does not hold yet. */
  | { readonly status: 'waiting'; readonly reason: ReasonName; readonly message: string }
  /** The step needs these changes now. Empty only when a blocking hazard explains why nothing can be done. */
  | { readonly status: 'actionable'; readonly changes: readonly C[]; readonly message: string }
  /** Nothing the operator can do: a resource is missing or the world is in a state no step handles. */
  | { readonly status: 'stuck'; readonly reason: ReasonName; readonly message: string };

export type Evaluation = StepEvaluation<Change>;

export interface GenericStepDefinition<C> {
  readonly name: StepName;
  readonly target: string;
  readonly evaluate: () => StepEvaluation<C>;
}

export type StepDefinition = GenericStepDefinition<Change>;

export const satisfied = <C = Change>(message?: string): StepEvaluation<C> =>
  message === undefined ? { status: 'satisfied' } : { status: 'satisfied', message };
export const waiting = <C = Change>(reason: ReasonName, message: string): StepEvaluation<C> => ({
  status: 'waiting',
  reason,
  message,
});
export const actionable = <C = Change>(changes: readonly C[], message: string): StepEvaluation<C> => ({
  status: 'actionable',
  changes,
  message,
});
export const stuck = <C = Change>(reason: ReasonName, message: string): StepEvaluation<C> => ({
  status: 'stuck',
  reason,
  message,
});

/**
 * Waiting for the cluster to settle. `UpgradeServiceUnreachable` does not settle by itself: the resource
 * provider can no longer manage the cluster (often an expired cluster certificate) [SF-SPEC].
 */
export function waitForCluster(clusterState: string | undefined): Evaluation {
  if (clusterState === 'UpgradeServiceUnreachable') {
    return stuck(
      Reason.Blocked,
      'cluster state UpgradeServiceUnreachable: the resource provider cannot manage the cluster (check that the cluster certificate has not expired)',
    );
  }
  return waiting(Reason.WaitingForClusterReady, `cluster state ${clusterState ?? 'unknown'}`);
}
