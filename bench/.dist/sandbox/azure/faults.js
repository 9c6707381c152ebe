// Scriptable fault injection per operation: a scenario or test adds rules; each matching request consumes
// one use of the first matching rule. Kinds: an HTTP error status (5xx with the service's error envelope),
// a 429 with Retry-After, a timeout (the request is held, then the connection is reset — the SDK retry
// policies treat ECONNRESET as transient), or a failed long-running operation (the LRO ends `Failed`).
export class FaultInjector {
    rules = [];
    add(rule) {
        const active = { rule, remaining: rule.times ?? 1, hits: 0 };
        this.rules.push(active);
        return {
            remaining: () => active.remaining,
            hits: () => active.hits,
            remove: () => {
                this.rules = this.rules.filter((r) => r !== active);
            },
        };
    }
    clear() {
        this.rules = [];
    }
    /** The request-level fault (anything but `failLro`) for this request, consuming one use. */
    take(req) {
        const found = this.rules.find((r) => r.remaining > 0 && r.rule.action.type !== 'failLro' && matches(r.rule, req));
        if (!found)
            return undefined;
        found.remaining--;
        found.hits++;
        return found.rule.action;
    }
    /** An injected LRO failure for the operation that is starting an LRO, consuming one use. */
    takeLroFailure(operation) {
        const found = this.rules.find((r) => r.remaining > 0 &&
            r.rule.action.type === 'failLro' &&
            (r.rule.operation === undefined ||
                (typeof r.rule.operation === 'string'
                    ? r.rule.operation === operation
                    : r.rule.operation.test(operation))));
        if (!found || found.rule.action.type !== 'failLro')
            return undefined;
        found.remaining--;
        found.hits++;
        return { code: found.rule.action.code, message: found.rule.action.message };
    }
}
function matches(rule, req) {
    if (rule.service !== undefined && rule.service !== req.service)
        return false;
    if (rule.method !== undefined && rule.method.toUpperCase() !== req.method)
        return false;
    if (rule.path !== undefined && !rule.path.test(req.path))
        return false;
    if (typeof rule.operation === 'string' && rule.operation !== req.operation)
        return false;
    if (rule.operation instanceof RegExp && !rule.operation.test(req.operation))
        return false;
    return true;
}
//# sourceMappingURL=faults.js.map