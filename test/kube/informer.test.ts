// The informer's recovery logic against an in-memory LIST/WATCH source, with a fake clock: no sleeps,
// the backoff schedule is read off the clock's pending timers.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../../src/kube/clock.js';
import { Informer } from '../../src/kube/informer.js';
import type { ListPage, ListWatchSource, WatchEventType, WatchParams } from '../../src/kube/list-watch.js';
import type { KubeObject } from '../../src/kube/types.js';
import { registry } from '../../src/observability/metrics.js';

type Step = { kind: 'ok' } | { kind: 'fail'; code: number; retryAfter?: string };

class FakeSource implements ListWatchSource {
  readonly description = `fake-${Math.random().toString(36).slice(2)}`;
  objects = new Map<string, KubeObject>();
  rv = 100;
  lists: number[] = [];
  watches: WatchParams[] = [];
  listPlan: Step[] = [];
  watchPlan: Step[] = [];
  private emit: ((t: WatchEventType, o: unknown) => void) | undefined;
  private done: ((err: unknown) => void) | undefined;

  put(name: string): void {
    this.rv++;
    this.objects.set(name, obj(name, this.rv));
    this.emit?.('MODIFIED', obj(name, this.rv));
  }

  list(): Promise<ListPage> {
    this.lists.push(this.rv);
    const step = this.listPlan.shift() ?? { kind: 'ok' };
    if (step.kind === 'fail') {
      const headers = step.retryAfter === undefined ? {} : { 'retry-after': step.retryAfter };
      return Promise.reject(Object.assign(new Error('boom'), { code: step.code, headers }));
    }
    return Promise.resolve({ items: [...this.objects.values()], resourceVersion: String(this.rv) });
  }

  watch(params: WatchParams, onEvent: (t: WatchEventType, o: unknown) => void, onDone: (e: unknown) => void) {
    this.watches.push(params);
    const step = this.watchPlan.shift() ?? { kind: 'ok' };
    if (step.kind === 'fail') {
      onDone(Object.assign(new Error('watch failed'), { statusCode: step.code }));
      return Promise.resolve({ abort: () => {} });
    }
    this.emit = onEvent;
    this.done = onDone;
    return Promise.resolve({ abort: () => this.close(null) });
  }

  bookmark(): void {
    this.rv++;
    this.emit?.('BOOKMARK', { metadata: { resourceVersion: String(this.rv) } });
  }

  gone(): void {
    this.emit?.('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    this.close(null);
  }

  close(err: unknown): void {
    const done = this.done;
    this.emit = undefined;
    this.done = undefined;
    done?.(err);
  }
}

function obj(name: string, rv: number): KubeObject {
  return { metadata: { name, namespace: 'ns', resourceVersion: String(rv) } };
}

function informer(source: FakeSource, clock: FakeClock, resyncMs = 0): Informer {
  return new Informer(source, {
    clock,
    log: pino({ level: 'silent' }),
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    jitter: 0,
    failureThreshold: 3,
    minWatchMs: 0,
    resyncMs,
  });
}

async function restarts(resource: string, cause: string): Promise<number> {
  const m = await registry.getSingleMetric('kvrollover_watch_restarts_total')!.get();
  return m.values.find((v) => v.labels.resource === resource && v.labels.cause === cause)?.value ?? 0;
}

describe('Informer', () => {
  it('lists, then watches from the list resourceVersion with bookmarks', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.put('a');
    const inf = informer(src, clock);
    const added: string[] = [];
    inf.addHandlers({ onAdd: (o) => added.push(o.metadata.name) });
    inf.start();
    await inf.waitForSync();
    await settle();
    expect(added).toEqual(['a']);
    expect(src.watches[0]).toMatchObject({ resourceVersion: '101', allowWatchBookmarks: true });
    expect(inf.isReady()).toBe(true);
    await inf.stop();
  });

  it('resumes a dropped watch from the last resourceVersion (bookmark included) without relisting', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    const inf = informer(src, clock);
    inf.start();
    await inf.waitForSync();
    await settle();
    src.put('a');
    src.bookmark();
    src.close(null); // dropped
    await settle();
    expect(src.lists).toHaveLength(1);
    expect(src.watches.map((w) => w.resourceVersion)).toEqual(['100', '102']);
    expect(inf.get('ns/a')?.metadata.resourceVersion).toBe('101');
    expect(await restarts(src.description, 'dropped')).toBe(1);
    await inf.stop();
  });

