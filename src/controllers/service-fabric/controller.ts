// The ServiceFabricCertificateRotation controller: gather (raw Azure bodies) → plan (pure) → execute at
// most one change of the current step, or follow the operation already running → write status once.
// Level-triggered and resumable: progress is re-derived from Azure every time; the only memory kept in
// status is the resume token of a running operation (design §4).
import {
  validateServiceFabricRotation,
  type RotationStatus,
  type ServiceFabricCertificateRotationSpec,
} from '../../api/index.js';
import type { AzureClients } from '../../azure/clients.js';
import { resumeOperation } from '../../azure/operations.js';
import type { LroHandle } from '../../azure/lro.js';
import { TerminalError, TransientError, errorMessage } from '../../domain/errors.js';
import {
  API_GROUP,
  API_VERSION,
  Annotation,
  ConditionType,
  Hazard,
  KIND_SERVICE_FABRIC,
  PLURAL_SERVICE_FABRIC,
  Reason,
  Phase,
  Step,
} from '../../domain/names.js';
import {
  observeServiceFabric,
  type ServiceFabricBodies,
  type ServiceFabricObservation,
} from '../../domain/observed/index.js';
import { describeChange, planServiceFabric, type Plan } from '../../domain/plan/index.js';
import { enrollmentHazards, rekeyingDrift } from '../../domain/plan/vault-steps.js';
import type { KubeObject, ResourceKind } from '../../kube/types.js';
import { vaultNameOf } from '../../domain/observed/index.js';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../reconciler.js';
import { subscriberId, type AzureContext } from '../azure-context.js';
import { admitResource, invalidSpecPlan, conflictingClaim } from '../claims.js';
import {
  announceCompleted,
  announceNewHazards,
  rotationStatus,
  type PendingOperation,
  type PlanSummary,
} from '../rotation-status.js';
import {
  beginRenewal,
  isOperationConflict,
  pendingRenewalToken,
  RENEW_OPERATION,
  type RenewalRecord,
} from '../renew.js';
import { changeTarget, startChange } from './execute.js';
import {
  endedConverged,
  isSettled,
  syncInputs,
  untilVaultKnown,
  vaultStateOf,
  type AzureSyncMemo,
} from '../azure-sync.js';
import { gatherServiceFabric, readVaultOperation, type GatherOptions, type VaultSource } from './gather.js';

export const SERVICE_FABRIC_KIND: ResourceKind = {
  group: API_GROUP,
  version: API_VERSION,
  kind: KIND_SERVICE_FABRIC,
  plural: PLURAL_SERVICE_FABRIC,
};

export interface RequeueIntervals {
  /** While an Azure operation runs. */
  readonly operationMs: number;
  /** While waiting for Azure to settle (cluster upgrade, instances applying a model). */
  readonly waitingMs: number;
  /** Converged or blocked: a periodic re-check (vault changes wake the resource earlier). */
  readonly steadyMs: number;
}

export const DEFAULT_REQUEUE: RequeueIntervals = {
  operationMs: 10_000,
  waitingMs: 30_000,
  steadyMs: 30 * 60_000,
};

/** The Azure side a controller needs (src/controllers/azure-context.ts provides it in the operator). */
export type ControllerAzure = Pick<AzureContext, 'clientsFor' | 'vaultSourceFor' | 'watch' | 'unwatch'> &
  Partial<Pick<AzureContext, 'vaultState' | 'sharedReads' | 'freshVaultSourceFor'>>;

export interface ServiceFabricControllerDeps {
  readonly azure: ControllerAzure;
  readonly requeue?: RequeueIntervals;
  /** When converged resources are re-read from Azure (none: every reconcile reads). */
  readonly sync?: AzureSyncMemo;
}

interface Outcome {
  readonly pending?: PendingOperation;
  readonly failure?: { readonly reason: string; readonly message: string };
  /** An operation ended or a change was sent: look again soon. */
  readonly acted: boolean;
}

