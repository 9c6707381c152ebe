import { describe, expect, it } from 'vitest';
import { phasedReconciler, type ReconcileContext } from '../../src/controllers/reconciler.js';

const ctx = {} as ReconcileContext;

describe('phasedReconciler', () => {
  it('runs gather → plan → execute → status in order and returns the status phase result', async () => {
    const order: string[] = [];
    const r = phasedReconciler<number, string, boolean>({
      gather: (key) => (order.push(`gather ${key}`), Promise.resolve(41)),
      plan: (observed) => (order.push(`plan ${observed}`), `step-${observed + 1}`),
      execute: (plan) => (order.push(`execute ${plan}`), Promise.resolve(true)),
      status: (plan, observed, outcome) => (
        order.push(`status ${plan} ${observed} ${outcome}`),
        Promise.resolve({ requeueAfterMs: 5 })
      ),
    });
    expect(await r.reconcile('ns/a', ctx)).toEqual({ requeueAfterMs: 5 });
    expect(order).toEqual(['gather ns/a', 'plan 41', 'execute step-42', 'status step-42 41 true']);
  });

  it('stops after gather when there is nothing to observe', async () => {
    let planned = false;
    const r = phasedReconciler<number, string, void>({
      gather: () => Promise.resolve(undefined),
      plan: () => ((planned = true), ''),
      execute: () => Promise.resolve(),
      status: () => Promise.resolve(),
    });
    expect(await r.reconcile('ns/gone', ctx)).toBeUndefined();
    expect(planned).toBe(false);
  });
});
