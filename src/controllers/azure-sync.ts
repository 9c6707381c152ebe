// Drift detection at scale (design §9: steady-state ARM reads ≤ 10 % of the subscription's read budget
// at 1,000 clusters). A converged resource is re-read from ARM at most once per Azure sync period
// (`--azure-sync-period`, default 1 h — Azure Service Operator's AZURE_SYNC_PERIOD, whose docs warn
// against setting it low [ASO-D]). Resync reconciles in between read nothing from Azure: they only
// check that nothing the operator can see changed since the last full read — the resource's
// generation and annotations, and the vault watcher's summary of the certificate's versions (which
// also wakes the resource as soon as it changes). Anything else — a pending operation, a failure, a
// phase other than Steady — always reads Azure.
import type { RotationStatus } from '../api/index.js';
import { ConditionType, Phase } from '../domain/names.js';
import type { KubeObject } from '../kube/types.js';
import { pendingRenewalToken } from './renew.js';

interface Synced {
  readonly inputs: string;
  readonly atMs: number;
}

/** What a full read depends on besides Azure itself; equal strings mean "nothing we can see changed". */
export function syncInputs(object: KubeObject, vaultState: string | undefined): string | undefined {
  // Before the watcher's first poll the vault's state is unknown: never skip on it.
  if (vaultState === undefined) return undefined;
  return JSON.stringify([object.metadata.generation, object.metadata.annotations ?? {}, vaultState]);
}

/**
 * The vault state a resource depends on, for `syncInputs`: the watcher's summary of its certificate, ''
 * when it watches none (it then depends on its spec and Azure alone), undefined without a watcher.
 */
export function vaultStateOf(
  vaultState: ((vault: string, certificate: string) => string | undefined) | undefined,
  certificate: { readonly vault: string; readonly name: string } | undefined,
): string | undefined {
  if (vaultState === undefined) return undefined;
  return certificate === undefined ? '' : vaultState(certificate.vault, certificate.name);
}

/**
 * A reconcile made before the vault watcher's first poll of its certificate cannot be compared with the
 * next one, and that first poll notifies nobody (it is the baseline): look again within `soonMs` rather
 * than at the steady requeue, or a version created meanwhile waits for the resync. Without a watcher
 * (`watching` false) there is nothing to wait for.
 */
export function untilVaultKnown(
  result: { readonly requeueAfterMs?: number },
  inputs: string | undefined,
  soonMs: number,
  watching: boolean,
): { readonly requeueAfterMs?: number } {
  if (!watching || inputs !== undefined) return result;
  return { requeueAfterMs: Math.min(result.requeueAfterMs ?? soonMs, soonMs) };
}

/** The previous status says converged, at this generation, with nothing running, failing or requested. */
export function isSettled(object: KubeObject): boolean {
  const status = object.status as RotationStatus | undefined;
  if (status?.phase !== Phase.Steady) return false;
  if (status.observedGeneration !== object.metadata.generation) return false;
  if (status.pendingOperation !== undefined || status.failures !== undefined) return false;
  if (pendingRenewalToken(object) !== undefined) return false;
  const ready = (status.conditions ?? []).find((c) => c.type === ConditionType.Ready);
  return ready?.status === 'True';
}

/** A reconcile ended converged with nothing done: Steady, no change sent, nothing running or failed. */
export function endedConverged(
  phase: string,
  outcome: { readonly acted: boolean; readonly pending?: unknown; readonly failure?: unknown },
): boolean {
  return (
    phase === Phase.Steady && !outcome.acted && outcome.pending === undefined && outcome.failure === undefined
  );
}

/** Per controller: when each settled resource was last read in full, and with which inputs. */
export class AzureSyncMemo {
  private readonly synced = new Map<string, Synced>();

  /** `periodMs` 0 disables the memo: every reconcile reads Azure. */
  constructor(private readonly periodMs: number) {}

  /** True when a reconcile of `key` may skip Azure: settled, same inputs, read less than a period ago. */
  canSkip(key: string, object: KubeObject, inputs: string | undefined, nowMs: number): boolean {
    if (this.periodMs <= 0 || inputs === undefined || !isSettled(object)) return false;
    const last = this.synced.get(key);
    return last !== undefined && last.inputs === inputs && nowMs - last.atMs < this.periodMs;
  }

  /**
   * When a reconcile of `key` may skip Azure, its requeue: when the next full read is due (a second
   * late, so it is due then), at most `steadyMs`. Undefined when it must read Azure.
   */
  skip(
    key: string,
    object: KubeObject,
    inputs: string | undefined,
    nowMs: number,
    steadyMs: number,
  ): { readonly requeueAfterMs: number } | undefined {
    if (!this.canSkip(key, object, inputs, nowMs)) return undefined;
    return { requeueAfterMs: Math.min(steadyMs, this.dueInMs(key, nowMs) + 1000) };
  }

  /** After a full read: remember it when it ended converged with nothing done, else forget the key. */
  recordFullRead(key: string, inputs: string | undefined, converged: boolean, nowMs: number): void {
    if (this.periodMs > 0 && converged && inputs !== undefined) this.synced.set(key, { inputs, atMs: nowMs });
    else this.synced.delete(key);
  }

  forget(key: string): void {
    this.synced.delete(key);
  }

  /** Milliseconds until `key`'s next full read is due (the period when it has none recorded). */
  dueInMs(key: string, nowMs: number): number {
    const last = this.synced.get(key);
    return last === undefined ? this.periodMs : Math.max(0, last.atMs + this.periodMs - nowMs);
  }
}
