// Shared setup for the runtime's integration tests against the sandbox Kubernetes emulator.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { parse, parseAllDocuments } from 'yaml';
import { startKubeApiServer, type KubeSandbox } from '../../src/sandbox/kube/index.js';
import { SERVICE_FABRIC_KIND } from '../../src/cli/commands/run.js';
import type { KubeObject } from '../../src/kube/types.js';

export const silent = pino({ level: 'silent' });
export const SF_RESOURCE = 'servicefabriccertificaterotations.kvrollover.io';
export { SERVICE_FABRIC_KIND };

export function productCrds(): unknown[] {
  return readdirSync('crds')
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join('crds', f), 'utf8')).map((d) => d.toJS() as unknown))
    .filter((d) => d !== null);
}

export async function startEmulator(): Promise<KubeSandbox> {
  return startKubeApiServer({
    crds: productCrds(),
    namespaces: ['team-a', 'team-b'],
    bookmarkIntervalMs: 200,
  });
}

export function kubeConfigFor(kube: KubeSandbox): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml());
  return kc;
}

const SAMPLE = parse(
  readFileSync('deploy/samples/servicefabriccertificaterotation.yaml', 'utf8'),
) as KubeObject;

export function createRotation(kube: KubeSandbox, name: string, namespace = 'team-a'): KubeObject {
  const obj = structuredClone(SAMPLE);
  obj.metadata = { name, namespace };
  return kube.createObject(obj);
}

/** Polls `predicate` every 10 ms until true; fails with `what` after `timeoutMs` (never a timing assertion). */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
