// Timers on the virtual clock. When the clock advances, every timer that fell due runs in due-time
// order with its own due time as "now", so a poll every 60 s still happens 60 times when a scenario
// jumps an hour ahead. Timers scheduled by a running timer run in the same advance if they fall due.
import type { VirtualClock } from '../clock.js';

type Task = (at: Date) => void;

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly task: Task;
}

/** Upper bound on timers run by one advance: a guard against a mis-scheduled zero-interval loop. */
const MAX_TIMERS_PER_ADVANCE = 1_000_000;

export class Scheduler {
  private timers: Timer[] = [];
  private nextId = 1;
  private running = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly clock: VirtualClock) {
    this.unsubscribe = clock.onAdvance((now) => this.runDue(now.getTime()));
  }

  now(): Date {
    return this.clock.now();
  }

  /** Runs `task` at `at` (or at once, synchronously, when `at` is not in the future and no timer is running). */
  at(at: Date, task: Task): number {
    const id = this.nextId++;
    this.timers.push({ id, due: at.getTime(), task });
    return id;
  }

  after(ms: number, task: Task): number {
    return this.at(new Date(this.clock.now().getTime() + Math.max(0, ms)), task);
  }

  cancel(id: number | undefined): void {
    if (id === undefined) return;
    this.timers = this.timers.filter((timer) => timer.id !== id);
  }

  /** Runs timers already due (due time ≤ now) without advancing the clock. */
  flush(): void {
    this.runDue(this.clock.now().getTime());
  }

  dispose(): void {
    this.unsubscribe();
    this.timers = [];
  }

  private runDue(now: number): void {
    if (this.running) return;
    this.running = true;
    try {
      for (let ran = 0; ran < MAX_TIMERS_PER_ADVANCE; ran += 1) {
        let next: Timer | undefined;
        for (const timer of this.timers) {
          if (
            timer.due <= now &&
            (next === undefined || timer.due < next.due || (timer.due === next.due && timer.id < next.id))
          ) {
            next = timer;
          }
        }
        if (next === undefined) return;
        const chosen = next;
        this.timers = this.timers.filter((timer) => timer.id !== chosen.id);
        chosen.task(new Date(chosen.due));
      }
      throw new Error('scheduler: too many timers in one clock advance (a zero-interval loop?)');
    } finally {
      this.running = false;
    }
  }
}
