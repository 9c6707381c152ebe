import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/sandbox/clock.js';
import { Scheduler } from '../../../src/sandbox/world/scheduler.js';
import { T0 } from './fixtures.js';

describe('scheduler on the virtual clock', () => {
  it('runs due timers in due-time order, each at its own time, including ones scheduled meanwhile', () => {
    const clock = new VirtualClock(T0);
    const scheduler = new Scheduler(clock);
    const seen: [string, number][] = [];
    const at = (ms: number): Date => new Date(T0.getTime() + ms);
    scheduler.at(at(300), (when) => seen.push(['c', when.getTime() - T0.getTime()]));
    scheduler.at(at(100), (when) => {
      seen.push(['a', when.getTime() - T0.getTime()]);
      scheduler.at(at(200), (w) => seen.push(['b', w.getTime() - T0.getTime()]));
    });
    const cancelled = scheduler.at(at(150), () => seen.push(['x', 0]));
    scheduler.cancel(cancelled);
    scheduler.at(at(1000), () => seen.push(['later', 0]));
    clock.advance(500);
    expect(seen).toEqual([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    expect(scheduler.pending()).toBe(1);
  });

  it('keeps a periodic task exact over a long jump, and flush runs what is already due', () => {
    const clock = new VirtualClock(T0);
    const scheduler = new Scheduler(clock);
    let runs = 0;
    const tick = (when: Date): void => {
      runs += 1;
      scheduler.at(new Date(when.getTime() + 60_000), tick);
    };
    scheduler.at(T0, tick);
    scheduler.flush();
    expect(runs).toBe(1);
    clock.advance(24 * 3_600_000);
    expect(runs).toBe(1 + 24 * 60);
  });
});
