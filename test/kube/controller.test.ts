// The controller's contract with reconcilers, driven by a fake clock and an in-memory source: what
// happens to a key after each kind of outcome, concurrency, leadership and shutdown.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ReconcileContext, Reconciler, ReconcileResult } from '../../src/controllers/reconciler.js';
import { TerminalError, TransientError } from '../../src/domain/errors.js';
import { Reason } from '../../src/domain/names.js';
import { InformerCache } from '../../src/kube/cache.js';
import { FakeClock, settle } from '../../src/kube/clock.js';
import { Controller } from '../../src/kube/controller.js';
import { EventRecorder, type EventBody } from '../../src/kube/events.js';
import { StatusWriter } from '../../src/kube/status-writer.js';
import type { KubeObject, ResourceKind } from '../../src/kube/types.js';
import { registry } from '../../src/observability/metrics.js';
import { MemorySource } from './fakes.js';

const log = pino({ level: 'silent' });
const KIND: ResourceKind = {
  group: 'kvrollover.io',
  version: 'v1alpha1',
  kind: 'Thing',
  plural: `things${Math.random().toString(36).slice(2, 6)}`,
};

type Behaviour = (key: string, ctx: ReconcileContext, call: number) => Promise<ReconcileResult | void>;

interface Harness {
  clock: FakeClock;
  source: MemorySource;
  controller: Controller;
  calls: { key: string; at: number }[];
  events: EventBody[];
  patches: unknown[];
  leader: { value: boolean };
  start(): Promise<void>;
}

function harness(
  behaviour: Behaviour,
  opts: { concurrency?: number; timeoutMs?: number; name?: string } = {},
): Harness {
  const clock = new FakeClock();
  const source = new MemorySource(`things-${opts.name ?? 'x'}`);
  const cache = new InformerCache(() => source, undefined, { clock, log, jitter: 0, minWatchMs: 0 }, log);
  const calls: { key: string; at: number }[] = [];
  const events: EventBody[] = [];
  const patches: unknown[] = [];
  const leader = { value: true };
  const perKey = new Map<string, number>();
  const reconciler: Reconciler = {
    reconcile: (key, ctx) => {
      const n = (perKey.get(key) ?? 0) + 1;
      perKey.set(key, n);
      calls.push({ key, at: clock.now() });
      return behaviour(key, ctx, n);
    },
  };
  const controller = new Controller({
    name: opts.name ?? 'thing',
    kind: KIND,
    reconciler,
    cache,
    statusWriter: new StatusWriter({
      getStatus: () => Promise.reject(new Error('unused')),
      patchStatus: (_k, _ns, _n, body) => {
        patches.push(body);
        return Promise.resolve({ metadata: { name: 'x' } });
      },
    }),
    events: new EventRecorder(
      { create: (_ns, body) => (events.push(body), Promise.resolve()), patchSeries: () => Promise.resolve() },
      { clock, log, controller: 'c', instance: 'i' },
    ),
    clock,
    log,
    concurrency: opts.concurrency ?? 2,
    reconcileTimeoutMs: opts.timeoutMs ?? 60_000,
    rateLimiter: { baseDelayMs: 5, maxDelayMs: 1_000_000, qps: 10, burst: 100 },
    isLeader: () => leader.value,
  });
  return {
    clock,
    source,
    controller,
    calls,
    events,
    patches,
    leader,
    async start() {
      cache.start();
      await cache.waitForSync();
      controller.start();
      await settle();
    },
  };
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const m = await registry.getSingleMetric(name)!.get();
  return m.values
    .filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    .reduce((a, v) => a + v.value, 0);
}

