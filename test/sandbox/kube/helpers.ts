// Shared setup for the Kubernetes emulator tests: a sandbox per suite, a kubeconfig on disk and a
// bounded kubectl runner (kubectl 1.35 from scripts/tools/kubectl.sh).

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeApiServerOptions, KubeSandbox } from '../../../src/sandbox/kube/index.js';
import { loadManifests, startKubeApiServer } from '../../../src/sandbox/kube/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const KUBECTL = join(REPO_ROOT, '.tools/bin/kubectl');

export function requireKubectl(): string {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      `kubectl not found at ${KUBECTL}: run scripts/tools/kubectl.sh (CI's .ci/run does) first`,
    );
  }
  return KUBECTL;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Harness {
  kube: KubeSandbox;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  close(): Promise<void>;
}

export async function startHarness(options: KubeApiServerOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'kvr-kube-'));
  const kube = await startKubeApiServer(options);
  const kubeconfig = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfig);
  const kubectl = (args: string[], opts: { input?: string; timeoutMs?: number } = {}) =>
    new Promise<KubectlResult>((done) => {
      const child = execFile(
        requireKubectl(),
        ['--cache-dir', join(dir, 'cache'), ...args],
        {
          env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig },
          timeout: opts.timeoutMs ?? 20_000,
          killSignal: 'SIGKILL',
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 124) : 0;
          done({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();
    });
  return {
    kube,
    dir,
    kubeconfig,
    kubectl,
    async close() {
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The product's CRDs (crds/*.yaml) as objects; empty when not generated yet. */
export function productCrds(): unknown[] {
  const dir = join(REPO_ROOT, 'crds');
  return existsSync(dir) ? loadManifests(dir) : [];
}

export const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.io' },
  spec: {
    group: 'example.io',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      shortNames: ['wd'],
      categories: ['examples'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                'x-kubernetes-validations': [
                  {
                    rule: "!has(self.color) || self.color != 'blue' || self.size > 1",
                    message: 'blue widgets are bigger',
                  },
                ],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10 },
                  color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                  tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                },
              },
              status: {
                type: 'object',
                properties: {
                  observedGeneration: { type: 'integer' },
                  phase: { type: 'string' },
                  conditions: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['type'],
                    items: {
                      type: 'object',
                      required: ['type', 'status'],
                      properties: {
                        type: { type: 'string' },
                        status: { type: 'string' },
                        reason: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

export const widget = (
  name: string,
  spec: Record<string, unknown> = { size: 3 },
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'example.io/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'default', ...extra },
  spec,
});

export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  attempts = 200,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}
