// Randomised fault scenarios over the Service Fabric story (issue 8). CI runs a small fixed set of seeds;
// more on demand: `KVR_RELIABILITY_SEEDS=20 npx vitest run test/reliability` (seeds 1..N), or a single
// one to reproduce a failure: `KVR_RELIABILITY_SEED=1234 npx vitest run test/reliability`.
// Set KVR_RELIABILITY_REPORT=FILE to write the figures (scenarios, faults, losses, convergence times).
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { planScenario, runScenario, type ScenarioOutcome } from './harness.js';

// Fixed seeds: two replicas with dropped watches, Key Vault 429s, a crash, then same-issuer and
// declared-intermediate renewals (19); two replicas with a crash and a leader kill, then same-issuer and
// re-key renewals (96); and three regression seeds: a quarantined version that never settled because the
// cached bundle's `enabled` won over the versions list (2), a failed scale-set update that was never
// retried (46), a spec edit whose extension re-install raced an undeclared-issuer renewal and then could
// never sync against the quarantined newest version (152). See `planScenario`, and the README.
const CI_SEEDS = [2, 19, 46, 96, 152];

function seeds(): number[] {
  const one = process.env.KVR_RELIABILITY_SEED;
  if (one !== undefined && one !== '') return one.split(',').map(Number);
  const n = Number(process.env.KVR_RELIABILITY_SEEDS ?? '0');
  return n > 0 ? Array.from({ length: n }, (_, i) => i + 1) : CI_SEEDS;
}

const outcomes: ScenarioOutcome[] = [];
const onDemand = seeds() !== CI_SEEDS;

describe('reliability scenarios', () => {
  it('plans the same scenario from the same seed', () => {
    expect(planScenario(42)).toEqual(planScenario(42));
    const plans = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => planScenario(s));
    expect(new Set(plans.map((p) => JSON.stringify(p))).size).toBe(plans.length);
  });

  for (const seed of seeds()) {
    it(
      `seed ${seed}: converges, never loses availability, keeps order, loses nothing, leaks no key`,
      async () => {
        // The plan depends on the seed and these bounds only, so a seed reproduces anywhere.
        const outcome = await runScenario(seed, {
          maxRenewals: 2,
          maxFaults: 4,
          conversionTimeoutMs: onDemand ? 120_000 : 60_000,
          renewalTimeoutMs: onDemand ? 60_000 : 30_000,
        });
        outcomes.push(outcome);
        if (process.env.KVR_RELIABILITY_REPORT) {
          await writeFile(process.env.KVR_RELIABILITY_REPORT, `${JSON.stringify(outcomes, null, 2)}\n`);
        }
        const context = `seed ${seed} (reproduce: KVR_RELIABILITY_SEED=${seed} npx vitest run test/reliability); plan ${JSON.stringify(outcome.plan)}`;
        expect(outcome.failures, context).toEqual([]);
        expect(outcome.converged, context).toBe(true);
        expect(outcome.availabilityLosses, context).toBe(0);
        expect(outcome.faultsInjected, context).toBe(outcome.plan.faults.length);
      },
      onDemand ? 400_000 : 170_000,
    );
  }
});
