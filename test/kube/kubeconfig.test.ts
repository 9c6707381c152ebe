// PooledKubeConfig: client-node makes a new undici Agent per request; ours reuses one connection pool
// per TLS identity, so a burst of API calls opens a handful of connections instead of one each.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PooledKubeConfig } from '../../src/kube/kubeconfig.js';
import type { KubeSandbox } from '../../src/sandbox/kube/index.js';
import { startEmulator } from './emulator-helpers.js';

let kube: KubeSandbox;

beforeAll(async () => {
  kube = await startEmulator();
});

afterAll(async () => {
  await kube.close();
});

async function connectionsFor(kc: KubeConfig, requests: number): Promise<number> {
  kc.loadFromString(kube.kubeconfigYaml());
  const core = kc.makeApiClient(CoreV1Api);
  const before = kube.connectionsAccepted();
  for (let i = 0; i < requests; i++) {
    const ns = await core.readNamespace({ name: 'team-a' });
    expect(ns.metadata?.name).toBe('team-a');
  }
  return kube.connectionsAccepted() - before;
}

describe('PooledKubeConfig', () => {
  it('serves sequential requests over the connections it already has', async () => {
    const kc = new PooledKubeConfig();
    // The first exchange may open a second connection before the first is back in the pool.
    expect(await connectionsFor(kc, 20)).toBeLessThanOrEqual(2);
    expect(await connectionsFor(kc, 20)).toBe(0);
    await kc.closeConnections();
  });

  it('is what makes the difference: plain KubeConfig opens one connection per request', async () => {
    expect(await connectionsFor(new KubeConfig(), 5)).toBe(5);
  });
});
