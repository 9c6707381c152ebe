// metav1.Condition helpers (pure). Like apimachinery's meta.SetStatusCondition: lastTransitionTime
// changes only when `status` flips, so "how long has it been Ready=False" stays answerable; reason,
// message and observedGeneration are always brought up to date.
// Source: k8s.io/apimachinery/pkg/api/meta/conditions.go; KEP-1623 (standardised conditions).
/** metav1.Time serialises whole seconds in RFC 3339 (UTC, "Z"). */
export function metaTime(epochMs) {
    return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
/**
 * Returns a new conditions list with `input` set (existing order kept; a new type is appended).
 * `observedGeneration` is stamped when given.
 */
export function setCondition(conditions, input, options) {
    const list = conditions ?? [];
    const existing = list.find((c) => c.type === input.type);
    const next = {
        type: input.type,
        status: input.status,
        reason: input.reason,
        message: input.message,
        ...(options.observedGeneration !== undefined ? { observedGeneration: options.observedGeneration } : {}),
        lastTransitionTime: existing !== undefined && existing.status === input.status
            ? existing.lastTransitionTime
            : metaTime(options.nowMs),
    };
    return existing === undefined ? [...list, next] : list.map((c) => (c.type === input.type ? next : c));
}
/** Sets several conditions at once (same rules as `setCondition`). */
export function setConditions(conditions, inputs, options) {
    return inputs.reduce((acc, input) => setCondition(acc, input, options), [...(conditions ?? [])]);
}
export function removeCondition(conditions, type) {
    return (conditions ?? []).filter((c) => c.type !== type);
}
export function findCondition(conditions, type) {
    return conditions?.find((c) => c.type === type);
}
export function isConditionTrue(conditions, type) {
    return findCondition(conditions, type)?.status === 'True';
}
//# sourceMappingURL=conditions.js.map