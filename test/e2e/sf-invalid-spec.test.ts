// End to end: a spec the API server accepts (every field matches the CRD schema) but the operator's own
// validation refuses — a maintenance window in a time zone that does not exist. The resource ends Stalled
// with a message naming the field, and the operator sends nothing to Azure, ever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hazard, Phase } from '../../src/domain/names.js';
import { SfHarness, type Json } from './harness.js';

/** Matches the CRD's time-zone pattern, but is no IANA zone. */
const NO_SUCH_ZONE = 'Mars/Olympus_Mons';

let harness: SfHarness;
let failure: string | undefined;
let armRequests = 0;

beforeAll(async () => {
  harness = await SfHarness.start({
    edit: (r: Json) => {
      r.spec.policy.maintenanceWindows = [
        { days: ['Sat', 'Sun'], start: '02:00', duration: '4h', timezone: NO_SUCH_ZONE },
      ];
    },
  });
  failure = await harness.story(async () => {
    // Accepted by the API server: the object exists before any operator runs.
    expect(harness.resource()?.spec?.policy?.maintenanceWindows?.[0]?.timezone).toBe(NO_SUCH_ZONE);
    await harness.startOperator();
    await harness.waitFor('Stalled', () => harness.condition('Stalled')?.status === 'True');
    // Several more step-poll periods (1 s) and a virtual hour: still nothing sent.
    await harness.waitVirtual(3600 * 1000);
    armRequests = harness.armWritesAttempted();
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('a spec the API server accepts but the operator refuses', () => {
  it('ends Stalled with a message naming the field', () => {
    expect(failure).toBeUndefined();
    expect(harness.status()?.phase).toBe(Phase.Stalled);
    const stalled = harness.condition('Stalled');
    expect(stalled?.status).toBe('True');
    expect(stalled?.message).toContain('maintenanceWindows[0].timezone');
    expect(harness.condition('Ready')?.status).toBe('False');
    expect(harness.hazards().map((h) => h.reason)).toContain(Hazard.InvalidSpec);
    expect(harness.events().some((e) => e.type === 'Warning' && e.reason === Hazard.InvalidSpec)).toBe(true);
  });

  it('sends zero writes to Azure, and changes nothing in the world', () => {
    expect(armRequests).toBe(0);
    expect(harness.armWritesAttempted()).toBe(0);
    expect(
      harness.sandbox.azure.counters.total({
        service: 'vault',
        operation: /create|update|import|delete/i,
      }),
    ).toBe(0);
    expect(harness.scaleSetWrites()).toEqual({ nt1vm: 0, nt2vm: 0 });
    expect(harness.clusterUpgrades()).toBe(0);
    expect(harness.cluster().properties().certificate?.thumbprint).toBeDefined();
  });
});
