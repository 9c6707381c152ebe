// Service Fabric `mode: Thumbprint` (design §4): per new vault version, install the versioned secret on
// every node type → add it as secondary → swap → remove the old thumbprint → remove the old secret, each
// cluster change gated on `clusterState: Ready` [SF-UPD][SF-CERTS] (azure.md §1.3).
import { Reason, Step } from '../names.js';
import { sameThumbprint } from '../x509.js';
import type { Change, ThumbprintDeclaration } from './changes.js';
import {
  actionable,
  satisfied,
  stuck,
  waitForCluster,
  type Evaluation,
  type StepDefinition,
} from './evaluation.js';
import {
  evaluateScaleSets,
  notSettledWhy,
  scaleSetTarget,
  versionInstalledVerdict,
} from './scale-set-steps.js';
import { ensureVaultCertificateStep } from './vault-steps.js';
import type { World } from './world.js';

const NO_GOAL = 'the vault certificate has no enabled version to roll to';

function clusterTarget(world: World): string {
  return `cluster/${world.spec.cluster.name}`;
}

interface Declared {
  readonly p: string;
  readonly s: string | undefined;
  readonly n: string;
  readonly store: string;
}

/** The cluster's declaration against the new version N, or the evaluation that explains why there is none. */
function declared(world: World): Declared | Evaluation {
  const n = world.goal?.thumbprint;
  if (n === undefined) return stuck(Reason.ResourceNotFound, NO_GOAL);
  const cert = world.observed.cluster.certificate;
  if (cert === undefined) {
    return stuck(
      Reason.Blocked,
      'the cluster is not declared by thumbprint; mode Thumbprint cannot roll it over',
    );
  }
  return {
    p: cert.thumbprint,
    s: cert.thumbprintSecondary,
    n,
    store: cert.x509StoreName ?? world.spec.certificate.x509StoreName,
  };
}

function isEvaluation(d: Declared | Evaluation): d is Evaluation {
  return 'status' in d;
}

function patch(certificate: ThumbprintDeclaration, message: string): Evaluation {
  const change: Change = { op: 'PatchCluster', certificate };
  return actionable([change], message);
}

function waitCluster(world: World): Evaluation {
  return waitForCluster(world.observed.cluster.clusterState);
}

/** A cluster step: satisfied when `done` (once the cluster settled), else the change when the cluster is Ready. */
function clusterStep(world: World, done: boolean, superseded: boolean, change: () => Evaluation): Evaluation {
  if (superseded) return satisfied();
  if (done) return world.clusterSettled ? satisfied() : waitCluster(world);
  return world.clusterSettled ? change() : waitCluster(world);
}

function installNewVersion(world: World): StepDefinition {
  return {
    name: Step.InstallNewVersion,
    target: scaleSetTarget(world),
    evaluate: (): Evaluation => {
      const goal = world.goal;
      if (goal === undefined) return stuck(Reason.ResourceNotFound, NO_GOAL);
      // Nothing to roll over unless the cluster is declared by thumbprint: stop before touching anything.
      const d = declared(world);
      if (isEvaluation(d)) return d;
      return evaluateScaleSets(world, (nt, ss) => versionInstalledVerdict(world, nt, ss, goal, false), {
        change: `add version ${goal.version} of ${world.spec.certificate.name}`,
        settling: Reason.WaitingForScaleSetUpgrade,
      });
    },
  };
}

function addSecondary(world: World): StepDefinition {
  return {
    name: Step.AddSecondaryThumbprint,
    target: clusterTarget(world),
    evaluate: (): Evaluation => {
      const d = declared(world);
      if (isEvaluation(d)) return d;
      const pIsN = sameThumbprint(d.p, d.n);
      const sIsN = sameThumbprint(d.s, d.n);
      return clusterStep(world, sIsN, pIsN, () => {
        if (d.s !== undefined) {
          // Two old thumbprints: first remove one, keeping the one the nodes present now (never both
          // replaced at once, never an in-place replacement).
          const keep = world.presentedBefore(world.datesOf(d.s), world.datesOf(d.p)) === true ? d.s : d.p;
          return patch({ thumbprint: keep, x509StoreName: d.store }, 'two old thumbprints: remove one first');
        }
        return patch(
          { thumbprint: d.p, thumbprintSecondary: d.n, x509StoreName: d.store },
          `declare ${d.n} as the secondary thumbprint`,
        );
      });
    },
  };
}

function swap(world: World): StepDefinition {
  return {
    name: Step.SwapThumbprints,
    target: clusterTarget(world),
    evaluate: (): Evaluation => {
      const d = declared(world);
      if (isEvaluation(d)) return d;
      const pIsN = sameThumbprint(d.p, d.n);
      return clusterStep(world, pIsN, pIsN && d.s === undefined, () => {
        if (!sameThumbprint(d.s, d.n))
          return stuck(Reason.Blocked, `${d.n} is not declared as the secondary`);
        return patch(
          { thumbprint: d.n, thumbprintSecondary: d.p, x509StoreName: d.store },
          `swap: ${d.n} primary, ${d.p} secondary`,
        );
      });
    },
  };
}

function removeOld(world: World): StepDefinition {
  return {
    name: Step.RemoveOldThumbprint,
    target: clusterTarget(world),
    evaluate: (): Evaluation => {
      const d = declared(world);
      if (isEvaluation(d)) return d;
      const pIsN = sameThumbprint(d.p, d.n);
      return clusterStep(world, pIsN && d.s === undefined, false, () =>
        patch({ thumbprint: d.n, x509StoreName: d.store }, `remove the old thumbprint ${d.s ?? ''}`.trim()),
      );
    },
  };
}

function removeOldSecret(world: World): StepDefinition {
  return {
    name: Step.RemoveOldSecret,
    target: scaleSetTarget(world),
    evaluate: (): Evaluation => {
      const goal = world.goal;
      if (goal === undefined) return stuck(Reason.ResourceNotFound, NO_GOAL);
      const cert = world.observed.cluster.certificate;
      const declaredTps = [cert?.thumbprint, cert?.thumbprintSecondary];
      return evaluateScaleSets(
        world,
        (nt, ss) => {
          // Never remove a secret the cluster still declares: its certificate must stay on every node.
          const old = world.certificateSecrets(ss).filter((s) => {
            if (s.version?.toLowerCase() === goal.version.toLowerCase()) return false;
            const v = world.observed.vault.versions.find(
              (x) => x.version.toLowerCase() === s.version?.toLowerCase(),
            );
            return !declaredTps.some((tp) => v !== undefined && sameThumbprint(tp, v.thumbprint));
          });
          if (old.length > 0) {
            return {
              kind: 'change',
              change: {
                op: 'RemoveScaleSetSecret',
                vmss: nt.vmssName,
                certificateUrls: old.map((s) => s.certificateUrl),
              },
            };
          }
          const why = notSettledWhy(world, ss);
          return why === undefined ? { kind: 'done' } : { kind: 'settling', why };
        },
        { change: 'remove old versioned secrets', settling: Reason.WaitingForScaleSetUpgrade },
      );
    },
  };
}

function steady(world: World): StepDefinition {
  return {
    name: Step.Steady,
    target: clusterTarget(world),
    evaluate: () => satisfied('the cluster uses the latest vault version'),
  };
}

export function thumbprintSteps(world: World): StepDefinition[] {
  return [
    ...(world.spec.certificate.policy === undefined ? [] : [ensureVaultCertificateStep(world)]),
    installNewVersion(world),
    addSecondary(world),
    swap(world),
    removeOld(world),
    removeOldSecret(world),
    steady(world),
  ];
}
