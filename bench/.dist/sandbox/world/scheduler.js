/** Upper bound on timers run by one advance: a guard against a mis-scheduled zero-interval loop. */
const MAX_TIMERS_PER_ADVANCE = 5_000_000;
function earlier(a, b) {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
}
export class Scheduler {
    clock;
    heap = [];
    cancelled = new Set();
    nextId = 1;
    running = false;
    unsubscribe;
    constructor(clock) {
        this.clock = clock;
        this.unsubscribe = clock.onAdvance((now) => this.runDue(now.getTime()));
    }
    now() {
        return this.clock.now();
    }
    /** Runs `task` at `at`: on the clock advance that reaches it (or `flush()` once it is due). */
    at(at, task) {
        const id = this.nextId++;
        this.push({ id, due: at.getTime(), task });
        return id;
    }
    after(ms, task) {
        return this.at(new Date(this.clock.now().getTime() + Math.max(0, ms)), task);
    }
    cancel(id) {
        if (id !== undefined)
            this.cancelled.add(id);
    }
    /** Timers not yet run nor cancelled. */
    pending() {
        return this.heap.filter((t) => !this.cancelled.has(t.id)).length;
    }
    /** Runs timers already due (due time ≤ now) without advancing the clock. */
    flush() {
        this.runDue(this.clock.now().getTime());
    }
    dispose() {
        this.unsubscribe();
        this.heap = [];
        this.cancelled.clear();
    }
    runDue(now) {
        if (this.running)
            return;
        this.running = true;
        try {
            for (let ran = 0; ran < MAX_TIMERS_PER_ADVANCE; ran += 1) {
                const next = this.heap[0];
                if (next === undefined || next.due > now)
                    return;
                this.pop();
                if (this.cancelled.delete(next.id))
                    continue;
                next.task(new Date(next.due));
            }
            throw new Error('scheduler: too many timers in one clock advance (a zero-interval loop?)');
        }
        finally {
            this.running = false;
        }
    }
    push(timer) {
        const heap = this.heap;
        heap.push(timer);
        let i = heap.length - 1;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            const p = heap[parent];
            const c = heap[i];
            if (p === undefined || c === undefined || !earlier(c, p))
                break;
            heap[parent] = c;
            heap[i] = p;
            i = parent;
        }
    }
    pop() {
        const heap = this.heap;
        const last = heap.pop();
        if (last === undefined || heap.length === 0)
            return;
        heap[0] = last;
        let i = 0;
        for (;;) {
            const left = 2 * i + 1;
            const right = left + 1;
            let smallest = i;
            const s = heap[smallest];
            const l = heap[left];
            const r = heap[right];
            if (l !== undefined && s !== undefined && earlier(l, s))
                smallest = left;
            const s2 = heap[smallest];
            if (r !== undefined && s2 !== undefined && earlier(r, s2))
                smallest = right;
            if (smallest === i)
                return;
            const a = heap[i];
            const b = heap[smallest];
            if (a === undefined || b === undefined)
                return;
            heap[i] = b;
            heap[smallest] = a;
            i = smallest;
        }
    }
}
//# sourceMappingURL=scheduler.js.map