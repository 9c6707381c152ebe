import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/kube/clock.js';
import { TransientError } from '../../src/domain/errors.js';
import { Reason } from '../../src/domain/names.js';
import { VaultWatcher, summarizeVersions, watchKey } from '../../src/controllers/vault-watcher.js';
import type { VaultChange, VaultWatcherOptions } from '../../src/controllers/vault-watcher.js';

const MIN = 60_000;

function versions(...vs: { v: string; created: number; enabled?: boolean }[]): unknown {
  return {
    value: vs.map(({ v, created, enabled }) => ({
      id: `https://kv1.vault.azure.net/certificates/cluster/${v}`,
      attributes: { enabled: enabled ?? true, created },
    })),
  };
}

/** A fake Key Vault: counts polls per certificate; its answers can be changed or made to fail. */
class FakeVault {
  calls: string[] = [];
  bodies = new Map<string, unknown>();
  failures: (() => Error)[] = [];

  readonly poll = (vault: string, certificate: string): Promise<unknown> => {
    this.calls.push(watchKey(vault, certificate));
    const fail = this.failures.shift();
    if (fail !== undefined) return Promise.reject(fail());
    return Promise.resolve(this.bodies.get(watchKey(vault, certificate)) ?? { value: [] });
  };

  count(key: string): number {
    return this.calls.filter((c) => c === key).length;
  }
}

function setup(overrides: Partial<VaultWatcherOptions> = {}) {
  const clock = new FakeClock();
  const vault = new FakeVault();
  const notified: { subscriber: string; change: VaultChange }[] = [];
  const watcher = new VaultWatcher({
    poll: vault.poll,
    notify: (subscriber, change) => notified.push({ subscriber, change }),
    clock,
    intervalMs: 5 * MIN,
    jitter: 0.1,
    random: () => 0.5,
    ...overrides,
  });
  return { clock, vault, notified, watcher };
}

describe('summarizeVersions', () => {
  it('takes the newest created version as latest and lists every version with its enabled flag', () => {
    const s = summarizeVersions(
      versions(
        { v: 'a1', created: 100 },
        { v: 'b2', created: 300, enabled: false },
        { v: 'c3', created: 200 },
      ),
    );
    expect(s.latest).toBe('b2');
    expect(s.enabledSet).toEqual(['a1:true', 'b2:false', 'c3:true']);
  });

  it('tolerates bodies without a value array', () => {
    expect(summarizeVersions(undefined)).toEqual({ latest: undefined, enabledSet: [] });
    expect(summarizeVersions({ value: [{ nope: 1 }, 'x'] })).toEqual({ latest: undefined, enabledSet: [] });
  });
});

