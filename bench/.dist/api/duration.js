// The durations of `spec.policy` (`30d`, `12h`, `90m`): one number and one unit, so that the same
// comparison can be written in CEL for the API server (see `durationMinutesCel`).
const UNIT_MINUTES = { d: 1440, h: 60, m: 1 };
/** Minutes in a policy duration, or undefined when it is not of the form `<digits><d|h|m>`. */
export function durationMinutes(text) {
    const match = /^([0-9]{1,5})([dhm])$/.exec(text);
    if (!match)
        return undefined;
    const unit = match[2];
    return Number(match[1]) * UNIT_MINUTES[unit];
}
/** Milliseconds in a policy duration; throws on a malformed one (the schema rejects those first). */
export function durationMilliseconds(text) {
    const minutes = durationMinutes(text);
    if (minutes === undefined)
        throw new RangeError(`not a duration like 30d, 12h or 90m: '${text}'`);
    return minutes * 60_000;
}
/** A CEL expression giving the minutes of the duration string `field` (e.g. `self.expiryWarning`). */
export function durationMinutesCel(field) {
    return (`int(${field}.substring(0, size(${field}) - 1)) * ` +
        `(${field}.endsWith('d') ? 1440 : (${field}.endsWith('h') ? 60 : 1))`);
}
//# sourceMappingURL=duration.js.map