// The informer against the sandbox Kubernetes emulator, through the real @kubernetes/client-node
// transport: dropped watches resume without a relist, 410 relists, persistent errors make it not
// ready and it recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InformerCache, kubeSourceFactory } from '../../src/kube/cache.js';
import { systemRuntimeClock } from '../../src/kube/clock.js';
import type { KubeSandbox } from '../../src/sandbox/kube/index.js';
import { registry } from '../../src/observability/metrics.js';
import {
  SERVICE_FABRIC_KIND,
  SF_RESOURCE,
  createRotation,
  kubeConfigFor,
  silent,
  startEmulator,
  waitFor,
} from './emulator-helpers.js';

let kube: KubeSandbox;
beforeAll(async () => {
  kube = await startEmulator();
});
afterAll(async () => {
  await kube.close();
});

function cache(namespaces?: string[]): InformerCache {
  const c = new InformerCache(
    kubeSourceFactory(kubeConfigFor(kube)),
    namespaces,
    {
      clock: systemRuntimeClock,
      log: silent,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      jitter: 0,
      minWatchMs: 0,
    },
    silent,
  );
  c.ensureKind(SERVICE_FABRIC_KIND);
  return c;
}

const lists = (): number => kube.counters.count({ verb: 'list', resource: SF_RESOURCE });
const watches = (): number => kube.counters.count({ verb: 'watch', resource: SF_RESOURCE });
const names = (c: InformerCache): string[] =>
  c
    .list(SERVICE_FABRIC_KIND)
    .map((o) => o.metadata.name)
    .sort();

async function restarts(cause: string): Promise<number> {
  const m = await registry.getSingleMetric('kvrollover_watch_restarts_total')!.get();
  return m.values.filter((v) => v.labels.cause === cause).reduce((a, v) => a + v.value, 0);
}

describe('informer against the Kubernetes emulator', () => {
  it('resumes a dropped watch from its resourceVersion, relists after 410, and recovers from errors', async () => {
    createRotation(kube, 'one');
    const c = cache();
    const added: string[] = [];
    const deleted: string[] = [];
    c.addHandlers(SERVICE_FABRIC_KIND, {
      onAdd: (o) => added.push(o.metadata.name),
      onDelete: (o) => deleted.push(o.metadata.name),
    });
    kube.counters.reset();
    c.start();
    await c.waitForSync();
    expect(names(c)).toEqual(['one']);
    expect(c.isReady()).toBe(true);
    // The API server keeps managed fields; the cache drops them (the operator never reads them).
    expect(
      kube.api.list(kube.api.typeForKind('kvrollover.io/v1alpha1', 'ServiceFabricCertificateRotation')!, {})
        .items[0]?.metadata.managedFields,
    ).toBeDefined();
    expect(c.list(SERVICE_FABRIC_KIND)[0]?.metadata.managedFields).toBeUndefined();
    await waitFor('the watch to open', () => watches() === 1);

    // 1. Dropped watch: resumed from the last resourceVersion, no relist, no event missed.
    const droppedBefore = await restarts('dropped');
    expect(kube.faults.dropWatches()).toBeGreaterThan(0);
    createRotation(kube, 'two');
    await waitFor('the object created after the drop', () => names(c).includes('two'));
    expect(lists()).toBe(1);
    expect(watches()).toBeGreaterThanOrEqual(2);
    expect(await restarts('dropped')).toBeGreaterThan(droppedBefore);

    // 2. 410 Gone: while the watch is failing, an object is deleted and history compacted; the
    // resumed watch gets 410, the informer relists and reports the delete it missed.
    const errorsBefore = await restarts('error');
    const broken = kube.faults.inject({ verb: 'watch', resource: SF_RESOURCE, action: { status: 500 } });
    kube.faults.dropWatches();
    await waitFor('a failed watch', () => broken.hits >= 1);
    const sf = kube.api.resolve('kvrollover.io', 'v1alpha1', 'servicefabriccertificaterotations')!;
    kube.api.delete(sf, 'team-a', 'one', {});
    kube.faults.compact();
    broken.remove();
    await waitFor('the relist after 410', () => lists() === 2 && !names(c).includes('one'));
    expect(deleted).toEqual(['one']);
    expect(await restarts('error')).toBeGreaterThan(errorsBefore);

    // 3. 410 as an ERROR event on an open watch.
    kube.faults.compact();
    await waitFor('an open watch to expire', () => kube.faults.expireWatches() > 0);
    await waitFor('the relist after the ERROR 410 event', () => lists() === 3);

    // 4. Persistent failures (LIST and WATCH answer 500): not ready, retried with backoff, never silent;
    // then it recovers by itself and catches up.
    const down = kube.faults.inject({
      verb: ['list', 'watch'],
      resource: SF_RESOURCE,
      action: { status: 500 },
    });
    kube.faults.compact();
    kube.faults.dropWatches();
    await waitFor('not ready after repeated failures', () => !c.isReady());
    const hitsWhileDown = down.hits;
    await waitFor('more retries while down', () => down.hits >= hitsWhileDown + 2);
    createRotation(kube, 'three');
    down.remove();
    await waitFor('recovery', () => c.isReady() && names(c).includes('three'));
    expect(names(c)).toEqual(['three', 'two']);
    expect(added).toEqual(['one', 'two', 'three']);
    await c.stop();
  });

  it('watches only the listed namespaces', async () => {
    createRotation(kube, 'in-b', 'team-b');
    createRotation(kube, 'in-default', 'default');
    const c = cache(['team-b', 'default']);
    c.start();
    await c.waitForSync();
    expect(names(c)).toEqual(['in-b', 'in-default']);
    expect(
      c
        .statuses()
        .map((s) => s.resource)
        .sort(),
    ).toEqual(['servicefabriccertificaterotations@default', 'servicefabriccertificaterotations@team-b']);
    await c.stop();
  });
});
