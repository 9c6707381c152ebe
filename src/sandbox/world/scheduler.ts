// Timers on the virtual clock. When the clock advances, every timer that fell due runs in due-time
// order with its own due time as "now", so a poll every 60 s still happens 60 times when a scenario
// jumps an hour ahead. Timers scheduled by a running timer run in the same advance if they fall due.
// A binary heap keeps this cheap with thousands of polling agents (the benchmark's 1,000 clusters).
import type { VirtualClock } from '../clock.js';

type Task = (at: Date) => void;

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly task: Task;
}

/** Upper bound on timers run by one advance: a guard against a mis-scheduled zero-interval loop. */
const MAX_TIMERS_PER_ADVANCE = 5_000_000;

function earlier(a: Timer, b: Timer): boolean {
  return a.due < b.due || (a.due === b.due && a.id < b.id);
}

export class Scheduler {
  private heap: Timer[] = [];
  private readonly cancelled = new Set<number>();
  private nextId = 1;
  private running = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly clock: VirtualClock) {
    this.unsubscribe = clock.onAdvance((now) => this.runDue(now.getTime()));
  }

  now(): Date {
    return this.clock.now();
  }

  /** Runs `task` at `at`: on the clock advance that reaches it (or `flush()` once it is due). */
  at(at: Date, task: Task): number {
    const id = this.nextId++;
    this.push({ id, due: at.getTime(), task });
    return id;
  }

  after(ms: number, task: Task): number {
    return this.at(new Date(this.clock.now().getTime() + Math.max(0, ms)), task);
  }

  cancel(id: number | undefined): void {
    if (id !== undefined) this.cancelled.add(id);
  }

  /** Timers not yet run nor cancelled. */
  pending(): number {
    return this.heap.filter((t) => !this.cancelled.has(t.id)).length;
  }

  /** Runs timers already due (due time ≤ now) without advancing the clock. */
  flush(): void {
    this.runDue(this.clock.now().getTime());
  }

  dispose(): void {
    this.unsubscribe();
    this.heap = [];
    this.cancelled.clear();
  }

  private runDue(now: number): void {
    if (this.running) return;
    this.running = true;
    try {
      for (let ran = 0; ran < MAX_TIMERS_PER_ADVANCE; ran += 1) {
        const next = this.heap[0];
        if (next === undefined || next.due > now) return;
        this.pop();
        if (this.cancelled.delete(next.id)) continue;
        next.task(new Date(next.due));
      }
      throw new Error('scheduler: too many timers in one clock advance (a zero-interval loop?)');
    } finally {
      this.running = false;
    }
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      const c = heap[i];
      if (p === undefined || c === undefined || !earlier(c, p)) break;
      heap[parent] = c;
      heap[i] = p;
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      const s = heap[smallest];
      const l = heap[left];
      const r = heap[right];
      if (l !== undefined && s !== undefined && earlier(l, s)) smallest = left;
      const s2 = heap[smallest];
      if (r !== undefined && s2 !== undefined && earlier(r, s2)) smallest = right;
      if (smallest === i) return;
      const a = heap[i];
      const b = heap[smallest];
      if (a === undefined || b === undefined) return;
      heap[i] = b;
      heap[smallest] = a;
      i = smallest;
    }
  }
}