function nodesOf(observed: ServiceFabricObservation): { converged: number; total: number } | undefined {
  const instances = observed.scaleSets.flatMap((s) => s.instances ?? []);
  if (instances.length === 0) return undefined;
  const converged = instances.filter(
    (i) => i.latestModelApplied && Object.values(i.extensions).every((e) => e === 'succeeded'),
  ).length;
  return { converged, total: instances.length };
}

function isoNow(ctx: ReconcileContext): string {
  return new Date(ctx.now()).toISOString();
}

/**
 * A vault create (enrollment or renewal) is followed on the vault's pending object itself [KV-CREATE]:
 * its status and, when it failed, the issuer's error. (The SDK's poller cannot tell a failed first
 * create from a finished one: it answers both with the 404 of a certificate that has no version.)
 */
async function followVaultCreate(
  ctx: ReconcileContext,
  clients: AzureClients,
  spec: ServiceFabricCertificateRotationSpec,
  pending: PendingOperation,
): Promise<Outcome> {
  const op = await readVaultOperation(clients, spec.certificate.vault, spec.certificate.name);
  const state = op?.status?.toLowerCase();
  if (state === 'inprogress') return { pending, acted: false };
  if (state === undefined || state === 'completed') {
    announceCompleted(ctx, pending);
    return { acted: true };
  }
  const detail = op?.message ?? op?.code ?? 'no detail';
  const message = `${pending.operation} on ${pending.target} ${state}: the vault could not issue the certificate: ${detail}`;
  ctx.events.warning(Hazard.VaultIssuanceFailed, pending.step, message);
  ctx.log.warn({ step: pending.step, reason: Hazard.VaultIssuanceFailed, target: pending.target }, message);
  return { acted: true, failure: { reason: Hazard.VaultIssuanceFailed, message } };
}

async function followOperation(
  ctx: ReconcileContext,
  clients: AzureClients,
  spec: ServiceFabricCertificateRotationSpec,
  pending: PendingOperation,
): Promise<Outcome> {
  if (isVaultCreate(pending.operation)) return followVaultCreate(ctx, clients, spec, pending);
  if (pending.resumeToken === undefined) return { acted: true };
  const handle = await resumeOperation(clients, pending.resumeToken);
  const progress = await handle.poll();
  if (progress.state === 'running')
    return { pending: { ...pending, resumeToken: progress.resumeToken }, acted: false };
  if (progress.state === 'succeeded') {
    announceCompleted(ctx, pending);
    return { acted: true };
  }
  const message = `${pending.operation} on ${pending.target} ${progress.state}: ${progress.error?.message ?? 'no detail'}`;
  ctx.events.warning(progress.error?.reason ?? Reason.AzureError, pending.step, message);
  return { acted: true, failure: { reason: progress.error?.reason ?? Reason.AzureError, message } };
}

function isVaultCreate(operation: string): boolean {
  return operation === 'CreateVaultCertificate' || operation === RENEW_OPERATION;
}

async function executeCurrentStep(
  ctx: ReconcileContext,
  clients: AzureClients,
  spec: ServiceFabricCertificateRotationSpec,
  bodies: Parameters<typeof startChange>[0]['scaleSets'],
  plan: Plan,
): Promise<Outcome> {
  const step = plan.steps.find((s) => s.name === plan.currentStep);
  const change = step?.changes[0];
  if (step === undefined || change === undefined) return { acted: false };
  if (!ctx.isLeader()) return { acted: false };
  const target = changeTarget(change, spec.cluster.name);
  let handle: LroHandle | undefined;
  try {
    handle = await startChange(
      { clients, resourceGroup: spec.azure.resourceGroup, clusterName: spec.cluster.name, scaleSets: bodies },
      change,
    );
  } catch (err: unknown) {
    if (
      change.op === 'CreateVaultCertificate' &&
      err instanceof TerminalError &&
      err.reason === Reason.ResourceNotFound &&
      (await readVaultOperation(clients, change.vault, change.certificateName)) !== undefined
    ) {
      // The vault accepted the create and its operation ended at once; the SDK's follow-up read of a
      // certificate without a version is the 404. Follow the vault's operation from here.
      ctx.events.normal(Reason.StepExecuted, step.name, `${describeChange(change)} (${target}).`);
      return {
        acted: true,
        pending: { step: step.name, operation: change.op, target, startedAt: isoNow(ctx) },
      };
    }
    if (err instanceof TerminalError) {
      ctx.events.warning(err.reason, step.name, `${change.op} on ${target} refused: ${err.message}`);
      return { acted: false, failure: { reason: err.reason, message: err.message } };
    }
    throw err;
  }
  if (change.op === 'UpdateVaultCertificatePolicy' && rekeyingDrift(change.drift).length > 0) {
    ctx.events.warning(
      Hazard.PolicyChangeRekeys,
      step.name,
      `Policy of ${change.certificateName} updated with ${rekeyingDrift(change.drift).join(', ')} changed: the next version gets a new key pair.`,
    );
  }
  ctx.events.normal(Reason.StepExecuted, step.name, `${describeChange(change)} (${target}).`);
  ctx.log.info(
    { step: step.name, reason: Reason.StepExecuted, target, op: change.op },
    'Change sent to Azure',
  );
  if (handle === undefined) return { acted: true };
  const pending: PendingOperation = {
    step: step.name,
    operation: change.op,
    target,
    resumeToken: handle.resumeToken,
    startedAt: isoNow(ctx),
  };
  return { acted: true, pending };
}

