// Scriptable fault injection and request counters, for tests and benchmarks.
//
//   sandbox.faults.inject({ verb: 'watch', resource: 'secrets', action: { dropAfterMs: 50 } });
//   sandbox.faults.inject({ verb: 'patch', times: 2, action: { status: 429, retryAfterSeconds: 1 } });
//   sandbox.faults.compact();        // every older resourceVersion now answers 410 Gone
//   sandbox.faults.dropWatches();    // end every open watch stream now
//   sandbox.counters.count({ verb: 'list', resource: 'secrets' })

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RequestFacts {
  verb: Verb;
  /** `secrets`, `leases.coordination.k8s.io`, `servicefabriccertificaterotations.kvrollover.io/status` */
  resource: string;
  namespace?: string;
  name?: string;
  path: string;
  method: string;
}

export type FaultAction =
  /** Answer with this HTTP status and a matching Status body (429 adds Retry-After). */
  | { status: number; retryAfterSeconds?: number; message?: string }
  /** Hold the request this long, then serve it normally. */
  | { delayMs: number }
  /** Watch only: serve the watch, then end the stream after this long (0: right after the initial events). */
  | { dropAfterMs: number }
  /** Watch only: answer with an ERROR event carrying a 410 Expired Status, then end the stream. */
  | { gone: true };

export interface FaultRule {
  verb?: Verb | Verb[];
  /** Exact resource label (see RequestFacts.resource) or a RegExp over it. */
  resource?: string | RegExp;
  /** A RegExp or substring over the URL path. */
  path?: string | RegExp;
  namespace?: string;
  name?: string;
  /** How many matching requests to affect (default: unlimited). */
  times?: number;
  action: FaultAction;
}

export interface FaultHandle {
  /** How many requests this rule affected. */
  readonly hits: number;
  remove(): void;
}

interface ActiveRule {
  rule: FaultRule;
  hits: number;
}

export interface FaultHooks {
  compact(): void;
  dropWatches(filter?: (facts: RequestFacts) => boolean): number;
  expireWatches(filter?: (facts: RequestFacts) => boolean): number;
}

export class Faults {
  private rules: ActiveRule[] = [];

  constructor(private readonly hooks: FaultHooks) {}

  inject(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, hits: 0 };
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

  clear(): void {
    this.rules = [];
  }

  /** Forget the change history: watches and continue tokens from older resourceVersions get 410 Gone. */
  compact(): void {
    this.hooks.compact();
  }

  /** End open watch streams (cleanly, as a server-side timeout would). Returns how many. */
  dropWatches(filter?: (facts: RequestFacts) => boolean): number {
    return this.hooks.dropWatches(filter);
  }

  /** Send `ERROR 410 Expired` on open watch streams and end them. Returns how many. */
  expireWatches(filter?: (facts: RequestFacts) => boolean): number {
    return this.hooks.expireWatches(filter);
  }

  /** The actions that apply to a request, consuming one use of each matching rule. */
  match(facts: RequestFacts): FaultAction[] {
    const out: FaultAction[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.times !== undefined && active.hits >= rule.times) continue;
      if (rule.verb && !(Array.isArray(rule.verb) ? rule.verb : [rule.verb]).includes(facts.verb)) continue;
      if (rule.resource !== undefined) {
        const ok =
          typeof rule.resource === 'string'
            ? rule.resource === facts.resource
            : rule.resource.test(facts.resource);
        if (!ok) continue;
      }
      if (rule.path !== undefined) {
        const ok =
          typeof rule.path === 'string' ? facts.path.includes(rule.path) : rule.path.test(facts.path);
        if (!ok) continue;
      }
      if (rule.namespace !== undefined && rule.namespace !== facts.namespace) continue;
      if (rule.name !== undefined && rule.name !== facts.name) continue;
      active.hits++;
      out.push(rule.action);
    }
    return out;
  }
}

export class RequestCounters {
  private readonly counts = new Map<string, number>();

  record(verb: Verb, resource: string): void {
    const key = `${verb} ${resource}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Requests served (including failed and fault-injected ones), filtered by verb and/or resource. */
  count(filter: { verb?: Verb; resource?: string } = {}): number {
    let total = 0;
    for (const [key, n] of this.counts) {
      const [verb, resource] = key.split(' ') as [Verb, string];
      if (filter.verb && filter.verb !== verb) continue;
      if (filter.resource && filter.resource !== resource) continue;
      total += n;
    }
    return total;
  }

  /** `{ "list secrets": 3, "watch leases.coordination.k8s.io": 1, … }` */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort());
  }

  reset(): void {
    this.counts.clear();
  }
}
