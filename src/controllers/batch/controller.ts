// The BatchPoolCertificateRotation controller: gather (raw Azure bodies) → plan (pure) → execute at most
// one change of the current step, or follow the operation already running → write status once. Mirrors
// the Service Fabric controller. Level-triggered: progress is re-derived from Azure on every reconcile.
//
// One piece of memory beyond a resume token: while a pool is recreated (resize to zero → delete →
// create) the body to create must survive the delete. It is kept in `status.pendingOperation` (operation
// `RecreatePool`, the body and the delete's own resume token in `resumeToken`), so a restart in the middle
// still creates the same pool. The planner refuses to derive such a body from a pool whose properties can
// hold secrets.
import {
  validateBatchPoolRotation,
  type BatchPoolCertificateRotationSpec,
  type RotationStatus,
} from '../../api/index.js';
import type { AzureClients } from '../../azure/clients.js';
import type { LroHandle } from '../../azure/lro.js';
import { resumeOperation } from '../../azure/operations.js';
import {
  observeBatchPool,
  planBatchPool,
  describeBatchChange,
  nodeConvergence,
  type BatchPlan,
  type PoolBody,
} from '../../domain/batch/index.js';
import { TerminalError, TransientError, errorMessage } from '../../domain/errors.js';
import {
  API_GROUP,
  API_VERSION,
  Annotation,
  KIND_BATCH_POOL,
  PLURAL_BATCH_POOL,
  Phase,
  Reason,
  Step,
  StepState,
} from '../../domain/names.js';
import type { KubeObject, ResourceKind } from '../../kube/types.js';
import { admitResource, conflictingClaim, invalidSpecPlan } from '../claims.js';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../reconciler.js';
import {
  announceCompleted,
  announceNewHazards,
  rotationStatus,
  type PendingOperation,
  type PlanSummary,
} from '../rotation-status.js';
import { subscriberId } from '../azure-context.js';
import {
  DEFAULT_REQUEUE,
  type ControllerAzure,
  type RequeueIntervals,
} from '../service-fabric/controller.js';
import { batchChangeTarget, startBatchChange } from './execute.js';
import {
  endedConverged,
  isSettled,
  syncInputs,
  untilVaultKnown,
  vaultStateOf,
  type AzureSyncMemo,
} from '../azure-sync.js';
import { gatherBatchPool } from './gather.js';

export const BATCH_POOL_KIND: ResourceKind = {
  group: API_GROUP,
  version: API_VERSION,
  kind: KIND_BATCH_POOL,
  plural: PLURAL_BATCH_POOL,
};

/** `status.pendingOperation.operation` of a pool recreation in progress. */
export const RECREATE_POOL_OPERATION = 'RecreatePool';

export interface BatchPoolControllerDeps {
  readonly azure: ControllerAzure;
  readonly requeue?: RequeueIntervals;
  /** When converged pools are re-read from Azure (none: every reconcile reads). */
  readonly sync?: AzureSyncMemo;
}

/** What a recreation keeps between reconciles (inside `pendingOperation.resumeToken`). */
export interface PoolRecreation {
  readonly body: PoolBody;
  /**
   * Resume token of a long-running operation started during the recreation (the pool delete, or a vault
   * certificate create), so one pendingOperation carries both and the body is never dropped.
   */
  readonly operationToken?: string;
}

interface RecreationEnvelope {
  readonly kvrPoolRecreation: 1;
  readonly body: PoolBody;
  readonly operationToken?: string;
}

export function encodeRecreation(r: PoolRecreation): string {
  const envelope: RecreationEnvelope = {
    kvrPoolRecreation: 1,
    body: r.body,
    ...(r.operationToken === undefined ? {} : { operationToken: r.operationToken }),
  };
  return JSON.stringify(envelope);
}

export function decodeRecreation(pending: PendingOperation | undefined): PoolRecreation | undefined {
  if (pending?.operation !== RECREATE_POOL_OPERATION || pending.resumeToken === undefined) return undefined;
  try {
    const parsed = JSON.parse(pending.resumeToken) as Partial<RecreationEnvelope>;
    if (parsed.kvrPoolRecreation !== 1 || typeof parsed.body !== 'object' || parsed.body === null)
      return undefined;
    return {
      body: parsed.body,
      ...(typeof parsed.operationToken === 'string' ? { operationToken: parsed.operationToken } : {}),
    };
  } catch {
    return undefined;
  }
}