/** Asks the vault for a new version of the certificate (a renewal requested by annotation). */
async function requestRenewal(
  ctx: ReconcileContext,
  clients: AzureClients,
  spec: ServiceFabricCertificateRotationSpec,
  token: string,
): Promise<Outcome & { readonly renewal?: RenewalRecord }> {
  const { vault, name } = spec.certificate;
  const target = `vault/${vaultNameOf(vault)}/certificates/${name}`;
  const renewal: RenewalRecord = { token, requestedAt: isoNow(ctx) };
  let handle: LroHandle;
  try {
    handle = await beginRenewal(clients, vault, name);
  } catch (err: unknown) {
    // A create already running in the vault: ask again once it is over (the token stays unhandled).
    if (isOperationConflict(err)) return { acted: false };
    if (!(err instanceof TerminalError)) throw err;
    // Acted on once: a request the vault refuses (no certificate, no permission) is not retried.
    const message = `renewal of ${name} (token ${token}) refused: ${err.message}`;
    ctx.events.warning(err.reason, Step.EnsureVaultCertificate, message);
    return { acted: false, failure: { reason: err.reason, message }, renewal };
  }
  ctx.events.normal(
    Reason.RenewalRequested,
    Step.EnsureVaultCertificate,
    `Renewal of ${name} requested in vault ${vaultNameOf(vault)} (token ${token}).`,
  );
  ctx.log.info({ reason: Reason.RenewalRequested, target, token }, 'Renewal requested');
  return {
    acted: true,
    renewal,
    pending: {
      step: Step.EnsureVaultCertificate,
      operation: RENEW_OPERATION,
      target,
      resumeToken: handle.resumeToken,
      startedAt: renewal.requestedAt,
    },
  };
}

/**
 * A renewal requested before the certificate exists: the enrollment issues the first version anyway,
 * so the token is recorded without a second create (which would only add a version right after it).
 */
function enrollmentAnswersRenewal(
  ctx: ReconcileContext,
  spec: ServiceFabricCertificateRotationSpec,
  token: string,
): Outcome & { readonly renewal: RenewalRecord } {
  const { vault, name } = spec.certificate;
  ctx.events.normal(
    Reason.RenewalRequested,
    Step.EnsureVaultCertificate,
    `Renewal of ${name} (token ${token}) needs no request: vault ${vaultNameOf(vault)} has no version yet; ${
      spec.certificate.policy === undefined
        ? 'declare spec.certificate.policy to enroll it'
        : 'the enrollment issues one'
    }.`,
  );
  return { acted: false, renewal: { token, requestedAt: isoNow(ctx) } };
}

const MAX_ISSUANCE_BACKOFF_MS = 30 * 60_000;