  it('relists on a 410 ERROR event and emits deletes for objects gone meanwhile', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.put('a');
    src.put('b');
    const inf = informer(src, clock);
    const deleted: string[] = [];
    inf.addHandlers({ onDelete: (o) => deleted.push(o.metadata.name) });
    inf.start();
    await inf.waitForSync();
    await settle();
    src.objects.delete('a'); // deleted while the informer could not see it
    src.rv += 5;
    src.gone();
    await settle();
    expect(src.lists).toHaveLength(2);
    expect(deleted).toEqual(['a']);
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['b']);
    expect(src.watches.at(-1)?.resourceVersion).toBe('107');
    expect(await restarts(src.description, 'gone')).toBe(1);
    await inf.stop();
  });

  it('relists when the watch request itself is answered 410', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.watchPlan = [{ kind: 'fail', code: 410 }];
    const inf = informer(src, clock);
    inf.start();
    await inf.waitForSync();
    await settle();
    expect(src.lists).toHaveLength(2);
    expect(inf.isReady()).toBe(true);
    await inf.stop();
  });

  it('keeps retrying on errors with bounded exponential backoff, reports not ready, then recovers', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.listPlan = Array.from({ length: 6 }, () => ({ kind: 'fail' as const, code: 500 }));
    const inf = informer(src, clock);
    inf.start();
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [d] = clock.pendingDelays();
      delays.push(d!);
      if (i === 2) expect(inf.isReady()).toBe(false); // third consecutive failure
      await clock.advance(d!);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(src.lists).toHaveLength(7);
    expect(inf.isReady()).toBe(true);
    expect(inf.status().consecutiveFailures).toBe(0);
    expect(await restarts(src.description, 'error')).toBe(6);
    await inf.stop();
  });

  it('restarts itself after a watch 500 (where client-node ListWatch would stop) and resumes from its resourceVersion', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    const inf = informer(src, clock);
    inf.start();
    await inf.waitForSync();
    await settle();
    src.put('a');
    src.watchPlan = [
      { kind: 'fail', code: 500 },
      { kind: 'fail', code: 429 },
    ];
    src.close(null);
    await settle();
    expect(clock.pendingDelays()).toEqual([100]);
    await clock.advance(100);
    expect(clock.pendingDelays()).toEqual([200]);
    await clock.advance(200);
    expect(src.watches.map((w) => w.resourceVersion)).toEqual(['100', '101', '101', '101']);
    expect(src.lists).toHaveLength(1);
    src.put('b');
    await settle();
    expect(inf.get('ns/b')).toBeDefined();
    await inf.stop();
  });

  it('waits at least Retry-After when a LIST is throttled', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.listPlan = [{ kind: 'fail', code: 429, retryAfter: '0.5' }];
    const inf = informer(src, clock);
    inf.start();
    await settle();
    expect(clock.pendingDelays()).toEqual([500]);
    await clock.advance(500);
    expect(inf.status().synced).toBe(true);
    await inf.stop();
  });

  it('replays the cache every resync period', async () => {
    const clock = new FakeClock();
    const src = new FakeSource();
    src.put('a');
    src.put('b');
    const inf = informer(src, clock, 60_000);
    const resynced: string[] = [];
    inf.addHandlers({ onResync: (o) => resynced.push(o.metadata.name) });
    inf.start();
    await inf.waitForSync();
    await clock.advance(60_000);
    await clock.advance(60_000);
    expect(resynced.sort()).toEqual(['a', 'a', 'b', 'b']);
    await inf.stop();
  });
});