interface Outcome {
  /** The pendingOperation to store; `undefined` clears it. */
  readonly pending?: PendingOperation;
  readonly failure?: { readonly reason: string; readonly message: string };
  /** An operation ended or a change was sent: look again soon. */
  readonly acted: boolean;
}

function isoNow(ctx: ReconcileContext): string {
  return new Date(ctx.now()).toISOString();
}

/** The plan as status reports it (Batch has no `mode` in status). */
export function planSummary(plan: BatchPlan): PlanSummary {
  return {
    phase: plan.phase,
    currentStep: plan.currentStep,
    steps: plan.steps,
    hazards: plan.hazards,
    certificates: plan.certificates,
  };
}

async function pollOperation(
  ctx: ReconcileContext,
  clients: AzureClients,
  pending: PendingOperation,
  token: string,
): Promise<{ state: 'running'; token: string } | { state: 'ended'; failure?: Outcome['failure'] }> {
  const handle = await resumeOperation(clients, token);
  const progress = await handle.poll();
  if (progress.state === 'running') return { state: 'running', token: progress.resumeToken };
  if (progress.state === 'succeeded') {
    announceCompleted(ctx, pending);
    return { state: 'ended' };
  }
  const reason = progress.error?.reason ?? Reason.AzureError;
  const message = `${pending.operation} on ${pending.target} ${progress.state}: ${progress.error?.message ?? 'no detail'}`;
  ctx.events.warning(reason, pending.step, message);
  return { state: 'ended', failure: { reason, message } };
}

/** Follows a plain long-running operation (a vault certificate create). */
async function followOperation(
  ctx: ReconcileContext,
  clients: AzureClients,
  pending: PendingOperation,
): Promise<Outcome> {
  if (pending.resumeToken === undefined) return { acted: true };
  const polled = await pollOperation(ctx, clients, pending, pending.resumeToken);
  if (polled.state === 'running') return { pending: { ...pending, resumeToken: polled.token }, acted: false };
  return { acted: true, ...(polled.failure === undefined ? {} : { failure: polled.failure }) };
}

function recreationPending(
  ctx: ReconcileContext,
  target: string,
  recreation: PoolRecreation,
  startedAt?: string,
): PendingOperation {
  return {
    step: Step.EnsurePool,
    operation: RECREATE_POOL_OPERATION,
    target,
    resumeToken: encodeRecreation(recreation),
    startedAt: startedAt ?? isoNow(ctx),
  };
}

async function executeCurrentStep(
  ctx: ReconcileContext,
  clients: AzureClients,
  spec: BatchPoolCertificateRotationSpec,
  plan: BatchPlan,
  recreation: { pending: PendingOperation; value: PoolRecreation } | undefined,
): Promise<Outcome> {
  const step = plan.steps.find((s) => s.name === plan.currentStep);
  const change = step?.changes[0];
  // A recreation under way stays recorded until EnsurePool is done (the pool exists as declared).
  const ensurePool = plan.steps.find((s) => s.name === Step.EnsurePool);
  const keep =
    recreation !== undefined && ensurePool?.state !== StepState.Done ? recreation.pending : undefined;
  const idle: Outcome = keep === undefined ? { acted: false } : { pending: keep, acted: false };
  if (step === undefined || change === undefined || !ctx.isLeader()) return idle;
  const target = batchChangeTarget(change, spec.batchAccount);
  let handle: LroHandle | undefined;
  try {
    handle = await startBatchChange(
      { clients, resourceGroup: spec.azure.resourceGroup, batchAccount: spec.batchAccount },
      change,
    );
  } catch (err: unknown) {
    if (err instanceof TerminalError) {
      ctx.events.warning(err.reason, step.name, `${change.op} on ${target} refused: ${err.message}`);
      return { ...idle, failure: { reason: err.reason, message: err.message } };
    }
    throw err;
  }
  ctx.events.normal(Reason.StepExecuted, step.name, `${describeBatchChange(change)} (${target}).`);
  ctx.log.info(
    { step: step.name, reason: Reason.StepExecuted, target, op: change.op },
    'Change sent to Azure',
  );
  switch (change.op) {
    case 'ResizePool':
      return {
        acted: true,
        pending: recreationPending(ctx, target, { body: change.recreateBody }, recreation?.pending.startedAt),
      };
    case 'DeletePool':
      return {
        acted: true,
        pending: recreationPending(
          ctx,
          target,
          {
            body: change.recreateBody,
            ...(handle === undefined ? {} : { operationToken: handle.resumeToken }),
          },
          recreation?.pending.startedAt,
        ),
      };
    case 'CreatePool':
      // The pool exists again: the recreation record has served its purpose.
      return { acted: true };
    default:
      break;
  }
  if (handle === undefined) return keep === undefined ? { acted: true } : { acted: true, pending: keep };
  if (recreation !== undefined && keep !== undefined) {
    return {
      acted: true,
      pending: recreationPending(
        ctx,
        keep.target,
        { body: recreation.value.body, operationToken: handle.resumeToken },
        keep.startedAt,
      ),
    };
  }
  return {
    acted: true,
    pending: {
      step: step.name,
      operation: change.op,
      target,
      resumeToken: handle.resumeToken,
      startedAt: isoNow(ctx),
    },
  };
}

