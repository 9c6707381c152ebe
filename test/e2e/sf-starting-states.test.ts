// Conversion from the documented starting states other than the seed's (azure.md §1.5): the vault's
// latest version (the goal) is not the certificate the cluster uses. The operator must install the goal
// on every node type, reach a valid starting state with the documented add/swap/remove upgrades, then
// convert — and the availability oracle must never be false on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfHarness } from './harness.js';

interface Run {
  readonly harness: SfHarness;
  readonly goal: string;
  readonly old: string;
  readonly declarations: string[];
}

async function convertWithGoal(notBeforeShiftMs: number | undefined): Promise<Run> {
  const harness = await SfHarness.start();
  const old = harness.cluster().properties().certificate?.thumbprint ?? '';
  const vault = harness.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  const name = harness.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
  const current = harness.versions().at(-1);
  // An hour later, so a renewal without an override has a strictly later NotBefore.
  await harness.waitVirtual(3600_000);
  // The vault renews before the operator ever runs: goal ≠ the certificate in use.
  const renewed = await harness.sandbox.azure.world.certificates.renewNow(
    vault,
    name,
    notBeforeShiftMs === undefined || current === undefined
      ? {}
      : { notBefore: new Date(current.notBefore.getTime() + notBeforeShiftMs) },
  );
  const declarations: string[] = [];
  const record = (): void => {
    const c = harness.cluster().properties();
    const d =
      c.certificateCommonNames !== undefined && c.certificateCommonNames !== null
        ? 'CN'
        : [c.certificate?.thumbprint, c.certificate?.thumbprintSecondary]
            .map((t) => (t === undefined ? '-' : t === old ? 'OLD' : t === renewed.thumbprint ? 'GOAL' : '?'))
            .join('/');
    if (declarations.at(-1) !== d) declarations.push(d);
  };
  record();
  await harness.startOperator();
  await harness.waitFor(
    'conversion',
    () => {
      record();
      return harness.converged();
    },
    100_000,
  );
  record();
  return { harness, goal: renewed.thumbprint, old, declarations };
}

describe('conversion when the goal certificate is newer (later NotBefore) than the one in use', () => {
  let run: Run;
  beforeAll(async () => {
    run = await convertWithGoal(undefined);
  }, 130_000);
  afterAll(async () => {
    await Promise.all(run?.harness.operators.map((o) => o.kill()) ?? []);
    await run?.harness.close();
  });

  it('adds the goal as secondary, converts, and never loses availability', () => {
    // [SF-TP2CN] "TP: Old1, Sec: None, Goal NotBefore later" → "TP: Old1, Sec: Goal" is a valid start.
    expect(run.declarations).toEqual(['OLD/-', 'OLD/GOAL', 'CN']);
    expect(run.harness.everUnavailable()).toBe(false);
    expect(run.harness.presented().every((t) => t === run.goal)).toBe(true);
  });
});

describe('conversion when the goal certificate has an earlier NotBefore than the one in use', () => {
  let run: Run;
  beforeAll(async () => {
    run = await convertWithGoal(-24 * 3600_000);
  }, 130_000);
  afterAll(async () => {
    await Promise.all(run?.harness.operators.map((o) => o.kill()) ?? []);
    await run?.harness.close();
  });

  it('makes the goal primary, drops the old one, converts, and never loses availability', () => {
    // [SF-TP2CN] "TP: Old1, Sec: None, Old1 NotBefore later" → "TP: Goal, Sec: Old1" → "TP: Goal".
    expect(run.declarations).toEqual(['OLD/-', 'GOAL/OLD', 'GOAL/-', 'CN']);
    expect(run.harness.everUnavailable()).toBe(false);
  });

  it('reports that the nodes keep presenting the old certificate (RenewalNotPresented)', () => {
    // Declared by common name, a node presents the matching certificate with the newest NotBefore
    // [SF-CERTS]: the old one, still in the stores, wins over the goal.
    expect(run.harness.presented().every((t) => t === run.old)).toBe(true);
    expect(
      run.harness.hazards().some((h) => h.reason === 'RenewalNotPresented' && h.severity === 'warning'),
    ).toBe(true);
  });
});
