// Structural equality and RFC 7386 (JSON merge patch) diffs, pure. The status writer compares the
// whole computed status with the stored one (nothing ignored) and sends only the difference, with
// `null` for removed fields — a merge patch otherwise keeps fields the new status no longer has.
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Assignment that also works for keys like `__proto__` (JSON may carry any key). */
function setOwn(target, key, value) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
export function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a)) {
        return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    }
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
    }
    return false;
}
/** Drops `undefined` members and converts to plain JSON (dates become strings), as the wire would. */
export function toJson(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
/**
 * The merge patch that turns `from` into `to`, or `undefined` when they are equal. Arrays are replaced
 * whole (merge patch has no array operations), nested objects are diffed key by key.
 */
export function mergePatchDiff(from, to) {
    if (isObject(from) && isObject(to)) {
        const patch = {};
        for (const key of Object.keys(from)) {
            if (from[key] !== undefined && (!Object.hasOwn(to, key) || to[key] === undefined || to[key] === null)) {
                setOwn(patch, key, null);
            }
        }
        for (const [key, value] of Object.entries(to)) {
            if (value === undefined || value === null)
                continue;
            if (!Object.hasOwn(from, key) || from[key] === undefined) {
                setOwn(patch, key, toJson(value));
                continue;
            }
            const sub = mergePatchDiff(from[key], value);
            if (sub !== undefined)
                setOwn(patch, key, sub);
        }
        return Object.keys(patch).length === 0 ? undefined : patch;
    }
    return deepEqual(from, to) ? undefined : toJson(to);
}
/** Applies an RFC 7386 merge patch (for tests and for predicting the stored result). */
export function applyMergePatch(target, patch) {
    if (!isObject(patch))
        return patch;
    const out = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null)
            delete out[key];
        else
            setOwn(out, key, applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
    }
    return out;
}
//# sourceMappingURL=json-diff.js.map