// How the Service Fabric resource provider splits a cluster certificate change into cluster-config
// upgrades, each walked upgrade domain by upgrade domain. Modelled on
// CertificateClusterUpgradeFlow.GetUpgradeFlow [SF-SRC] (azure.md §1.4):
// - step 1, only when thumbprints or common names/issuers are ADDED: validation ("white list") =
//   current ∪ added, presentation ("load list") unchanged;
// - step 2: validation inherited, presentation = target; a single addition stops here (2 steps);
// - step 3: validation = target only (old declarations dropped).
// Resulting counts: add 2, remove 2, replace 3, swap 2, TP↔CN 3 (asserted by SF-SRC's tests).
// A change to pinned issuers alone is not classified as a certificate upgrade [SF-SRC
// ClusterUpgradeStateFactory.cs]: it is one plain configuration upgrade.
import type { CertificateDeclaration, CommonNameRule, NodeSecurityConfig } from './sf-runtime.js';

export type UpgradeKind = 'none' | 'certificate' | 'configuration';

export interface UpgradeFlow {
  readonly kind: UpgradeKind;
  /** Each entry is the node configuration that one upgrade step rolls out, UD by UD. */
  readonly steps: readonly NodeSecurityConfig[];
}

const upper = (tp: string): string => tp.toUpperCase();

function union(a: readonly string[], b: readonly string[]): string[] {
  const out = a.map(upper);
  for (const tp of b.map(upper)) if (!out.includes(tp)) out.push(tp);
  return out;
}

function mergeCommonNames(a: readonly CommonNameRule[], b: readonly CommonNameRule[]): CommonNameRule[] {
  const out = a.map((rule) => ({
    commonName: rule.commonName,
    issuerThumbprints: rule.issuerThumbprints.map(upper),
  }));
  for (const rule of b) {
    const existing = out.find((r) => r.commonName.toLowerCase() === rule.commonName.toLowerCase());
    if (existing === undefined)
      out.push({ commonName: rule.commonName, issuerThumbprints: rule.issuerThumbprints.map(upper) });
    else existing.issuerThumbprints = union(existing.issuerThumbprints, rule.issuerThumbprints);
  }
  return out;
}

export function mergeDeclarations(
  a: CertificateDeclaration,
  b: CertificateDeclaration,
): CertificateDeclaration {
  return {
    thumbprints: union(a.thumbprints, b.thumbprints),
    commonNames: mergeCommonNames(a.commonNames, b.commonNames),
  };
}

interface Changes {
  readonly added: number;
  readonly removed: number;
  readonly issuersChanged: boolean;
  readonly namesOrThumbprintsChanged: boolean;
}

function diff(current: CertificateDeclaration, target: CertificateDeclaration): Changes {
  const curTp = new Set(current.thumbprints.map(upper));
  const tgtTp = new Set(target.thumbprints.map(upper));
  const curCn = new Map(current.commonNames.map((r) => [r.commonName.toLowerCase(), r]));
  const tgtCn = new Map(target.commonNames.map((r) => [r.commonName.toLowerCase(), r]));
  let added =
    [...tgtTp].filter((tp) => !curTp.has(tp)).length +
    [...tgtCn.keys()].filter((cn) => !curCn.has(cn)).length;
  const removed =
    [...curTp].filter((tp) => !tgtTp.has(tp)).length +
    [...curCn.keys()].filter((cn) => !tgtCn.has(cn)).length;
  const namesOrThumbprintsChanged =
    added + removed > 0 ||
    current.thumbprints.map(upper).join(',') !== target.thumbprints.map(upper).join(',');
  let issuersChanged = false;
  for (const [cn, rule] of tgtCn) {
    const before = curCn.get(cn);
    if (before === undefined) continue;
    const was = new Set(before.issuerThumbprints.map(upper));
    const now = new Set(rule.issuerThumbprints.map(upper));
    if (was.size !== now.size || [...now].some((tp) => !was.has(tp))) issuersChanged = true;
    // Issuers newly pinned on a CN that stays count as an addition to the white list (step 1).
    if ([...now].some((tp) => !was.has(tp)) && namesOrThumbprintsChanged) added += 1;
  }
  return { added, removed, issuersChanged, namesOrThumbprintsChanged };
}

/** The upgrade steps SFRP runs to move a cluster from `current` to `target`. */
export function certificateUpgradeFlow(
  current: CertificateDeclaration,
  target: CertificateDeclaration,
): UpgradeFlow {
  const changes = diff(current, target);
  if (!changes.namesOrThumbprintsChanged) {
    if (!changes.issuersChanged) return { kind: 'none', steps: [] };
    return { kind: 'configuration', steps: [{ validation: target, presentation: target }] };
  }
  const steps: NodeSecurityConfig[] = [];
  let whiteList: CertificateDeclaration = current;
  if (changes.added > 0) {
    whiteList = mergeDeclarations(current, target);
    steps.push({ validation: whiteList, presentation: current });
  }
  steps.push({ validation: whiteList, presentation: target });
  const singleAddition = changes.added === 1 && changes.removed === 0;
  if (!singleAddition) steps.push({ validation: target, presentation: target });
  return { kind: 'certificate', steps };
}