describe('VaultWatcher', () => {
  it('polls each distinct certificate once per interval however many resources observe it', async () => {
    const { clock, vault, watcher } = setup();
    for (let i = 0; i < 50; i++) {
      watcher.setWatches(`ns/r${i}`, [
        { vault: 'kv1', certificate: 'cluster' },
        // Same certificate spelled as a vault URL with different case: still one target.
        { vault: 'https://KV1.vault.azure.net/', certificate: i % 2 === 0 ? 'Cluster' : 'cluster' },
        { vault: 'kv2', certificate: 'batch' },
      ]);
    }
    expect(watcher.size).toBe(2);
    await clock.advance(60 * MIN);
    // Interval 5 min ± 10 % (random fixed at the midpoint): 12 polls in an hour, never more.
    expect(vault.count('kv1/cluster')).toBeGreaterThanOrEqual(11);
    expect(vault.count('kv1/cluster')).toBeLessThanOrEqual(13);
    expect(vault.count('kv2/batch')).toBe(vault.count('kv1/cluster'));
    expect(watcher.subscribersOf('kv1', 'cluster')).toHaveLength(50);
  });

  it('spreads first polls at random phases, then polls each certificate exactly once per interval', async () => {
    let r = 0;
    const randoms = [0.0, 0.99, 0.5];
    const clock = new FakeClock();
    const start = clock.now();
    const times = new Map<string, number[]>();
    const watcher = new VaultWatcher({
      poll: (_vault, certificate) => {
        times.set(certificate, [...(times.get(certificate) ?? []), clock.now()]);
        return Promise.resolve({ value: [] });
      },
      notify: () => {},
      clock,
      intervalMs: 5 * MIN,
      jitter: 0.1,
      random: () => randoms[r++ % randoms.length]!,
    });
    watcher.setWatches('ns/a', [
      { vault: 'kv1', certificate: 'a' },
      { vault: 'kv1', certificate: 'b' },
      { vault: 'kv1', certificate: 'c' },
    ]);
    await clock.advance(60 * MIN);
    const firsts = [...times.values()].map((t) => t[0]!);
    expect(new Set(firsts).size).toBe(3);
    for (const first of firsts) expect(first - start).toBeLessThanOrEqual(0.1 * 5 * MIN);
    for (const polls of times.values()) {
      const gaps = polls.slice(1).map((t, i) => t - polls[i]!);
      expect(gaps.length).toBeGreaterThanOrEqual(11);
      expect(new Set(gaps)).toEqual(new Set([5 * MIN]));
    }
    watcher.stop();
  });

  it('notifies every subscriber once when the latest version or the enabled set changes, not before', async () => {
    const { clock, vault, watcher, notified } = setup();
    vault.bodies.set('kv1/cluster', versions({ v: 'v1', created: 1 }));
    watcher.setWatches('ns/a', [{ vault: 'kv1', certificate: 'cluster' }]);
    watcher.setWatches('ns/b', [{ vault: 'kv1', certificate: 'cluster' }]);
    await clock.advance(6 * MIN); // baseline (no notification) then one unchanged poll
    expect(vault.count('kv1/cluster')).toBeGreaterThanOrEqual(1);
    expect(notified).toHaveLength(0);

    vault.bodies.set('kv1/cluster', versions({ v: 'v1', created: 1 }, { v: 'v2', created: 2 }));
    await clock.advance(6 * MIN);
    expect(notified.map((n) => n.subscriber).sort()).toEqual(['ns/a', 'ns/b']);
    expect(notified[0]!.change.previous.latest).toBe('v1');
    expect(notified[0]!.change.current.latest).toBe('v2');

    // A version disabled (quarantined) changes the enabled set.
    vault.bodies.set(
      'kv1/cluster',
      versions({ v: 'v1', created: 1 }, { v: 'v2', created: 2, enabled: false }),
    );
    await clock.advance(6 * MIN);
    expect(notified).toHaveLength(4);
    expect(watcher.cached('kv1', 'cluster')?.summary.enabledSet).toEqual(['v1:true', 'v2:false']);
  });

  it('stops polling a certificate nobody watches any more', async () => {
    const { clock, vault, watcher } = setup();
    watcher.setWatches('ns/a', [{ vault: 'kv1', certificate: 'cluster' }]);
    await clock.advance(11 * MIN);
    const polled = vault.calls.length;
    expect(polled).toBeGreaterThan(0);
    watcher.unwatchAll('ns/a');
    expect(watcher.size).toBe(0);
    await clock.advance(30 * MIN);
    expect(vault.calls.length).toBe(polled);
    expect(watcher.pollNow('kv1', 'cluster')).toBe(false);
  });

  it('pollNow polls at once, and coalesces with a poll in flight', async () => {
    const { clock, vault, watcher, notified } = setup();
    vault.bodies.set('kv1/cluster', versions({ v: 'v1', created: 1 }));
    watcher.setWatches('ns/a', [{ vault: 'kv1', certificate: 'cluster' }]);
    await clock.advance(1 * MIN); // baseline
    const before = vault.count('kv1/cluster');
    vault.bodies.set('kv1/cluster', versions({ v: 'v1', created: 1 }, { v: 'v2', created: 2 }));
    expect(watcher.pollNow('KV1', 'Cluster')).toBe(true);
    expect(watcher.pollNow('kv1', 'cluster')).toBe(true);
    await clock.advance(0);
    expect(vault.count('kv1/cluster')).toBe(before + 1);
    expect(notified).toHaveLength(1);
    expect(watcher.pollNow('nope', 'cluster')).toBe(false);
  });

  it('never spends more than the per-vault budget, even with Event Grid pushes for many certificates', async () => {
    const { clock, vault, watcher } = setup({
      perVault: { qps: 1, burst: 2 },
      perSubscription: { qps: 100, burst: 100 },
    });
    const certs = Array.from({ length: 10 }, (_, i) => `c${i}`);
    watcher.setWatches(
      'ns/a',
      certs.map((c) => ({ vault: 'kv1', certificate: c })),
    );
    await clock.advance(1 * MIN); // baselines: spread by the bucket at 1/s
    vault.calls = [];
    for (const c of certs) watcher.pollNow('kv1', c);
    await clock.advance(0);
    expect(vault.calls.length).toBe(2); // the burst
    await clock.advance(3_000);
    expect(vault.calls.length).toBe(5); // + 1 per second
    await clock.advance(10_000);
    expect(vault.calls.length).toBe(10); // every push served, none lost
  });

  it('spends from a per-subscription budget shared by all its vaults', async () => {
    const { clock, vault, watcher } = setup({
      perVault: { qps: 100, burst: 100 },
      perSubscription: { qps: 1, burst: 1 },
    });
    watcher.setWatches('ns/a', [
      { vault: 'kv1', certificate: 'a', subscriptionId: 'SUB' },
      { vault: 'kv2', certificate: 'b', subscriptionId: 'sub' },
      { vault: 'kv3', certificate: 'c', subscriptionId: 'other' },
    ]);
    await clock.advance(1 * MIN);
    vault.calls = [];
    watcher.pollNow('kv1', 'a');
    watcher.pollNow('kv2', 'b');
    watcher.pollNow('kv3', 'c');
    await clock.advance(0);
    expect(vault.calls.sort()).toEqual(['kv1/a', 'kv3/c']);
    await clock.advance(1_000);
    expect(vault.calls.sort()).toEqual(['kv1/a', 'kv2/b', 'kv3/c']);
  });

  it('honours Retry-After for every certificate of the throttled vault', async () => {
    const errors: unknown[] = [];
    const { clock, vault, watcher } = setup({ onError: (_t, e) => errors.push(e) });
    watcher.setWatches('ns/a', [
      { vault: 'kv1', certificate: 'a' },
      { vault: 'kv1', certificate: 'b' },
      { vault: 'kv2', certificate: 'c' },
    ]);
    await clock.advance(1 * MIN); // baselines
    vault.calls = [];
    vault.failures.push(
      () => new TransientError('throttled', Reason.AzureThrottled, { retryAfterMs: 30_000 }),
    );
    watcher.pollNow('kv1', 'a'); // → 429, Retry-After 30 s
    await clock.advance(0);
    expect(errors).toHaveLength(1);
    watcher.pollNow('kv1', 'b'); // same vault: must wait
    watcher.pollNow('kv2', 'c'); // other vault: unaffected
    await clock.advance(29_000);
    expect(vault.calls).toEqual(['kv1/a', 'kv2/c']);
    await clock.advance(1_000);
    expect(vault.calls.sort()).toEqual(['kv1/a', 'kv1/a', 'kv1/b', 'kv2/c']);
  });

  it('backs off after failures without Retry-After and recovers', async () => {
    const { clock, vault, watcher } = setup({ errorBackoffMs: 1_000 });
    watcher.setWatches('ns/a', [{ vault: 'kv1', certificate: 'a' }]);
    await clock.advance(1 * MIN);
    vault.calls = [];
    for (let i = 0; i < 3; i++) vault.failures.push(() => new Error('ECONNRESET'));
    watcher.pollNow('kv1', 'a');
    await clock.advance(0); // fail 1 → next in 1 s
    await clock.advance(1_000); // fail 2 → 2 s
    await clock.advance(2_000); // fail 3 → 4 s
    expect(vault.calls.length).toBe(3);
    await clock.advance(3_999);
    expect(vault.calls.length).toBe(3);
    await clock.advance(1);
    expect(vault.calls.length).toBe(4); // recovered
    await clock.advance(4 * MIN);
    expect(vault.calls.length).toBe(4); // back on the 5-minute interval
  });

  it('stop() cancels every timer', async () => {
    const { clock, vault, watcher } = setup();
    watcher.setWatches('ns/a', [{ vault: 'kv1', certificate: 'a' }]);
    watcher.stop();
    await clock.advance(60 * MIN);
    expect(vault.calls).toHaveLength(0);
    expect(clock.pendingDelays()).toHaveLength(0);
  });
});
