// Narrow readers over untyped REST JSON. Azure bodies are read defensively: a missing or mistyped field
// reads as undefined, never throws, so one odd property cannot hide the rest of the observation.
export function asObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
export function field(value, ...path) {
    let current = value;
    for (const key of path) {
        const o = asObject(current);
        if (o === undefined)
            return undefined;
        current = o[key];
    }
    return current;
}
export function str(value) {
    return typeof value === 'string' ? value : undefined;
}
export function bool(value) {
    if (typeof value === 'boolean')
        return value;
    // Extension settings written by scripts sometimes carry booleans as strings.
    if (value === 'true' || value === 'True')
        return true;
    if (value === 'false' || value === 'False')
        return false;
    return undefined;
}
export function num(value) {
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
    return undefined;
}
export function arr(value) {
    return Array.isArray(value) ? value : [];
}
/** Key Vault attribute timestamps are Unix seconds. */
export function epochSeconds(value) {
    const n = num(value);
    return n === undefined ? undefined : new Date(n * 1000);
}
export function lower(value) {
    return value?.toLowerCase();
}
//# sourceMappingURL=json.js.map