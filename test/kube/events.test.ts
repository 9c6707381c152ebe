// The event recorder's series memory: repeats of one event (same object, type, reason, action, note)
// bump a series; distinct notes are distinct events; the memory is bounded, and a series pushed out has
// its pending count written first (nothing counted is lost), after which a repeat starts a new Event.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SERVICE_FABRIC_KIND } from './emulator-helpers.js';
import { FakeClock } from '../../src/kube/clock.js';
import { EventRecorder, type EventBody, type EventClient } from '../../src/kube/events.js';
import type { KubeObject } from '../../src/kube/types.js';

class RecordingClient implements EventClient {
  readonly created: EventBody[] = [];
  readonly patched: { name: string; count: number }[] = [];
  create(_namespace: string, body: EventBody): Promise<void> {
    this.created.push(body);
    return Promise.resolve();
  }
  patchSeries(_namespace: string, name: string, series: { count: number }): Promise<void> {
    this.patched.push({ name, count: series.count });
    return Promise.resolve();
  }
}

const object = (name: string): KubeObject => ({
  apiVersion: 'kvrollover.io/v1alpha1',
  kind: 'ServiceFabricCertificateRotation',
  metadata: { name, namespace: 'team-a', uid: `uid-${name}`, resourceVersion: '1' },
});

function recorder(maxSeries?: number): { rec: EventRecorder; client: RecordingClient; clock: FakeClock } {
  const client = new RecordingClient();
  const clock = new FakeClock();
  const rec = new EventRecorder(client, {
    clock,
    log: pino({ level: 'silent' }),
    controller: 'kvrollover.io/kv-rollover',
    instance: 'test',
    ...(maxSeries !== undefined ? { maxSeries } : {}),
  });
  return { rec, client, clock };
}

describe('EventRecorder series', () => {
  it('aggregates repeats of the same note and keeps distinct notes apart', async () => {
    const { rec, client } = recorder();
    const events = rec.forObject(SERVICE_FABRIC_KIND, object('a'));
    events.normal('StepExecuted', 'InstallGoalCertificate', 'Patched 2 scale sets');
    events.normal('StepExecuted', 'InstallGoalCertificate', 'Patched 2 scale sets');
    events.normal('StepExecuted', 'InstallGoalCertificate', 'Patched 3 scale sets');
    await rec.flush();
    expect(client.created.map((e) => e.note)).toEqual(['Patched 2 scale sets', 'Patched 3 scale sets']);
    expect(client.patched).toEqual([{ name: client.created[0]!.metadata.name, count: 2 }]);
    rec.stop();
  });

  it('remembers at most maxSeries series, writing the count of one it forgets', async () => {
    const { rec, client } = recorder(2);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => rec.forObject(SERVICE_FABRIC_KIND, object(n)));
    a!.warning('PermissionDenied', 'GrantVaultAccess', 'denied');
    a!.warning('PermissionDenied', 'GrantVaultAccess', 'denied');
    b!.warning('PermissionDenied', 'GrantVaultAccess', 'denied');
    c!.warning('PermissionDenied', 'GrantVaultAccess', 'denied'); // a's series is forgotten
    await rec.flush();
    const firstOfA = client.created[0]!.metadata.name;
    expect(client.patched).toEqual([{ name: firstOfA, count: 2 }]);

    a!.warning('PermissionDenied', 'GrantVaultAccess', 'denied'); // a new Event, not a bump
    await rec.flush();
    expect(client.created.map((e) => e.regarding.name)).toEqual(['a', 'b', 'c', 'a']);
    expect(client.created[3]!.metadata.name).not.toBe(firstOfA);
    expect(client.patched).toHaveLength(1);
    rec.stop();
  });

  it('forgets expired series before pushing out live ones', async () => {
    const { rec, client, clock } = recorder(2);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => rec.forObject(SERVICE_FABRIC_KIND, object(n)));
    a!.normal('StepExecuted', 'X', 'old');
    await clock.advance(7 * 60_000); // past the 6-minute series window
    b!.normal('StepExecuted', 'X', 'live');
    c!.normal('StepExecuted', 'X', 'live'); // room made by dropping a (expired), not b
    b!.normal('StepExecuted', 'X', 'live'); // still a series: a bump, not a new Event
    await rec.flush();
    expect(client.created.map((e) => e.regarding.name)).toEqual(['a', 'b', 'c']);
    expect(client.patched).toEqual([{ name: client.created[1]!.metadata.name, count: 2 }]);
    rec.stop();
  });
});
