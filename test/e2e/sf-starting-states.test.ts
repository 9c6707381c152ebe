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

interface TwoCertificateRun {
  readonly harness: SfHarness;
  /** The declaration when the resource was switched to CommonName. */
  readonly atSwitch: string;
  /** The declarations the cluster went through after the switch, last one CN. */
  readonly declarations: readonly string[];
}

/**
 * Reaches a two-certificate declaration with the operator's own actions: in `mode: Thumbprint` it rolls a
 * renewal in until the cluster declares both certificates; then it is stopped, optionally the vault renews
 * once more (the goal is then a third certificate: "two old certificates"), and the resource is switched to
 * CommonName (a spec edit mid-rotation) and the operator restarted.
 */
async function convertFromTwoCertificates(renewAgain: boolean): Promise<TwoCertificateRun> {
  const harness = await SfHarness.start({
    edit: (r) => {
      r.spec.mode = 'Thumbprint';
    },
  });
  const vault = harness.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  const name = harness.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
  const labels = new Map<string, string>([
    [harness.cluster().properties().certificate?.thumbprint ?? '', 'V1'],
  ]);
  const declaration = (): string => {
    const c = harness.cluster().properties();
    if (c.certificateCommonNames !== undefined && c.certificateCommonNames !== null) return 'CN';
    const label = (t: string | undefined) => (t === undefined ? '-' : (labels.get(t) ?? '?'));
    return `${label(c.certificate?.thumbprint)}/${label(c.certificate?.thumbprintSecondary)}`;
  };
  const operator = await harness.startOperator();
  await harness.waitFor('thumbprint mode steady', () => harness.status()?.phase === 'Steady', 60_000);
  await harness.waitVirtual(3600_000);
  labels.set((await harness.sandbox.azure.world.certificates.renewNow(vault, name)).thumbprint, 'V2');
  await harness.waitFor(
    'both certificates declared, cluster Ready',
    () =>
      declaration()
        .split('/')
        .every((d) => d === 'V1' || d === 'V2') && harness.cluster().clusterState() === 'Ready',
    80_000,
  );
  await operator.kill();
  const atSwitch = declaration();
  if (renewAgain) {
    await harness.waitVirtual(3600_000);
    labels.set((await harness.sandbox.azure.world.certificates.renewNow(vault, name)).thumbprint, 'V3');
  }
  // A spec edit, as `kubectl patch --type=merge` sends it.
  const api = harness.sandbox.kube.api;
  const type = api.resolve('kvrollover.io', 'v1alpha1', 'servicefabriccertificaterotations');
  if (type === undefined) throw new Error('the CRD is not served');
  api.patch(type, 'default', 'kvr-demo-cluster', undefined, 'merge', { spec: { mode: 'CommonName' } });
  const declarations: string[] = [];
  await harness.startOperator();
  await harness.waitFor(
    'conversion',
    () => {
      const d = declaration();
      if (declarations.at(-1) !== d) declarations.push(d);
      return harness.converged();
    },
    80_000,
  );
  return { harness, atSwitch, declarations };
}

describe('conversion from a cluster that declares the old and the goal certificate', () => {
  // [SF-TP2CN]: "TP: Old1, Sec: Goal" (and "TP: Goal, Sec: Old1", if the swap was already sent when the
  // operator stopped) are valid starting states: converted directly, at most dropping the old one first.
  let run: TwoCertificateRun;
  beforeAll(async () => {
    run = await convertFromTwoCertificates(false);
  }, 170_000);
  afterAll(async () => {
    await run?.harness.close();
  });

  it('converts without losing availability', () => {
    expect(['V1/V2', 'V2/V1']).toContain(run.atSwitch);
    expect(run.declarations.at(-1)).toBe('CN');
    expect(run.declarations.slice(0, -1).every((d) => ['V1/V2', 'V2/V1', 'V2/-'].includes(d))).toBe(true);
    expect(run.harness.everUnavailable()).toBe(false);
  });
});

describe('conversion from a cluster that declares two old certificates', () => {
  // [SF-TP2CN]: "TP: Old1, Sec: Old2" → remove one → "TP: OldX, Sec: None" → continue from there: the
  // goal (V3) is installed, brought in by the documented add/swap/remove upgrades, then converted.
  let run: TwoCertificateRun;
  beforeAll(async () => {
    run = await convertFromTwoCertificates(true);
  }, 170_000);
  afterAll(async () => {
    await run?.harness.close();
  });

  it('drops one old certificate, brings the goal in, converts, and never loses availability', () => {
    expect(['V1/V2', 'V2/V1']).toContain(run.atSwitch);
    // First move: one of the two old certificates is removed (no in-place replacement).
    expect(['V1/-', 'V2/-']).toContain(run.declarations.find((d) => d !== run.atSwitch));
    expect(run.declarations.some((d) => d.includes('V3'))).toBe(true);
    expect(run.declarations.at(-1)).toBe('CN');
    expect(run.harness.everUnavailable()).toBe(false);
  });
});
