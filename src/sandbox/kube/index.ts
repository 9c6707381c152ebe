// A loopback Kubernetes API server emulator that real clients (kubectl 1.35, @kubernetes/client-node)
// accept. See the README ("The sandbox") for what it serves and where it departs from the real API server.
//
//   const kube = await startKubeApiServer({ crds: [crdObject] });
//   await kube.writeKubeconfig('/tmp/kubeconfig');       // KUBECONFIG=/tmp/kubeconfig kubectl get sfcr
//   kube.faults.inject({ verb: 'watch', action: { gone: true }, times: 1 });
//   kube.counters.count({ verb: 'list' });
//   await kube.close();

import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify as toYaml } from 'yaml';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { KubeApi } from './api.js';
import { Faults, RequestCounters } from './faults.js';
import { HttpFrontend } from './http.js';
import type { PersistedState } from './store.js';
import { generateServingCertificate } from './tls.js';
import type { ServingCertificate } from './tls.js';
import type { KubeObject } from './types.js';

export type { KubeApi } from './api.js';
export type { FaultAction, FaultHandle, FaultRule, RequestFacts, Verb } from './faults.js';
export { Faults, RequestCounters } from './faults.js';
export type { KubeObject, ObjectMeta, ManagedFieldsEntry, ResourceType } from './types.js';
export { ApiError } from './status.js';
export { generateServingCertificate, type ServingCertificate } from './tls.js';

export interface KubeApiServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** The bearer token clients must send (default: random). */
  token?: string;
  /**
   * Serve HTTPS (default true: a CA and certificate are generated; or pass your own PEMs). With
   * `false`, kubectl 1.35 does not send its bearer token over plain http and gets 401 — only
   * client-node (skipTLSVerify) can use an http sandbox.
   */
  tls?: boolean | ServingCertificate;
  /** Time source for timestamps (creationTimestamp, deletionTimestamp, managedFields). */
  clock?: Clock;
  /** Persist state to this JSON file (loaded at start when it exists; saved after changes and on close). */
  stateFile?: string;
  /** CustomResourceDefinition objects to create at start (skipped when already stored). */
  crds?: unknown[];
  /** Namespaces to create besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
  /** Changes kept for watch resumption before older resourceVersions answer 410 (default 10000). */
  historyLimit?: number;
  /** Interval between BOOKMARK events on watches that allow them (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Names used in the generated kubeconfig. */
  contextName?: string;
}

export interface KubeSandbox {
  /** `http://127.0.0.1:PORT` or `https://…` */
  readonly url: string;
  readonly token: string;
  /** The CA that signed the serving certificate (TLS only). */
  readonly caPem?: string;
  /** Resource semantics without HTTP (direct store access for tests and seeding). */
  readonly api: KubeApi;
  readonly faults: Faults;
  readonly counters: RequestCounters;
  /** TCP connections accepted so far (clients that reuse connections open few). */
  connectionsAccepted(): number;
  kubeconfigYaml(options?: { namespace?: string }): string;
  writeKubeconfig(path: string, options?: { namespace?: string }): Promise<void>;
  /** Creates (or replaces the spec of) an object as a client would, bypassing HTTP. */
  createObject(object: unknown): KubeObject;
  /** Saves the state file now (no-op without `stateFile`). */
  save(): void;
  close(): Promise<void>;
}

/** Reads every YAML document of a file, or of the `.yaml`/`.yml`/`.json` files of a directory (sorted). */
export function loadManifests(path: string): unknown[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => doc.toJSON() as unknown)
      .filter((doc) => doc !== null && doc !== undefined),
  );
}

const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeSandbox> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const api = new KubeApi(options.clock ?? systemClock, { historyLimit: options.historyLimit ?? 10_000 });

  const stateFile = options.stateFile;
  if (stateFile && existsSync(stateFile)) {
    api.store.restore(JSON.parse(readFileSync(stateFile, 'utf8')) as PersistedState);
    api.reloadCrds();
  }
  for (const ns of [...BOOTSTRAP_NAMESPACES, ...(options.namespaces ?? [])]) api.ensureNamespace(ns);
  const crdType = api.resolve('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  for (const crd of options.crds ?? []) {
    const name = (crd as KubeObject).metadata?.name;
    if (name && api.store.get(crdType.storageKey, undefined, name)) continue;
    api.create(crdType, undefined, crd, { fieldManager: 'kv-rollover-sandbox' });
  }

  const save = () => {
    if (!stateFile) return;
    mkdirSync(dirname(stateFile), { recursive: true });
    const tmp = `${stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(api.store.snapshot()));
    renameSync(tmp, stateFile);
  };
  let saveTimer: NodeJS.Timeout | undefined;
  const unsubscribeSave = stateFile
    ? api.subscribe(() => {
        saveTimer ??= setTimeout(() => {
          saveTimer = undefined;
          save();
        }, 100).unref();
      })
    : () => {};

  const faults = new Faults({
    compact: () => api.store.compact(),
    dropWatches: (filter) => frontend.dropWatches(filter),
    expireWatches: (filter) => frontend.expireWatches(filter),
  });
  const counters = new RequestCounters();
  let address = '';
  const frontend: HttpFrontend = new HttpFrontend(api, faults, counters, {
    tokens: new Set([token]),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    serverAddress: () => address,
  });

  const tlsOption = options.tls ?? true;
  const tls: ServingCertificate | undefined =
    tlsOption === true
      ? generateServingCertificate({ ips: ['127.0.0.1', host], dns: ['localhost'] })
      : tlsOption === false
        ? undefined
        : tlsOption;
  const server: Server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, frontend.handle)
    : createHttpServer(frontend.handle);
  server.keepAliveTimeout = 30_000;
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  const contextName = options.contextName ?? 'kv-rollover-sandbox';

  const kubeconfigYaml = (kc: { namespace?: string } = {}) => {
    const cluster: Record<string, unknown> = { server: url };
    if (tls) cluster['certificate-authority-data'] = Buffer.from(tls.caPem).toString('base64');
    // Clients refuse plain http unless told not to verify TLS (client-node); kubectl ignores it for http.
    else cluster['insecure-skip-tls-verify'] = true;
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: contextName, cluster }],
      users: [{ name: `${contextName}-user`, user: { token } }],
      contexts: [
        {
          name: contextName,
          context: {
            cluster: contextName,
            user: `${contextName}-user`,
            namespace: kc.namespace ?? 'default',
          },
        },
      ],
      'current-context': contextName,
      preferences: {},
    });
  };

  let closed = false;
  return {
    url,
    token,
    ...(tls ? { caPem: tls.caPem } : {}),
    api,
    faults,
    counters,
    connectionsAccepted: () => accepted,
    kubeconfigYaml,
    async writeKubeconfig(path, kc) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, kubeconfigYaml(kc), { mode: 0o600 });
    },
    createObject(object) {
      const o = object as KubeObject;
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const type = api.typeForKind(o.apiVersion, o.kind);
      if (!type)
        throw new Error(`no resource serves ${o.apiVersion} ${o.kind} (group ${group}, version ${version})`);
      return api.create(type, o.metadata?.namespace, o, { fieldManager: 'kv-rollover-sandbox' });
    },
    save,
    async close() {
      if (closed) return;
      closed = true;
      frontend.closeAll();
      unsubscribeSave();
      if (saveTimer) clearTimeout(saveTimer);
      save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
