// Steps that act on every node type's scale set: each scale set either already holds what the step needs
// (and has applied it), is still applying it, or needs a change. A scale set busy with another operation
// is waited for, never written to concurrently.
import { Reason } from '../names.js';
import type { ScaleSetObservation, VaultVersionObservation } from '../observed/types.js';
import type { Change } from './changes.js';
import { actionable, satisfied, stuck, waiting, type Evaluation } from './evaluation.js';
import { eqi, type NodeTypeScaleSet, type World } from './world.js';

export type ScaleSetVerdict =
  | { readonly kind: 'done' }
  | { readonly kind: 'settling'; readonly why: string }
  | { readonly kind: 'change'; readonly change: Change };

export function scaleSetTarget(world: World): string {
  return world.nodeTypes.map((n) => `vmss/${n.vmssName}`).join(',');
}

/** Combines per-scale-set verdicts into the step's evaluation. */
export function evaluateScaleSets(
  world: World,
  verdict: (nt: NodeTypeScaleSet, ss: ScaleSetObservation) => ScaleSetVerdict,
  describe: {
    change: string;
    settling: typeof Reason.WaitingForScaleSetUpgrade | typeof Reason.WaitingForNodes;
  },
): Evaluation {
  const changes: Change[] = [];
  const settling: string[] = [];
  for (const nt of world.nodeTypes) {
    const ss = nt.scaleSet;
    if (ss === undefined) {
      return stuck(
        Reason.ResourceNotFound,
        `scale set ${nt.vmssName} of node type ${nt.nodeType} was not found`,
      );
    }
    const v = verdict(nt, ss);
    // A failed model update never settles by itself: retry it (spaced by the runtime's backoff).
    if (v.kind === 'settling' && eqi(ss.provisioningState, 'Failed'))
      changes.push({ op: 'RetryScaleSetUpdate', vmss: nt.vmssName });
    else if (v.kind === 'settling') settling.push(`${nt.vmssName}: ${v.why}`);
    else if (v.kind === 'change') {
      if (world.scaleSetIdle(ss)) changes.push(v.change);
      else
        settling.push(
          `${nt.vmssName}: an operation is running (provisioningState ${ss.provisioningState ?? '?'})`,
        );
    }
  }
  if (changes.length > 0) {
    return actionable(
      changes,
      `${describe.change} on ${changes.map((c) => ('vmss' in c ? c.vmss : '')).join(', ')}`,
    );
  }
  if (settling.length > 0) return waiting(describe.settling, settling.join('; '));
  return satisfied();
}

/** Why a scale set that has the model change has not finished applying it, or undefined when it has. */
export function notSettledWhy(world: World, ss: ScaleSetObservation): string | undefined {
  if (world.scaleSetSettled(ss)) return undefined;
  if (!world.scaleSetIdle(ss) || ss.provisioningState === undefined) {
    return `provisioningState ${ss.provisioningState ?? 'unknown'}`;
  }
  const lagging = (ss.instances ?? []).filter((i) => !i.latestModelApplied).map((i) => i.instanceId);
  if (lagging.length > 0) return `instances not on the latest model: ${lagging.join(', ')}`;
  return `provisioningState ${ss.provisioningState}`;
}

/** Verdict for "this versioned secret is in the model and applied to every instance". */
export function versionInstalledVerdict(
  world: World,
  nt: NodeTypeScaleSet,
  ss: ScaleSetObservation,
  version: VaultVersionObservation,
  alsoDone: boolean,
): ScaleSetVerdict {
  if (alsoDone) return { kind: 'done' };
  if (world.hasVersionSecret(ss, version)) {
    const why = notSettledWhy(world, ss);
    return why === undefined ? { kind: 'done' } : { kind: 'settling', why };
  }
  return {
    kind: 'change',
    change: {
      op: 'AddScaleSetSecret',
      vmss: nt.vmssName,
      sourceVaultId: world.sourceVaultId(ss),
      certificateUrl: version.secretId,
      certificateStore: world.spec.certificate.x509StoreName,
    },
  };
}
