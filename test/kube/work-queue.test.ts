import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../../src/kube/clock.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  defaultControllerRateLimiter,
} from '../../src/kube/rate-limiter.js';
import { WorkQueue } from '../../src/kube/work-queue.js';

function queue(clock = new FakeClock()): { clock: FakeClock; q: WorkQueue } {
  return { clock, q: new WorkQueue(clock, defaultControllerRateLimiter(clock)) };
}

describe('rate limiters', () => {
  it('backs off one key exponentially from the base to the cap, and forget resets it', () => {
    const rl = new ItemExponentialFailureRateLimiter(5, 1000);
    const delays = Array.from({ length: 10 }, () => rl.when('ns/a'));
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    expect(rl.when('ns/b')).toBe(5); // other keys are independent
    expect(rl.numRequeues('ns/a')).toBe(10);
    rl.forget('ns/a');
    expect(rl.when('ns/a')).toBe(5);
  });

  it('matches client-go defaults: 5ms base, capped at 1000s', () => {
    const rl = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = rl.when('k');
    expect(last).toBe(1_000_000);
  });

  it('throttles a burst of failures across keys with the token bucket', async () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter(10, 3, clock);
    expect([bucket.when(), bucket.when(), bucket.when()]).toEqual([0, 0, 0]);
    expect(bucket.when()).toBe(100); // 1 token short at 10 qps
    expect(bucket.when()).toBe(200);
    await clock.advance(1000); // refills 10 tokens, capped at the burst
    expect(bucket.when()).toBe(0);
  });

  it('rejects nonsensical bounds', () => {
    expect(() => new ItemExponentialFailureRateLimiter(0, 10)).toThrow(RangeError);
    expect(() => new ItemExponentialFailureRateLimiter(10, 5)).toThrow(RangeError);
  });
});

describe('WorkQueue', () => {
  it('stores a waiting key once however often it is added', async () => {
    const { q } = queue();
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/b');
    expect(q.depth).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
    expect(q.depth).toBe(0);
  });

  it('never hands a key in flight to a second worker, and re-queues it on done', async () => {
    const { q } = queue();
    q.add('ns/a');
    const first = await q.get();
    q.add('ns/a'); // event while processing
    expect(q.depth).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await settle();
    expect(second).toBeUndefined();
    q.done(first!);
    await settle();
    expect(second).toBe('ns/a');
  });

  it('delays addAfter until due and keeps the earliest due time', async () => {
    const { clock, q } = queue();
    q.addAfter('ns/a', 5000);
    q.addAfter('ns/a', 1000);
    q.addAfter('ns/a', 3000);
    expect(clock.pendingDelays()).toEqual([1000]);
    await clock.advance(999);
    expect(q.depth).toBe(0);
    await clock.advance(1);
    expect(q.depth).toBe(1);
  });

  it('follows the backoff schedule on repeated failures and resets after forget', async () => {
    const { clock, q } = queue();
    const schedule: number[] = [];
    q.add('ns/a');
    for (let i = 0; i < 6; i++) {
      const key = (await q.get())!;
      schedule.push(q.addRateLimited(key));
      q.done(key);
      const [due] = clock.pendingDelays();
      await clock.advance(due!);
    }
    expect(schedule).toEqual([5, 10, 20, 40, 80, 160]);
    expect(q.numRequeues('ns/a')).toBe(6);
    const key = (await q.get())!;
    q.forget(key);
    q.done(key);
    expect(q.addRateLimited('ns/a')).toBe(5);
  });

  it('honours a minimum delay (Retry-After) above the backoff', () => {
    const { clock, q } = queue();
    expect(q.addRateLimited('ns/a', 30_000)).toBe(30_000);
    expect(clock.pendingDelays()).toEqual([30_000]);
  });

  it('on shutdown stops handing out keys, drops waiting ones and drains in-flight work', async () => {
    const { clock, q } = queue();
    q.add('ns/a');
    q.add('ns/b');
    q.addAfter('ns/c', 100);
    const inFlight = (await q.get())!;
    let idle = false;
    void q.drained().then(() => (idle = true));
    q.shutDown();
    expect(await q.get()).toBeUndefined();
    q.add('ns/d');
    expect(q.depth).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
    await settle();
    expect(idle).toBe(false);
    q.done(inFlight);
    await settle();
    expect(idle).toBe(true);
  });

  it('wakes a waiting worker when a key arrives and wakes all on shutdown', async () => {
    const { q } = queue();
    const got: (string | undefined)[] = [];
    void q.get().then((k) => got.push(k));
    void q.get().then((k) => got.push(k));
    q.add('ns/a');
    await settle();
    expect(got).toEqual(['ns/a']);
    q.shutDown();
    await settle();
    expect(got).toEqual(['ns/a', undefined]);
  });

  it('reports depth, wait time and retries through its hooks', async () => {
    const clock = new FakeClock();
    const depths: number[] = [];
    const waits: number[] = [];
    let retries = 0;
    const q = new WorkQueue(clock, defaultControllerRateLimiter(clock), {
      onDepth: (d) => depths.push(d),
      onDequeue: (ms) => waits.push(ms),
      onRetry: () => retries++,
    });
    q.add('ns/a');
    q.add('ns/b');
    await clock.advance(250);
    await q.get();
    q.addRateLimited('ns/z');
    expect(depths).toEqual([1, 2, 1]);
    expect(waits).toEqual([250]);
    expect(retries).toBe(1);
  });
});

describe('WorkQueue invariants (property)', () => {
  it('never hands out a key in flight, and every key added is eventually handed out after its last add', async () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), k: fc.constantFrom('a', 'b', 'c') }),
      fc.record({
        t: fc.constant('after' as const),
        k: fc.constantFrom('a', 'b', 'c'),
        ms: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({ t: fc.constant('take' as const) }),
      fc.record({ t: fc.constant('done' as const) }),
      fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const clock = new FakeClock();
        const q = new WorkQueue(clock, defaultControllerRateLimiter(clock));
        const inFlight = new Set<string>();
        const pendingSince = new Set<string>(); // added (now or delayed) but not yet handed out since
        const tryTake = async (): Promise<void> => {
          if (q.depth === 0) return;
          const k = (await q.get())!;
          if (inFlight.has(k)) throw new Error(`key ${k} handed out twice`);
          inFlight.add(k);
          pendingSince.delete(k);
        };
        const finish = (k: string): void => {
          inFlight.delete(k);
          q.done(k);
        };
        for (const o of ops) {
          if (o.t === 'add') {
            q.add(o.k);
            pendingSince.add(o.k);
          } else if (o.t === 'after') {
            q.addAfter(o.k, o.ms);
            pendingSince.add(o.k);
          } else if (o.t === 'take') {
            await tryTake();
          } else if (o.t === 'done') {
            const [k] = inFlight;
            if (k !== undefined) finish(k);
          } else {
            await clock.advance(o.ms);
          }
        }
        // Drain: finish everything, let delays expire, take what is left.
        for (const k of [...inFlight]) finish(k);
        await clock.advance(1000);
        while (q.depth > 0) {
          await tryTake();
          for (const k of [...inFlight]) finish(k);
        }
        return pendingSince.size === 0;
      }),
      { numRuns: 200 },
    );
  });
});