/** Retry delay after the `count`-th failed issuance: doubling from the operation interval, capped. */
export function issuanceBackoffMs(count: number, intervals: RequeueIntervals): number {
  const exponent = Math.min(Math.max(count - 1, 0), 20);
  return Math.min(intervals.operationMs * 2 ** exponent, intervals.steadyMs, MAX_ISSUANCE_BACKOFF_MS);
}

/** Whether the current step retries what failed last time: a failed issuance or a failed scale-set update. */
function retriesAFailure(previous: RotationStatus | undefined, plan: Plan): boolean {
  if (previous?.failures === undefined) return false;
  const ready = (previous.conditions ?? []).find((c) => c.type === ConditionType.Ready);
  if (plan.currentStep === Step.EnsureVaultCertificate && ready?.reason === Hazard.VaultIssuanceFailed)
    return true;
  const current = plan.steps.find((s) => s.name === plan.currentStep);
  return current?.changes.some((c) => c.op === 'RetryScaleSetUpdate') ?? false;
}

/**
 * While the last attempt failed (the vault's issuance, a scale set's update) and its backoff has not run
 * out, the step is not retried: the remaining delay and the failure's reason, else undefined. Judged
 * from status, so backoff survives restarts.
 */
function retryBackoffRemaining(
  previous: RotationStatus | undefined,
  plan: Plan,
  nowMs: number,
  intervals: RequeueIntervals,
): { readonly remainingMs: number; readonly reason: string } | undefined {
  if (previous?.failures === undefined || !retriesAFailure(previous, plan)) return undefined;
  const since = Date.parse(previous.failures.lastFailureTime);
  if (Number.isNaN(since)) return undefined;
  const remaining = since + issuanceBackoffMs(previous.failures.count, intervals) - nowMs;
  const ready = (previous.conditions ?? []).find((c) => c.type === ConditionType.Ready);
  return remaining > 0 ? { remainingMs: remaining, reason: ready?.reason ?? Reason.AzureError } : undefined;
}

function requeueFor(plan: PlanSummary, outcome: Outcome, intervals: RequeueIntervals): ReconcileResult {
  if (outcome.pending !== undefined || outcome.acted) return { requeueAfterMs: intervals.operationMs };
  if (plan.phase === Phase.Steady || plan.phase === Phase.Blocked || plan.phase === Phase.Stalled)
    return { requeueAfterMs: intervals.steadyMs };
  return { requeueAfterMs: intervals.waitingMs };
}

interface StatusExtra extends Omit<
  Parameters<typeof rotationStatus>[0],
  'plan' | 'previous' | 'generation' | 'nowMs'
> {
  /** The renewal token acted on (kept from the previous status when omitted). */
  readonly renewal?: RenewalRecord;
  /**
   * Keep `failures` as they were instead of counting (or resetting) them: while a failed issuance waits
   * for its backoff or is being retried, so the count keeps growing across retries.
   */
  readonly holdFailures?: boolean;
}

async function writeStatus(
  ctx: ReconcileContext,
  object: KubeObject,
  plan: PlanSummary,
  { renewal, holdFailures, ...extra }: StatusExtra,
): Promise<void> {
  await ctx.status.write((current) => {
    const previous = current as RotationStatus | undefined;
    const { failures, ...next } = rotationStatus({
      plan,
      previous,
      generation: object.metadata.generation,
      nowMs: ctx.now(),
      ...extra,
    });
    const keptFailures = holdFailures === true ? previous?.failures : failures;
    const keptRenewal = renewal ?? previous?.renewal;
    return {
      ...next,
      ...(keptFailures === undefined ? {} : { failures: keptFailures }),
      ...(keptRenewal === undefined ? {} : { renewal: keptRenewal }),
    };
  });
}

/** The plan with the enrollment step's own hazards (PolicyChangeRekeys) added once. */
function withEnrollmentHazards(plan: Plan): Plan {
  const extra = enrollmentHazards(plan).filter((h) => !plan.hazards.some((p) => p.reason === h.reason));
  return extra.length === 0 ? plan : { ...plan, hazards: [...plan.hazards, ...extra] };
}