describe('Controller', () => {
  it('reconciles every cached object once and again on change', async () => {
    const h = harness(() => Promise.resolve());
    h.source.put('a');
    h.source.put('b');
    await h.start();
    expect(h.calls.map((c) => c.key).sort()).toEqual(['ns/a', 'ns/b']);
    h.source.put('a', { generation: 2 });
    await settle();
    expect(h.calls.map((c) => c.key)).toHaveLength(3);
  });

  it('requeues after requeueAfterMs and not before', async () => {
    const h = harness(() => Promise.resolve({ requeueAfterMs: 30_000 }), { name: 'requeue' });
    h.source.put('a');
    await h.start();
    await h.clock.advance(29_999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.at - h.calls[0]!.at).toBe(30_000);
    expect(
      await metric('kvrollover_reconcile_total', { controller: 'requeue', result: 'requeue_after' }),
    ).toBe(2);
  });

  it('retries transient errors on the exponential schedule, honouring Retry-After, and resets on success', async () => {
    const h = harness(
      (_k, _c, n) => {
        if (n === 4)
          return Promise.reject(
            new TransientError('throttled', Reason.AzureThrottled, { retryAfterMs: 7_000 }),
          );
        if (n <= 5) return Promise.reject(new TransientError('azure 503', Reason.AzureError));
        return Promise.resolve();
      },
      { name: 'transient' },
    );
    h.source.put('a');
    await h.start();
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [next] = h.clock.pendingDelays();
      gaps.push(next!);
      await h.clock.advance(next!);
    }
    expect(gaps).toEqual([5, 10, 20, 7_000, 80]);
    expect(h.calls).toHaveLength(6);
    expect(h.controller.queue.numRequeues('ns/a')).toBe(0); // forgotten after the success
    expect(
      await metric('kvrollover_reconcile_errors_total', { controller: 'transient', reason: 'AzureError' }),
    ).toBe(4);
    expect(await metric('kvrollover_workqueue_retries_total', { controller: 'transient' })).toBe(5);
  });

  it('does not retry a terminal error (not even on resync) until the object changes, and emits a Warning', async () => {
    const h = harness(
      (_k, _c, n) =>
        n === 1
          ? Promise.reject(new TerminalError('vault not found', Reason.ResourceNotFound))
          : Promise.resolve(),
      { name: 'terminal' },
    );
    h.source.put('a');
    await h.start();
    expect(h.clock.pendingDelays()).toEqual([]);
    h.source.put('a', { generation: 1 }); // a status-only change: same generation, labels, annotations
    await settle();
    expect(h.calls).toHaveLength(1);
    h.source.put('a', { generation: 2 }); // the user fixed the spec
    await settle();
    expect(h.calls).toHaveLength(2);
    expect(h.events.map((e) => [e.type, e.reason])).toEqual([['Warning', 'ResourceNotFound']]);
    expect(await metric('kvrollover_terminal_reconcile_errors_total', { controller: 'terminal' })).toBe(1);
  });

  it('never runs one key on two workers and stays within the concurrency bound', async () => {
    let running = 0;
    let maxRunning = 0;
    const runningKeys = new Set<string>();
    let overlap = false;
    const h = harness(
      async (key, _ctx, n) => {
        if (runningKeys.has(key)) overlap = true;
        runningKeys.add(key);
        maxRunning = Math.max(maxRunning, ++running);
        await h.clock.advance(0).then(() => new Promise<void>((r) => setImmediate(r)));
        running--;
        runningKeys.delete(key);
        return n < 3 ? { requeueAfterMs: 1 } : undefined;
      },
      { concurrency: 3, name: 'conc' },
    );
    for (const n of ['a', 'b', 'c', 'd', 'e']) h.source.put(n);
    await h.start();
    for (let i = 0; i < 20; i++) {
      for (const n of ['a', 'b', 'c']) h.controller.enqueue(`ns/${n}`);
      await new Promise<void>((r) => setImmediate(r));
      await h.clock.advance(1);
    }
    expect(overlap).toBe(false);
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(maxRunning).toBeGreaterThan(1);
  });

  it('lets only the leader reconcile; a new leader reconciles everything', async () => {
    const h = harness(() => Promise.resolve(), { name: 'leader' });
    h.leader.value = false;
    h.source.put('a');
    h.source.put('b');
    await h.start();
    expect(h.calls).toHaveLength(0);
    h.leader.value = true;
    h.controller.setLeader(true);
    await settle();
    expect(h.calls.map((c) => c.key).sort()).toEqual(['ns/a', 'ns/b']);
  });

  it('aborts the reconcile signal at the timeout and retries with backoff', async () => {
    let aborted = 0;
    const h = harness(
      (_k, ctx, n) =>
        n === 1
          ? new Promise((_resolve, reject) =>
              ctx.signal.addEventListener('abort', () => (aborted++, reject(ctx.signal.reason as Error))),
            )
          : Promise.resolve(),
      { timeoutMs: 1000, name: 'timeout' },
    );
    h.source.put('a');
    await h.start();
    await h.clock.advance(1000);
    expect(aborted).toBe(1);
    await h.clock.advance(5);
    expect(h.calls).toHaveLength(2);
    expect(await metric('kvrollover_reconcile_timeouts_total', { controller: 'timeout' })).toBe(1);
  });

  it('allows one status write per reconcile, with observedGeneration', async () => {
    const results: string[] = [];
    const h = harness(
      async (_k, ctx) => {
        await ctx.status.write(() => ({ phase: 'Steady' }));
        await ctx.status.write(() => ({ phase: 'Other' })).catch((e: Error) => results.push(e.name));
      },
      { name: 'status' },
    );
    h.source.put('a', { generation: 7 });
    await h.start();
    expect(results).toEqual(['StatusAlreadyWrittenError']);
    expect(h.patches).toEqual([
      { metadata: { resourceVersion: '101' }, status: { phase: 'Steady', observedGeneration: 7 } },
    ]);
  });

  it('passes a logger with the fixed resource keys and a copy of the cached object', async () => {
    const seen: { obj?: KubeObject; bindings?: Record<string, unknown> } = {};
    const h = harness(
      (_k, ctx) => {
        seen.obj = ctx.object;
        seen.bindings = ctx.log.bindings();
        if (ctx.object) ctx.object.metadata.name = 'mutated';
        return Promise.resolve();
      },
      { name: 'ctx' },
    );
    h.source.put('a');
    await h.start();
    expect(seen.bindings).toMatchObject({
      resource_kind: 'Thing',
      resource_namespace: 'ns',
      resource_name: 'a',
    });
    expect(h.controller.queue.depth).toBe(0);
    expect(seen.obj?.metadata.uid).toBe('uid-a');
  });

  it('on stop drains in-flight work within the deadline and takes no new keys', async () => {
    let release!: () => void;
    const h = harness(
      (_k, _c, n) => (n === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()),
      { name: 'stop', concurrency: 1 },
    );
    h.source.put('a');
    await h.start();
    const stopping = h.controller.stop(10_000);
    h.controller.enqueue('ns/b');
    release();
    expect(await stopping).toEqual({ abandoned: 0 });
    expect(h.calls.map((c) => c.key)).toEqual(['ns/a']);
  });

  it('abandons a reconcile that outlives the shutdown deadline, after aborting its signal', async () => {
    let sawAbort = false;
    const h = harness(
      (_k, ctx) =>
        new Promise<void>(() => {
          ctx.signal.addEventListener('abort', () => (sawAbort = true));
        }),
      { name: 'abandon', concurrency: 1 },
    );
    h.source.put('a');
    await h.start();
    const stopping = h.controller.stop(5_000);
    await h.clock.advance(5_000);
    await h.clock.advance(1_000);
    expect(await stopping).toEqual({ abandoned: 1 });
    expect(sawAbort).toBe(true);
  });
});