function requeueFor(plan: BatchPlan, outcome: Outcome, intervals: RequeueIntervals): ReconcileResult {
  if (outcome.acted) return { requeueAfterMs: intervals.operationMs };
  if (outcome.pending !== undefined && decodeRecreation(outcome.pending)?.operationToken !== undefined)
    return { requeueAfterMs: intervals.operationMs };
  if (outcome.pending !== undefined && outcome.pending.operation !== RECREATE_POOL_OPERATION)
    return { requeueAfterMs: intervals.operationMs };
  if (plan.phase === Phase.Steady || plan.phase === Phase.Blocked || plan.phase === Phase.Stalled)
    return { requeueAfterMs: intervals.steadyMs };
  return { requeueAfterMs: intervals.waitingMs };
}

async function writeStatus(
  ctx: ReconcileContext,
  object: KubeObject,
  plan: PlanSummary,
  extra: Omit<Parameters<typeof rotationStatus>[0], 'plan' | 'previous' | 'generation' | 'nowMs'>,
): Promise<void> {
  await ctx.status.write((current) =>
    rotationStatus({
      plan,
      previous: current,
      generation: object.metadata.generation,
      nowMs: ctx.now(),
      ...extra,
    }),
  );
}

export function batchPoolReconciler(deps: BatchPoolControllerDeps): Reconciler {
  const intervals = deps.requeue ?? DEFAULT_REQUEUE;
  return {
    async reconcile(key, ctx) {
      const admitted = await admitResource(ctx, validateBatchPoolRotation, 'Batch', {
        unwatch: () => {
          deps.sync?.forget(key);
          deps.azure.unwatch(subscriberId(BATCH_POOL_KIND.kind, key));
        },
        writeStatus: (o, plan) => writeStatus(ctx, o, plan, {}),
      });
      if (admitted === undefined) return;
      const { object } = admitted;
      const spec = admitted.value.spec;
      deps.azure.watch(
        subscriberId(BATCH_POOL_KIND.kind, key),
        spec.certificate === undefined
          ? []
          : [
              {
                vault: spec.certificate.vault,
                certificate: spec.certificate.name,
                subscriptionId: spec.azure.subscriptionId,
              },
            ],
      );
      const previous = object.status as RotationStatus | undefined;
      const pending = previous?.pendingOperation as PendingOperation | undefined;
      const kept = decodeRecreation(pending);
      // Converged and nothing we can see changed since the last full read: no Azure read this time
      // (a pool without a watched certificate depends on its spec and Azure alone).
      const inputs = syncInputs(object, vaultStateOf(deps.azure.vaultState, spec.certificate));
      const skipped = deps.sync?.skip(key, object, inputs, ctx.now(), intervals.steadyMs);
      if (skipped !== undefined) return skipped;
      // A settled resource is the oldest claimant of its target (a younger one loses), and it acts only
      // after a full read: the claim is judged there, not on every resync (O(resources) each).
      const conflict = conflictingClaim(object, ctx.cache.list(BATCH_POOL_KIND), (o) => {
        const s = (o.spec ?? {}) as Partial<BatchPoolCertificateRotationSpec>;
        return [s.azure?.subscriptionId, s.azure?.resourceGroup, s.batchAccount, s.pool?.name];
      });
      // A settled pool's periodic drift check skips the node lists; anything but Steady is re-read in full.
      const settled = isSettled(object);
      let bodies;
      let clients: AzureClients;
      let nodesRead = true;
      const planOf = (observed: ReturnType<typeof observeBatchPool>): ReturnType<typeof planBatchPool> =>
        planBatchPool(spec, observed, new Date(ctx.now()), {
          resourceName: object.metadata.name,
          ...(object.metadata.annotations?.[Annotation.ApproveStep] === undefined
            ? {}
            : { approvedStep: object.metadata.annotations[Annotation.ApproveStep] }),
          ...(conflict === undefined ? {} : { conflictingRotation: conflict }),
          ...(kept === undefined ? {} : { recreateBody: kept.body }),
        });
      try {
        clients = await deps.azure.clientsFor(object.metadata.namespace ?? '', spec.azure);
        const vault = deps.azure.vaultSourceFor(clients);
        if (settled) {
          bodies = await gatherBatchPool(clients, vault, spec, {
            nodes: false,
            ...(deps.azure.sharedReads === undefined ? {} : { reuse: deps.azure.sharedReads.for(clients) }),
          });
          nodesRead = false;
          if (planOf(observeBatchPool(spec.pool.name, bodies)).phase !== Phase.Steady) {
            bodies = await gatherBatchPool(clients, vault, spec);
            nodesRead = true;
          }
        } else bodies = await gatherBatchPool(clients, vault, spec);
      } catch (err: unknown) {
        if (!(err instanceof TerminalError)) throw err;
        deps.sync?.forget(key);
        const plan = invalidSpecPlan('Batch', [], { reason: err.reason, message: err.message });
        ctx.events.warning(err.reason, plan.currentStep, err.message);
        await writeStatus(ctx, object, plan, {
          ...(pending === undefined ? {} : { pendingOperation: pending }),
          failure: { reason: err.reason, message: err.message },
        });
        return { requeueAfterMs: intervals.steadyMs };
      }
      const observed = observeBatchPool(spec.pool.name, bodies);
      const plan = planOf(observed);
      announceNewHazards(ctx.events, plan.currentStep, object.status, plan.hazards);
      // Without node data the last count stands (a settled pool's drift check skips the node lists).
      const nodes = nodesRead ? nodeConvergence(spec, observed.pool) : (previous?.nodes ?? undefined);
      let outcome: Outcome;
      try {
        if (pending !== undefined && kept === undefined) {
          outcome = await followOperation(ctx, clients, pending);
        } else if (pending !== undefined && kept?.operationToken !== undefined) {
          // An operation started during a recreation (the pool delete): wait for it, keep the body.
          const polled = await pollOperation(ctx, clients, pending, kept.operationToken);
          const stillKept = (operationToken?: string): PendingOperation =>
            recreationPending(
              ctx,
              pending.target,
              { body: kept.body, ...(operationToken === undefined ? {} : { operationToken }) },
              pending.startedAt,
            );
          outcome =
            polled.state === 'running'
              ? { pending: stillKept(polled.token), acted: false }
              : {
                  pending: stillKept(),
                  acted: true,
                  ...(polled.failure === undefined ? {} : { failure: polled.failure }),
                };
        } else {
          outcome = await executeCurrentStep(
            ctx,
            clients,
            spec,
            plan,
            pending === undefined || kept === undefined ? undefined : { pending, value: kept },
          );
        }
      } catch (err: unknown) {
        const reason = err instanceof TransientError ? err.reason : Reason.AzureError;
        await writeStatus(ctx, object, planSummary(plan), {
          ...(pending === undefined ? {} : { pendingOperation: pending }),
          failure: { reason, message: errorMessage(err) },
          ...(nodes === undefined ? {} : { nodes }),
        });
        throw err;
      }
      await writeStatus(ctx, object, planSummary(plan), {
        ...(outcome.pending === undefined ? {} : { pendingOperation: outcome.pending }),
        ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
        ...(nodes === undefined ? {} : { nodes }),
        ...(plan.phase === Phase.AwaitingApproval ? { awaitingApprovalStep: plan.currentStep } : {}),
      });
      deps.sync?.recordFullRead(key, inputs, endedConverged(plan.phase, outcome), ctx.now());
      const watching = deps.azure.vaultState !== undefined;
      return untilVaultKnown(requeueFor(plan, outcome, intervals), inputs, intervals.operationMs, watching);
    },
  };
}
