// End to end: the operator is crashed (SIGKILL) the instant Azure accepts the first write of each step —
// before the response even reaches it, so it never learns the write succeeded and its status holds no
// resume token — and a new process is started. The conversion must still converge, with every write made
// exactly once (re-derived from Azure, never repeated) and none skipped, and the availability oracle never
// false. Writes are counted both at the ARM front door and in the simulated resources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Step } from '../../src/domain/names.js';
import { SfHarness, WRITE } from './harness.js';

interface Crash {
  readonly operation: string;
  readonly step: string | undefined;
}

/** The first poll of the conversion's cluster operation (the operator holds its resume token). */
const CLUSTER_POLL = 'cluster operation poll';

let harness: SfHarness;
const crashes: Crash[] = [];
let restarts = 0;
let converged = false;
let failure: string | undefined;

beforeAll(async () => {
  harness = await SfHarness.start();
  const counters = harness.sandbox.azure.counters;
  const record = counters.record.bind(counters);
  // The conversion's cluster write is crashed on at its first operation poll instead of the write
  // itself: the emulator's cluster operation only completes when polled (see the report), so a crash at
  // the write would leave `provisioningState: Updating` forever.
  const crashOn = new Set<string>([WRITE.accessPolicy, WRITE.roleAssignment, WRITE.scaleSet, CLUSTER_POLL]);
  let clusterWritten = false;
  // The emulator counts a request just before it sends the answer: killing here is a crash right after
  // Azure took the change and before the operator could record anything about it.
  counters.record = (service, operation, status) => {
    record(service, operation, status);
    if (service !== 'arm' || status < 200 || status >= 300) return;
    if (operation === WRITE.cluster) clusterWritten = true;
    const trigger =
      clusterWritten && /^ARM\/operation(Statuses|Results)\/read$/.test(operation) ? CLUSTER_POLL : operation;
    if (!crashOn.has(trigger)) return;
    crashOn.delete(trigger);
    operation = trigger;
    const current = harness.operators.at(-1);
    crashes.push({ operation, step: harness.status()?.currentStep as string | undefined });
    current?.child.kill('SIGKILL');
  };
  try {
    await harness.startOperator();
    const deadline = Date.now() + 100_000;
    while (Date.now() < deadline && !harness.converged()) {
      const current = harness.operators.at(-1);
      if (current?.exited === true) {
        restarts += 1;
        await harness.startOperator();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    converged = harness.converged();
    if (!converged) failure = JSON.stringify(harness.statusSummary());
  } catch (err: unknown) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    counters.record = record;
    await Promise.all(harness.operators.map((o) => o.kill()));
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('a crash right after each step sent its first change', () => {
  it('crashed once per step that writes, and every restart converges', () => {
    expect(failure).toBeUndefined();
    expect(converged).toBe(true);
    // GrantVaultAccess (access policy or role assignment), InstallKeyVaultExtension, the conversion.
    expect(crashes.map((c) => c.operation)).toEqual(expect.arrayContaining([WRITE.scaleSet, CLUSTER_POLL]));
    expect(
      crashes.some((c) => c.operation === WRITE.accessPolicy || c.operation === WRITE.roleAssignment),
    ).toBe(true);
    expect(restarts).toBe(crashes.length);
  });

  it('never repeats a write: one vault grant, one PATCH per scale set, one cluster write', () => {
    expect(harness.accepted(WRITE.accessPolicy) + harness.accepted(WRITE.roleAssignment)).toBe(1);
    expect(harness.accepted(WRITE.scaleSet)).toBe(2);
    expect(harness.scaleSetWrites()).toEqual({ nt1vm: 1, nt2vm: 1 });
    expect(harness.accepted(WRITE.cluster)).toBe(1);
    expect(harness.clusterUpgrades()).toBe(1);
  });

  it('skips no step: every step is done and the cluster and scale sets are in the end state', () => {
    const steps = (harness.status()?.plan?.steps ?? []) as { name: string; state: string }[];
    expect(steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      `${Step.GrantVaultAccess}:done`,
      `${Step.InstallGoalCertificate}:done`,
      `${Step.ReachValidStartingState}:done`,
      `${Step.InstallKeyVaultExtension}:done`,
      `${Step.ConvertClusterToCommonName}:done`,
      `${Step.Steady}:current`,
    ]);
    const props = harness.cluster().properties();
    expect(props.certificate ?? undefined).toBeUndefined();
    expect(props.certificateCommonNames?.commonNames?.map((c) => c.certificateIssuerThumbprint)).toEqual([
      harness.sandbox.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT,
    ]);
    for (const s of harness.sandbox.sim.clusterScaleSets(harness.cluster())) {
      const extensions = s.resource.properties?.virtualMachineProfile?.extensionProfile?.extensions ?? [];
      expect(extensions.map((e) => e.properties?.publisher)).toContain('Microsoft.Azure.KeyVault');
      const secrets = s.resource.properties?.virtualMachineProfile?.osProfile?.secrets ?? [];
      expect(secrets.flatMap((x) => x.vaultCertificates ?? [])).toEqual([]);
    }
  });

  it('keeps the cluster available throughout, and every node presents the vault certificate', () => {
    expect(harness.everUnavailable()).toBe(false);
    const latest = harness.versions().at(-1)?.thumbprint;
    expect(harness.presented().every((t) => t === latest)).toBe(true);
  });
});
