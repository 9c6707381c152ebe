// How one step stands against the observed world. The planner walks the steps in order; the first one
// that is not `satisfied` is the current step.
import { Reason, type ReasonName, type StepName } from '../names.js';
import type { Change } from './changes.js';

export type Evaluation =
  /** The step's condition holds (or a later step has moved the world past it). */
  | { readonly status: 'satisfied'; readonly message?: string }
  /** The step's change is made; its completion predicate does not hold yet. */
  | { readonly status: 'waiting'; readonly reason: ReasonName; readonly message: string }
  /** The step needs these changes now. Empty only when a blocking hazard explains why nothing can be done. */
  | { readonly status: 'actionable'; readonly changes: readonly Change[]; readonly message: string }
  /** Nothing the operator can do: a resource is missing or the world is in a state no step handles. */
  | { readonly status: 'stuck'; readonly reason: ReasonName; readonly message: string };

export interface StepDefinition {
  readonly name: StepName;
  readonly target: string;
  readonly evaluate: () => Evaluation;
}

export const satisfied = (message?: string): Evaluation =>
  message === undefined ? { status: 'satisfied' } : { status: 'satisfied', message };
export const waiting = (reason: ReasonName, message: string): Evaluation => ({
  status: 'waiting',
  reason,
  message,
});
export const actionable = (changes: readonly Change[], message: string): Evaluation => ({
  status: 'actionable',
  changes,
  message,
});
export const stuck = (reason: ReasonName, message: string): Evaluation => ({
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