/** Whether the change about to be sent installs (or re-installs) the KeyVault extension. */
function restartsExtension(plan: Plan): boolean {
  const step = plan.steps.find((s) => s.name === plan.currentStep);
  return step?.changes.some((c) => c.op === 'InstallKeyVaultExtension') ?? false;
}

interface Assessment {
  readonly bodies: ServiceFabricBodies;
  readonly observed: ServiceFabricObservation;
  readonly plan: Plan;
  readonly instancesRead: boolean;
}

/** Gather → observe → plan for one resource, with the given read options. */
function assessor(
  ctx: ReconcileContext,
  object: KubeObject,
  spec: ServiceFabricCertificateRotationSpec,
  clients: AzureClients,
  conflict: string | undefined,
  vault: VaultSource,
): (options: GatherOptions) => Promise<Assessment> {
  return async (options) => {
    const bodies = await gatherServiceFabric(clients, vault, spec, options);
    const observed = observeServiceFabric(bodies);
    const computed = planServiceFabric(spec, observed, new Date(ctx.now()), {
      resourceName: object.metadata.name,
      ...(object.metadata.annotations?.[Annotation.ApproveStep] === undefined
        ? {}
        : { approvedStep: object.metadata.annotations[Annotation.ApproveStep] }),
      ...(conflict === undefined ? {} : { conflictingRotation: conflict }),
    });
    return {
      bodies,
      observed,
      plan: withEnrollmentHazards(computed),
      instancesRead: options.instances ?? true,
    };
  };
}

