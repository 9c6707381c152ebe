// Request counters by service, operation and status code. Benchmarks read them (design §9: requests per
// certificate per poll interval, share of the ARM read budget), tests assert on them instead of timings.
export class RequestCounters {
    counts = new Map();
    record(service, operation, status) {
        const key = `${service}\u0000${operation}\u0000${status}`;
        const entry = this.counts.get(key);
        if (entry)
            entry.count++;
        else
            this.counts.set(key, { service, operation, status, count: 1 });
    }
    /** All entries matching the filter, sorted by service, operation, status. */
    entries(filter = {}) {
        return [...this.counts.values()]
            .filter((e) => matches(e, filter))
            .map((e) => ({ ...e }))
            .sort((a, b) => a.service !== b.service
            ? a.service.localeCompare(b.service)
            : a.operation !== b.operation
                ? a.operation.localeCompare(b.operation)
                : a.status - b.status);
    }
    /** Sum of the counts matching the filter. */
    total(filter = {}) {
        let n = 0;
        for (const e of this.counts.values())
            if (matches(e, filter))
                n += e.count;
        return n;
    }
    reset() {
        this.counts.clear();
    }
}
function matches(e, f) {
    if (f.service !== undefined && e.service !== f.service)
        return false;
    if (f.status !== undefined && e.status !== f.status)
        return false;
    if (typeof f.operation === 'string' && e.operation !== f.operation)
        return false;
    if (f.operation instanceof RegExp && !f.operation.test(e.operation))
        return false;
    return true;
}
//# sourceMappingURL=counters.js.map