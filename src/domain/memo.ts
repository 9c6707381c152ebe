// A bounded least-recently-used memo for pure, deterministic functions whose results are immutable.
// The operator re-parses the same few vault certificates on every reconcile of every resource that
// uses them; parsing (ASN.1, signature checks) was a tenth of its CPU (bench profile, issue 8).

/** `fn` memoised on `key(args)`; at most `limit` results kept, the least recently used dropped first. */
export function boundedMemo<A extends unknown[], R>(
  limit: number,
  key: (...args: A) => string,
  fn: (...args: A) => R,
): (...args: A) => R {
  const results = new Map<string, R>();
  return (...args: A): R => {
    const k = key(...args);
    if (results.has(k)) {
      const hit = results.get(k) as R;
      // Re-insert: Map iteration order is insertion order, so the first key is the least recently used.
      results.delete(k);
      results.set(k, hit);
      return hit;
    }
    const value = fn(...args);
    results.set(k, value);
    if (results.size > limit) {
      const oldest = results.keys().next();
      if (oldest.done !== true) results.delete(oldest.value);
    }
    return value;
  };
}
