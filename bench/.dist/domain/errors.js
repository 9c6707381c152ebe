// The error taxonomy (design §5): adapters classify every failure once, at their boundary, into one of
// these; the runtime decides from the class alone whether to back off, stall or wait.
/** Worth retrying with exponential backoff: throttling, 5xx, timeouts, conflicts. */
export class TransientError extends Error {
    reason;
    name = 'TransientError';
    constructor(message, reason, options) {
        super(message, options);
        this.reason = reason;
        this.retryAfterMs = options?.retryAfterMs;
    }
    retryAfterMs;
}
/** Will not succeed by retrying the same input: bad spec, 404 of a declared resource, 403. */
export class TerminalError extends Error {
    reason;
    name = 'TerminalError';
    constructor(message, reason, options) {
        super(message, options);
        this.reason = reason;
    }
}
export function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
//# sourceMappingURL=errors.js.map