// Scriptable fault injection and request counters, for tests and benchmarks.
//
//   sandbox.faults.inject({ verb: 'watch', resource: 'secrets', action: { dropAfterMs: 50 } });
//   sandbox.faults.inject({ verb: 'patch', times: 2, action: { status: 429, retryAfterSeconds: 1 } });
//   sandbox.faults.compact();        // every older resourceVersion now answers 410 Gone
//   sandbox.faults.dropWatches();    // end every open watch stream now
//   sandbox.counters.count({ verb: 'list', resource: 'secrets' })
export class Faults {
    hooks;
    rules = [];
    constructor(hooks) {
        this.hooks = hooks;
    }
    inject(rule) {
        const active = { rule, hits: 0 };
        this.rules.push(active);
        return {
            get hits() {
                return active.hits;
            },
            remove: () => {
                this.rules = this.rules.filter((r) => r !== active);
            },
        };
    }
    clear() {
        this.rules = [];
    }
    /** Forget the change history: watches and continue tokens from older resourceVersions get 410 Gone. */
    compact() {
        this.hooks.compact();
    }
    /** End open watch streams (cleanly, as a server-side timeout would). Returns how many. */
    dropWatches(filter) {
        return this.hooks.dropWatches(filter);
    }
    /** Send `ERROR 410 Expired` on open watch streams and end them. Returns how many. */
    expireWatches(filter) {
        return this.hooks.expireWatches(filter);
    }
    /** The actions that apply to a request, consuming one use of each matching rule. */
    match(facts) {
        const out = [];
        for (const active of this.rules) {
            const { rule } = active;
            if (rule.times !== undefined && active.hits >= rule.times)
                continue;
            if (rule.verb && !(Array.isArray(rule.verb) ? rule.verb : [rule.verb]).includes(facts.verb))
                continue;
            if (rule.resource !== undefined) {
                const ok = typeof rule.resource === 'string'
                    ? rule.resource === facts.resource
                    : rule.resource.test(facts.resource);
                if (!ok)
                    continue;
            }
            if (rule.path !== undefined) {
                const ok = typeof rule.path === 'string' ? facts.path.includes(rule.path) : rule.path.test(facts.path);
                if (!ok)
                    continue;
            }
            if (rule.namespace !== undefined && rule.namespace !== facts.namespace)
                continue;
            if (rule.name !== undefined && rule.name !== facts.name)
                continue;
            active.hits++;
            out.push(rule.action);
        }
        return out;
    }
}
export class RequestCounters {
    counts = new Map();
    record(verb, resource) {
        const key = `${verb} ${resource}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    /** Requests served (including failed and fault-injected ones), filtered by verb and/or resource. */
    count(filter = {}) {
        let total = 0;
        for (const [key, n] of this.counts) {
            const [verb, resource] = key.split(' ');
            if (filter.verb && filter.verb !== verb)
                continue;
            if (filter.resource && filter.resource !== resource)
                continue;
            total += n;
        }
        return total;
    }
    /** `{ "list secrets": 3, "watch leases.coordination.k8s.io": 1, … }` */
    snapshot() {
        return Object.fromEntries([...this.counts.entries()].sort());
    }
    reset() {
        this.counts.clear();
    }
}
//# sourceMappingURL=faults.js.map