// The availability oracle: at a given moment, can every node of a cluster authenticate every other node?
// Each node presents the certificate its load list selects from its own store (sf-runtime.ts); every
// other node must accept it under its own white list. Any failure means the cluster is (at least
// partly) unavailable: nodes that cannot mutually authenticate cannot form or keep the federation.
import type { SimNode } from './node.js';
import type { PresentationOrdering } from './sf-runtime.js';
import { selectPresentedCertificate, validatePeerCertificate } from './sf-runtime.js';

export interface OracleFailure {
  readonly presenter: string;
  /** Undefined when the presenter had nothing acceptable to present. */
  readonly validator: string | undefined;
  readonly reason: string;
}

export interface OracleAnswer {
  readonly cluster: string;
  readonly at: Date;
  readonly available: boolean;
  readonly cause: string;
  /** At most a few failures, for diagnosis. */
  readonly failures: readonly OracleFailure[];
  /** Thumbprint each node presents (undefined when none). */
  readonly presented: Readonly<Record<string, string | undefined>>;
}

const MAX_FAILURES_KEPT = 8;
const MAX_HISTORY = 20_000;

/** One evaluation over the nodes of one cluster. */
export function evaluateAvailability(
  cluster: string,
  nodes: readonly SimNode[],
  now: Date,
  ordering: PresentationOrdering,
  cause: string,
): OracleAnswer {
  const members = nodes.filter((node) => node.sfConfig !== undefined);
  const failures: OracleFailure[] = [];
  let failureCount = 0;
  const presented: Record<string, string | undefined> = {};
  for (const presenter of members) {
    const config = presenter.sfConfig;
    if (config === undefined) continue;
    const choice = selectPresentedCertificate(presenter.store.list(), config.presentation, now, ordering);
    if (!choice.ok) {
      presented[presenter.name] = undefined;
      failureCount += 1;
      if (failures.length < MAX_FAILURES_KEPT)
        failures.push({ presenter: presenter.name, validator: undefined, reason: choice.reason });
      continue;
    }
    presented[presenter.name] = choice.certificate.thumbprint;
    for (const validator of members) {
      if (validator === presenter || validator.sfConfig === undefined) continue;
      const verdict = validatePeerCertificate(choice.certificate, validator.sfConfig.validation, now);
      if (!verdict.ok) {
        failureCount += 1;
        if (failures.length < MAX_FAILURES_KEPT) {
          failures.push({ presenter: presenter.name, validator: validator.name, reason: verdict.reason });
        }
      }
    }
  }
  return { cluster, at: now, available: failureCount === 0, cause, failures, presented };
}

/** Keeps every answer (bounded) and remembers the first "unavailable" for good. */
export class AvailabilityHistory {
  private readonly entries: OracleAnswer[] = [];
  private firstOutage: OracleAnswer | undefined;
  private evaluations = 0;

  record(answer: OracleAnswer): void {
    this.evaluations += 1;
    if (!answer.available && this.firstOutage === undefined) this.firstOutage = answer;
    this.entries.push(answer);
    if (this.entries.length > MAX_HISTORY) this.entries.splice(0, this.entries.length - MAX_HISTORY);
  }

  /** All kept answers, oldest first, optionally for one cluster. */
  answers(cluster?: string): OracleAnswer[] {
    return cluster === undefined
      ? [...this.entries]
      : this.entries.filter((entry) => entry.cluster === cluster);
  }

  /** The answers where a cluster's availability changed (and the first answer for each cluster). */
  transitions(cluster?: string): OracleAnswer[] {
    const last = new Map<string, boolean>();
    const out: OracleAnswer[] = [];
    for (const entry of this.answers(cluster)) {
      if (last.get(entry.cluster) !== entry.available) out.push(entry);
      last.set(entry.cluster, entry.available);
    }
    return out;
  }

  everUnavailable(cluster?: string): boolean {
    if (cluster === undefined) return this.firstOutage !== undefined;
    return this.entries.some((entry) => entry.cluster === cluster && !entry.available);
  }

  firstUnavailable(cluster?: string): OracleAnswer | undefined {
    if (cluster === undefined) return this.firstOutage;
    return this.entries.find((entry) => entry.cluster === cluster && !entry.available);
  }

  evaluationCount(): number {
    return this.evaluations;
  }

  /** Forgets history (a scenario's setup phase is not part of what a test asserts). */
  reset(): void {
    this.entries.length = 0;
    this.firstOutage = undefined;
  }
}
