import { selectPresentedCertificate, validatePeerCertificate } from './sf-runtime.js';
const MAX_FAILURES_KEPT = 8;
const MAX_HISTORY = 20_000;
/** One evaluation over the nodes of one cluster. */
export function evaluateAvailability(cluster, nodes, now, ordering, cause) {
    const members = nodes.filter((node) => node.sfConfig !== undefined);
    const failures = [];
    let failureCount = 0;
    const presented = {};
    for (const presenter of members) {
        const config = presenter.sfConfig;
        if (config === undefined)
            continue;
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
            if (validator === presenter || validator.sfConfig === undefined)
                continue;
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
    entries = [];
    firstOutage;
    evaluations = 0;
    record(answer) {
        this.evaluations += 1;
        if (!answer.available && this.firstOutage === undefined)
            this.firstOutage = answer;
        this.entries.push(answer);
        if (this.entries.length > MAX_HISTORY)
            this.entries.splice(0, this.entries.length - MAX_HISTORY);
    }
    /** All kept answers, oldest first, optionally for one cluster. */
    answers(cluster) {
        return cluster === undefined
            ? [...this.entries]
            : this.entries.filter((entry) => entry.cluster === cluster);
    }
    /** The answers where a cluster's availability changed (and the first answer for each cluster). */
    transitions(cluster) {
        const last = new Map();
        const out = [];
        for (const entry of this.answers(cluster)) {
            if (last.get(entry.cluster) !== entry.available)
                out.push(entry);
            last.set(entry.cluster, entry.available);
        }
        return out;
    }
    everUnavailable(cluster) {
        if (cluster === undefined)
            return this.firstOutage !== undefined;
        return this.entries.some((entry) => entry.cluster === cluster && !entry.available);
    }
    firstUnavailable(cluster) {
        if (cluster === undefined)
            return this.firstOutage;
        return this.entries.find((entry) => entry.cluster === cluster && !entry.available);
    }
    evaluationCount() {
        return this.evaluations;
    }
    /** Forgets history (a scenario's setup phase is not part of what a test asserts). */
    reset() {
        this.entries.length = 0;
        this.firstOutage = undefined;
    }
}
//# sourceMappingURL=oracle.js.map