// Reaching a valid starting state for the thumbprint → common-name conversion [SF-TP2CN] (azure.md §1.5).
// The invariant: the cluster already uses the goal certificate by thumbprint, as primary alone, or with an
// older certificate next to it. Each upgrade is a documented add, swap or removal — never an in-place
// replacement, never the same thumbprint twice, never a target without a currently declared thumbprint.
import { sameThumbprint } from '../x509.js';
/**
 * `presentedBefore(a, b)` says whether the runtime presents `a` before `b` (newer NotBefore, or NotAfter
 * before 7.2.445); undefined when unknown. Unknown is treated as "the goal is not newer", which takes the
 * path that is valid whatever the dates (goal as primary, then the old one removed).
 */
export function nextStartingStateUpgrade(current, goal, presentedBefore) {
    const p = current.thumbprint;
    const s = current.thumbprintSecondary;
    const goalNewerThan = (old) => presentedBefore(goal, old) === true;
    if (s !== undefined && sameThumbprint(p, s)) {
        return {
            kind: 'upgrade',
            target: { thumbprint: p },
            rule: 'the same thumbprint is declared twice: remove the secondary',
        };
    }
    if (sameThumbprint(p, goal)) {
        if (s === undefined)
            return { kind: 'valid', rule: 'TP: Goal, Sec: None' };
        if (goalNewerThan(s))
            return { kind: 'valid', rule: 'TP: Goal, Sec: Old, Goal newer' };
        return {
            kind: 'upgrade',
            target: { thumbprint: goal },
            rule: 'TP: Goal, Sec: Old, Old newer → TP: Goal, Sec: None',
        };
    }
    if (s !== undefined && sameThumbprint(s, goal)) {
        if (goalNewerThan(p))
            return { kind: 'valid', rule: 'TP: Old, Sec: Goal, Goal newer' };
        return {
            kind: 'upgrade',
            target: { thumbprint: goal },
            rule: 'TP: Old, Sec: Goal, Old newer → TP: Goal, Sec: None',
        };
    }
    if (s === undefined) {
        if (goalNewerThan(p)) {
            return {
                kind: 'upgrade',
                target: { thumbprint: p, thumbprintSecondary: goal },
                rule: 'TP: Old, Sec: None, Goal newer → TP: Old, Sec: Goal',
            };
        }
        return {
            kind: 'upgrade',
            target: { thumbprint: goal, thumbprintSecondary: p },
            rule: 'TP: Old, Sec: None, Old newer → TP: Goal, Sec: Old (then remove Old)',
        };
    }
    // Two old certificates: remove one, keeping the one the nodes present now, then continue from there.
    const keep = presentedBefore(s, p) === true ? s : p;
    return { kind: 'upgrade', target: { thumbprint: keep }, rule: 'TP: Old1, Sec: Old2 → remove one' };
}
//# sourceMappingURL=starting-state.js.map