export function serviceFabricReconciler(deps: ServiceFabricControllerDeps): Reconciler {
  const intervals = deps.requeue ?? DEFAULT_REQUEUE;
  return {
    async reconcile(key, ctx) {
      const admitted = await admitResource(ctx, validateServiceFabricRotation, 'CommonName', {
        unwatch: () => {
          deps.sync?.forget(key);
          deps.azure.unwatch(subscriberId(SERVICE_FABRIC_KIND.kind, key));
        },
        writeStatus: (o, plan) => writeStatus(ctx, o, plan, {}),
      });
      if (admitted === undefined) return;
      const { object } = admitted;
      const spec = admitted.value.spec;
      deps.azure.watch(subscriberId(SERVICE_FABRIC_KIND.kind, key), [
        {
          vault: spec.certificate.vault,
          certificate: spec.certificate.name,
          subscriptionId: spec.azure.subscriptionId,
        },
      ]);
      // Converged and nothing we can see changed since the last full read: no Azure read this time.
      const inputs = syncInputs(object, vaultStateOf(deps.azure.vaultState, spec.certificate));
      const skipped = deps.sync?.skip(key, object, inputs, ctx.now(), intervals.steadyMs);
      if (skipped !== undefined) return skipped;
      // A settled resource is the oldest claimant of its target (a younger one loses), and it acts only
      // after a full read: the claim is judged there, not on every resync (O(resources) each).
      const conflict = conflictingClaim(object, ctx.cache.list(SERVICE_FABRIC_KIND), (o) => {
        const s = (o.spec ?? {}) as Partial<ServiceFabricCertificateRotationSpec>;
        return [s.azure?.subscriptionId, s.azure?.resourceGroup, s.cluster?.name];
      });
      // A settled resource's periodic drift check reads the models only (no per-instance lists) and
      // reuses shared reads; anything but Steady from them is looked at again in full.
      const settled = isSettled(object);
      let clients: AzureClients;
      let assessed: Assessment;
      try {
        clients = await deps.azure.clientsFor(object.metadata.namespace ?? '', spec.azure);
        const assess = assessor(ctx, object, spec, clients, conflict, deps.azure.vaultSourceFor(clients));
        assessed = await assess(
          settled
            ? {
                instances: false,
                ...(deps.azure.sharedReads === undefined
                  ? {}
                  : { reuse: deps.azure.sharedReads.for(clients) }),
              }
            : {},
        );
        if (settled && assessed.plan.phase !== Phase.Steady) assessed = await assess({});
        // A change that (re)starts the KeyVault extension makes every node fetch the vault's newest
        // version at once: judge it against the vault as it is now, not as of the watcher's last poll, so
        // a renewal from an undeclared issuer made since then is quarantined first (reliability seed 152).
        if (restartsExtension(assessed.plan) && deps.azure.freshVaultSourceFor !== undefined) {
          const fresh = deps.azure.freshVaultSourceFor(clients);
          assessed = await assessor(ctx, object, spec, clients, conflict, fresh)({});
        }
      } catch (err: unknown) {
        if (!(err instanceof TerminalError)) throw err;
        deps.sync?.forget(key);
        const plan = invalidSpecPlan(spec.mode, [], { reason: err.reason, message: err.message });
        ctx.events.warning(err.reason, plan.currentStep, err.message);
        await writeStatus(ctx, object, plan, { failure: { reason: err.reason, message: err.message } });
        return { requeueAfterMs: intervals.steadyMs };
      }
      const { bodies, observed, plan, instancesRead } = assessed;
      const previous = object.status as RotationStatus | undefined;
      announceNewHazards(ctx.events, plan.currentStep, previous, plan.hazards);
      const pending = previous?.pendingOperation as PendingOperation | undefined;
      const renewToken = pendingRenewalToken(object);
      const backoff = retryBackoffRemaining(previous, plan, ctx.now(), intervals);
      let outcome: Outcome & { readonly renewal?: RenewalRecord };
      try {
        if (pending !== undefined) outcome = await followOperation(ctx, clients, spec, pending);
        else if (
          renewToken !== undefined &&
          ctx.isLeader() &&
          plan.phase !== Phase.Suspended &&
          !observed.vault.pendingOperation
        ) {
          outcome =
            observed.vault.versions.length === 0
              ? enrollmentAnswersRenewal(ctx, spec, renewToken)
              : await requestRenewal(ctx, clients, spec, renewToken);
        } else if (backoff !== undefined) {
          // A failed attempt is retried only after its backoff: report it meanwhile, count nothing.
          const message = previous?.failures?.lastError ?? 'the last attempt failed';
          await writeStatus(ctx, object, plan, {
            failure: { reason: backoff.reason, message },
            holdFailures: true,
          });
          return { requeueAfterMs: backoff.remainingMs };
        } else outcome = await executeCurrentStep(ctx, clients, spec, bodies.scaleSets, plan);
      } catch (err: unknown) {
        // Record what failed, then let the runtime back off (a TransientError keeps its Retry-After).
        const reason = err instanceof TransientError ? err.reason : Reason.AzureError;
        await writeStatus(ctx, object, plan, {
          ...(pending === undefined ? {} : { pendingOperation: pending }),
          failure: { reason, message: errorMessage(err) },
          ...(nodesOf(observed) === undefined ? {} : { nodes: nodesOf(observed) }),
        });
        throw err;
      }
      // Without instance data the last count stands (a settled resource's drift check skips the lists).
      const nodes = nodesOf(observed) ?? (instancesRead ? undefined : previous?.nodes);
      // Enrollment failures are counted until the certificate exists; each retry keeps the count.
      // So are failed scale-set updates while they are retried.
      const holdFailures =
        outcome.failure === undefined &&
        previous?.failures !== undefined &&
        (plan.currentStep === Step.EnsureVaultCertificate || retriesAFailure(previous, plan));
      await writeStatus(ctx, object, plan, {
        ...(outcome.pending === undefined ? {} : { pendingOperation: outcome.pending }),
        ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
        ...(nodes === undefined ? {} : { nodes }),
        ...(plan.phase === Phase.AwaitingApproval ? { awaitingApprovalStep: plan.currentStep } : {}),
        ...(outcome.renewal === undefined ? {} : { renewal: outcome.renewal }),
        holdFailures,
      });
      deps.sync?.recordFullRead(key, inputs, endedConverged(plan.phase, outcome), ctx.now());
      if (outcome.failure?.reason === Hazard.VaultIssuanceFailed) {
        return { requeueAfterMs: issuanceBackoffMs((previous?.failures?.count ?? 0) + 1, intervals) };
      }
      const watching = deps.azure.vaultState !== undefined;
      return untilVaultKnown(requeueFor(plan, outcome, intervals), inputs, intervals.operationMs, watching);
    },
  };
}
