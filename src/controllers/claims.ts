// Rules both controllers share about the resource itself, before any Azure work: one rotation per Azure
// target (two resources driving one cluster or pool would fight), and the plan reported for a spec that
// does not validate or a target that cannot be read.
import type { FieldError } from '../api/index.js';
import { formatFieldErrors } from '../api/index.js';
import {
  Hazard,
  Phase,
  Reason,
  SERVICE_FABRIC_COMMON_NAME_STEPS,
  SERVICE_FABRIC_THUMBPRINT_STEPS,
  Severity,
  StepState,
  type StepName,
} from '../domain/names.js';
import { createHash } from 'node:crypto';
import { boundedMemo } from '../domain/memo.js';
import type { KubeObject } from '../kube/types.js';
import type { PlanSummary } from './rotation-status.js';

function claimKey(parts: readonly (string | undefined)[]): string | undefined {
  return parts.every((p) => p !== undefined && p !== '')
    ? parts.map((p) => p!.toLowerCase()).join('/')
    : undefined;
}

function ageOrder(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp as string | undefined;
  const tb = b.metadata.creationTimestamp as string | undefined;
  if (ta !== tb) return (ta ?? '') < (tb ?? '') ? -1 : 1;
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The `namespace/name` of an older resource claiming the same Azure target as `object`, if any: the
 * oldest claim wins (then the lexically first), so exactly one resource acts on each target.
 */
export function conflictingClaim(
  object: KubeObject,
  others: readonly KubeObject[],
  target: (o: KubeObject) => readonly (string | undefined)[],
): string | undefined {
  const mine = claimKey(target(object));
  if (mine === undefined) return undefined;
  const claimants = others
    .filter((o) => o.metadata.deletionTimestamp === undefined && claimKey(target(o)) === mine)
    .sort(ageOrder);
  const winner = claimants[0];
  if (winner === undefined) return undefined;
  const same = winner.metadata.uid === object.metadata.uid && winner.metadata.name === object.metadata.name;
  return same ? undefined : `${winner.metadata.namespace ?? ''}/${winner.metadata.name}`;
}

function stepsOf(mode: 'CommonName' | 'Thumbprint' | 'Batch'): readonly StepName[] {
  if (mode === 'Thumbprint')
    return SERVICE_FABRIC_THUMBPRINT_STEPS.filter((s) => s !== 'EnsureVaultCertificate');
  if (mode === 'CommonName')
    return SERVICE_FABRIC_COMMON_NAME_STEPS.filter((s) => s !== 'EnsureVaultCertificate');
  return ['GrantVaultAccess', 'EnsurePool', 'VerifyNodes', 'Steady'];
}

/**
 * The plan reported when nothing can be planned: an invalid spec (`errors`) or an Azure target that
 * cannot be read (`failure`). The first step is blocked; nothing is proposed.
 */
export function invalidSpecPlan(
  mode: 'CommonName' | 'Thumbprint' | 'Batch',
  errors: readonly FieldError[],
  failure?: { readonly reason: string; readonly message: string },
): PlanSummary {
  const names = stepsOf(mode);
  const first = names[0] ?? 'Steady';
  const message =
    failure?.message ?? `The spec is invalid, nothing was done in Azure: ${formatFieldErrors(errors)}`;
  return {
    phase: Phase.Stalled,
    ...(mode === 'Batch' ? {} : { mode }),
    currentStep: first,
    steps: names.map((name, i) => ({
      name,
      state: i === 0 ? StepState.Blocked : StepState.Pending,
      reason: i === 0 ? (failure?.reason ?? Hazard.InvalidSpec) : Reason.Blocked,
      ...(i === 0 ? { message } : {}),
    })),
    hazards:
      failure === undefined ? [{ reason: Hazard.InvalidSpec, severity: Severity.Blocking, message }] : [],
  };
}

type Validator<T> = (
  object: KubeObject,
) =>
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

function withoutStatus(object: KubeObject): KubeObject {
  const copy = { ...object };
  delete copy.status;
  return copy;
}

/** Validations per validator, by object and spec. */
const validations = new WeakMap<object, (object: KubeObject) => ReturnType<Validator<unknown>>>();

/**
 * The spec's validation (status left out: the API server validates status writes), computed once per
 * spec: every resync reconcile would otherwise re-run the structural schema and its CEL rules,
 * the largest CPU cost of a converged resource's reconcile (bench profile, issue 8).
 */
function validatedSpec<T>(object: KubeObject, validate: Validator<T>): ReturnType<Validator<T>> {
  const { uid, generation } = object.metadata;
  if (uid === undefined || generation === undefined) return validate(withoutStatus(object));
  let memo = validations.get(validate);
  if (memo === undefined) {
    memo = boundedMemo(
      4096,
      // The spec itself is in the key (hashed: keys stay small): correctness never rests on the
      // generation having been bumped, only the cost does.
      (o: KubeObject) =>
        createHash('sha256')
          .update(JSON.stringify([o.metadata.uid, o.metadata.generation, o.metadata.name, o.spec]))
          .digest('base64'),
      (o: KubeObject) => validate(withoutStatus(o)),
    );
    validations.set(validate, memo);
  }
  return memo(object) as ReturnType<Validator<T>>;
}

/**
 * The guards both controllers run before any Azure work. A deleted resource stops being watched; a spec
 * that does not validate is reported Stalled with a Warning Event, and nothing in Azure is read or
 * written. Returns the validated resource, or undefined when the reconcile is over.
 */
export async function admitResource<T>(
  ctx: {
    readonly object: KubeObject | undefined;
    readonly events: { warning(reason: string, action: string, note: string): void };
  },
  validate: Validator<T>,
  mode: 'CommonName' | 'Batch',
  hooks: {
    readonly unwatch: () => void;
    readonly writeStatus: (object: KubeObject, plan: PlanSummary) => Promise<void>;
  },
): Promise<{ readonly object: KubeObject; readonly value: T } | undefined> {
  const object = ctx.object;
  if (object === undefined || object.metadata.deletionTimestamp !== undefined) {
    hooks.unwatch();
    return undefined;
  }
  const validation = validatedSpec(object, validate);
  if (validation.ok) return { object, value: validation.value };
  const plan = invalidSpecPlan(mode, validation.errors);
  ctx.events.warning(
    plan.hazards[0]?.reason ?? Reason.Blocked,
    plan.currentStep,
    plan.hazards[0]?.message ?? '',
  );
  await hooks.writeStatus(object, plan);
  return undefined;
}
