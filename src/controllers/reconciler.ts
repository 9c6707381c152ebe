// The contract between the runtime (src/kube) and the controllers. Controllers hold domain logic only:
// gather the observed world → plan (pure) → execute at most the current step → write status once.
// The runtime owns queuing, retries, leadership, timeouts, logging context and metrics.
//
// Result handling (controller-runtime's pkg/reconcile/reconcile.go, adapted):
// - return `{ requeueAfterMs }` to be called again after a wait (polling an LRO, a maintenance window);
//   this resets the key's error backoff;
// - return nothing when converged (the next informer event or resync calls again);
// - throw `TransientError` to retry with per-key exponential backoff (at least `retryAfterMs`);
// - throw `TerminalError` when retrying the same input cannot help: it is logged and counted, and the
//   key is not retried until the object itself changes (generation, labels or annotations);
// - any other thrown error is treated as transient.
import type { Logger } from 'pino';
import type { KubeObject, ObjectKey, ResourceKind } from '../kube/types.js';

export interface ReconcileResult {
  /** Call again after this many milliseconds (a wait, not an error). */
  readonly requeueAfterMs?: number;
}

/** Events about the object being reconciled (events.k8s.io/v1; repeats are aggregated into a series). */
export interface ObjectEvents {
  /** `reason` must come from src/domain/names.ts; `action` is what the operator did or tried (UpperCamel). */
  normal(reason: string, action: string, note: string): void;
  warning(reason: string, action: string, note: string): void;
}

export type ObjectStatus = Record<string, unknown>;

export interface StatusWriteResult {
  /** False when the computed status equalled the stored one and no request was sent. */
  readonly written: boolean;
  /** The object as stored after the write (or as read, when nothing was written). */
  readonly object: KubeObject | undefined;
}

/**
 * Writes `/status` of the object being reconciled, at most once per reconcile. `compute` receives the
 * status currently stored and returns the whole new status; the writer sets `observedGeneration` to the
 * generation this reconcile read, skips the request when nothing changed, and on a 409 conflict re-reads
 * the object and calls `compute` again. `spec` is never written.
 */
export interface ObjectStatusWriter {
  write(compute: (current: ObjectStatus | undefined) => ObjectStatus): Promise<StatusWriteResult>;
}

/** Read access to the informer caches (for lookups across resources, e.g. conflicting claims). */
export interface CacheReader {
  get(kind: ResourceKind, key: ObjectKey): KubeObject | undefined;
  list(kind: ResourceKind, namespace?: string): KubeObject[];
}

export interface ReconcileContext {
  readonly kind: ResourceKind;
  readonly key: ObjectKey;
  /** A deep copy of the cached object when the reconcile started; `undefined` when it is gone. */
  readonly object: KubeObject | undefined;
  /**
   * pino child logger bound to `resource_kind`, `resource_namespace`, `resource_name`; add `step` and
   * `reason` (names from src/domain/names.ts) per call: `ctx.log.info({ step, reason }, 'Patched VMSS')`.
   */
  readonly log: Logger;
  /** Aborted at the per-reconcile timeout, on shutdown, and when this replica loses leadership. */
  readonly signal: AbortSignal;
  /** Whether this replica holds the leader Lease right now; check before every Azure mutation. */
  isLeader(): boolean;
  readonly events: ObjectEvents;
  readonly status: ObjectStatusWriter;
  readonly cache: CacheReader;
  /** Milliseconds since the epoch, from the runtime's (injectable) clock. */
  now(): number;
}

export interface Reconciler {
  reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult | void>;
}

/** A controller registration for `kv-rollover run`: one reconciler per kind. */
export interface ControllerRegistration {
  readonly kind: ResourceKind;
  readonly reconciler: Reconciler;
  /** Defaults to the lower-cased kind. Used as the `controller` metric label. */
  readonly name?: string;
}

/**
 * Optional helper for the gather → plan → execute → status shape: each phase gets the context, the
 * runtime-facing `reconcile` is assembled from them. `gather` returning `undefined` ends the reconcile
 * (object gone or nothing to observe). `plan` must be pure.
 */
export interface ReconcilePhases<Observed, Plan, Outcome> {
  gather(key: ObjectKey, ctx: ReconcileContext): Promise<Observed | undefined>;
  plan(observed: Observed, ctx: ReconcileContext): Plan;
  execute(plan: Plan, observed: Observed, ctx: ReconcileContext): Promise<Outcome>;
  status(
    plan: Plan,
    observed: Observed,
    outcome: Outcome,
    ctx: ReconcileContext,
  ): Promise<ReconcileResult | void>;
}

export function phasedReconciler<O, P, R>(phases: ReconcilePhases<O, P, R>): Reconciler {
  return {
    async reconcile(key, ctx) {
      const observed = await phases.gather(key, ctx);
      if (observed === undefined) return undefined;
      const plan = phases.plan(observed, ctx);
      const outcome = await phases.execute(plan, observed, ctx);
      return phases.status(plan, observed, outcome, ctx);
    },
  };
}
