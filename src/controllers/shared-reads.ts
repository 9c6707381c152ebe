// ARM reads that many resources share — the user-assigned identity, the vault's access configuration —
// reused for a few minutes by converged resources re-read at their Azure sync period: a thousand
// clusters behind one identity and one vault then cost two reads per TTL, not two thousand (design §9).
// Resources that are converging always read fresh (a grant they just made must be seen at once).

/** One caller's view: reads by ARM id (or any key) through its own credential's clients. */
export interface ReadReuse {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

interface Entry {
  readonly atMs: number;
  readonly value: Promise<unknown>;
}

export const SHARED_READ_TTL_MS = 5 * 60_000;

export class SharedReads {
  // Keyed by the clients object first: what one credential may read says nothing about another's.
  private readonly byOwner = new WeakMap<object, Map<string, Entry>>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = SHARED_READ_TTL_MS,
  ) {}

  for(owner: object): ReadReuse {
    let entries = this.byOwner.get(owner);
    if (entries === undefined) this.byOwner.set(owner, (entries = new Map<string, Entry>()));
    const table = entries;
    return {
      get: <T>(key: string, load: () => Promise<T>): Promise<T> => {
        const k = key.toLowerCase();
        const nowMs = this.now();
        const hit = table.get(k);
        if (hit !== undefined && nowMs - hit.atMs < this.ttlMs) return hit.value as Promise<T>;
        // Concurrent reconciles share one in-flight read; a failed one is not kept.
        const value = load();
        table.set(k, { atMs: nowMs, value });
        value.catch(() => {
          if (table.get(k)?.value === value) table.delete(k);
        });
        return value;
      },
    };
  }
}
