// `kv-rollover renew` against the sandbox Kubernetes API (the real client-node client over HTTPS, from
// KUBECONFIG), and the controller-side rules: which token is still to act on, and the issuance backoff.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { crdObjects } from '../../src/api/crds.js';
import { renewCommand, renewToken } from '../../src/cli/commands/renew.js';
import { DEFAULT_REQUEUE, issuanceBackoffMs } from '../../src/controllers/service-fabric/controller.js';
import { pendingRenewalToken } from '../../src/controllers/renew.js';
import {
  API_GROUP,
  API_VERSION,
  Annotation,
  KIND_SERVICE_FABRIC,
  PLURAL_SERVICE_FABRIC,
} from '../../src/domain/names.js';
import type { KubeObject } from '../../src/kube/types.js';
import { startKubeApiServer, type KubeSandbox } from '../../src/sandbox/kube/index.js';

const TP = '8A2F4C6E1B3D5F7A9C0E2B4D6F8A1C3E5B7D9F02';

function rotation(name: string, namespace = 'default') {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND_SERVICE_FABRIC,
    metadata: { name, namespace },
    spec: {
      azure: { subscriptionId: '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60', resourceGroup: 'kvr-rg' },
      cluster: { name: 'sf-cluster', nodeTypes: [{ name: 'nt1', vmssName: 'nt1vm' }] },
      certificate: {
        vault: 'kvr-vault',
        name: 'cluster-cert',
        commonName: 'cluster.contoso.com',
        issuerThumbprints: [TP],
      },
      mode: 'CommonName',
      identity: {
        resourceId:
          '/subscriptions/5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60/resourceGroups/kvr-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kvr-id',
        grantVaultAccess: true,
      },
    },
  };
}

let kube: KubeSandbox;
let dir: string;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  kube = await startKubeApiServer({ crds: crdObjects(), namespaces: ['team-a'] });
  dir = await mkdtemp(path.join(tmpdir(), 'kvr-renew-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfig);
  process.env.KUBECONFIG = kubeconfig;
  kube.createObject(rotation('by-name'));
  kube.createObject(rotation('by-file', 'team-a'));
}, 30_000);

afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await kube?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function annotationOf(name: string, namespace = 'default'): string | undefined {
  const type = kube.api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC)!;
  return kube.api.get(type, namespace, name).metadata.annotations?.[Annotation.RenewRequested];
}

describe('kv-rollover renew', () => {
  it('sets a fresh token on a resource named on the command line, a new one each time', async () => {
    expect(await renewCommand(['by-name', '-n', 'default'])).toBe(0);
    const first = annotationOf('by-name');
    expect(first).toEqual(expect.any(String));
    expect(await renewCommand(['by-name'])).toBe(0);
    const second = annotationOf('by-name');
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
  });

  it('takes the resource from -f FILE, in its own namespace, leaving the spec alone', async () => {
    const file = path.join(dir, 'rotation.yaml');
    await writeFile(file, stringify(rotation('by-file', 'team-a')));
    const type = kube.api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC)!;
    const before = kube.api.get(type, 'team-a', 'by-file');
    expect(await renewCommand(['-f', file])).toBe(0);
    const after = kube.api.get(type, 'team-a', 'by-file');
    expect(after.metadata.annotations?.[Annotation.RenewRequested]).toEqual(expect.any(String));
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('fails for a resource that does not exist', async () => {
    expect(await renewCommand(['missing'])).toBe(1);
  });

  it('refuses unusable input', async () => {
    await expect(renewCommand([])).rejects.toThrow(/NAME or -f FILE/);
    await expect(renewCommand(['a', '--kind', 'pods'])).rejects.toThrow(/--kind/);
  });
});

describe('renewal tokens', () => {
  const object = (token: string | undefined, handled: string | undefined): KubeObject => ({
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND_SERVICE_FABRIC,
    metadata: {
      name: 'r',
      namespace: 'default',
      ...(token === undefined ? {} : { annotations: { [Annotation.RenewRequested]: token } }),
    },
    ...(handled === undefined
      ? {}
      : { status: { renewal: { token: handled, requestedAt: '2026-01-01T00:00:00Z' } } }),
  });

  it('acts on a token only until status records it', () => {
    expect(pendingRenewalToken(object(undefined, undefined))).toBeUndefined();
    expect(pendingRenewalToken(object('', undefined))).toBeUndefined();
    expect(pendingRenewalToken(object('t1', undefined))).toBe('t1');
    expect(pendingRenewalToken(object('t1', 't1'))).toBeUndefined();
    expect(pendingRenewalToken(object('t2', 't1'))).toBe('t2');
  });

  it('makes unique tokens', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const tokens = new Set(Array.from({ length: 50 }, () => renewToken(now)));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t.startsWith('2026-05-01T10:00:00.000Z-')).toBe(true);
  });
});

describe('issuance backoff', () => {
  it('doubles per failure from the operation interval and is capped', () => {
    const intervals = { operationMs: 1_000, waitingMs: 3_000, steadyMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => issuanceBackoffMs(n, intervals))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(issuanceBackoffMs(30, intervals)).toBe(60_000);
    expect(issuanceBackoffMs(100, DEFAULT_REQUEUE)).toBeLessThanOrEqual(DEFAULT_REQUEUE.steadyMs);
  });
});
