// Shared by the enrollment end-to-end tests: the sandbox seeded with the servicefabric scenario, the real
// operator process (`kv-rollover run`, configured only from the sandbox's env), and read-outs of the
// resource, its Events and the vault. Every wait is bounded; the operator is always killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC } from '../../src/domain/names.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { ClusterSim } from '../../src/sandbox/world/index.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];

export const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };
/** The vault's issuer object seeded by the scenario (a simulated CA behind it). */
export const VAULT_ISSUER = 'kvr-demo-issuer';

// Status and Azure bodies are untyped JSON read field by field in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface KubeEvent {
  readonly reason: string;
  readonly type: string;
  readonly note: string;
}

export class Harness {
  private operator: ChildProcess | undefined;
  private starts = 0;

  private constructor(readonly sandbox: Sandbox) {}

  static async start(clockSpeed = 600): Promise<Harness> {
    return new Harness(await startSandbox({ clockSpeed }));
  }

  get vaultName(): string {
    return this.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  }

  /** The scenario's sample resource, changed by `edit` (spec and metadata as plain JSON). */
  async sample(edit: (resource: Json) => void): Promise<Json> {
    const samplePath = this.sandbox.samplePaths.find((p) =>
      p.endsWith('servicefabriccertificaterotation.yaml'),
    );
    if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
    const resource = parseYaml(await readFile(samplePath, 'utf8')) as Json;
    edit(resource);
    return resource;
  }

  apply(resource: Json): void {
    this.sandbox.kube.createObject(resource);
  }

  private type() {
    const type = this.sandbox.kube.api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
    if (type === undefined) throw new Error('the CRD is not installed');
    return type;
  }

  resource(): Json | undefined {
    try {
      return this.sandbox.kube.api.get(this.type(), RESOURCE.namespace, RESOURCE.name);
    } catch {
      return undefined;
    }
  }

  status(): Json {
    return (this.resource()?.status ?? {}) as Json;
  }

  stepNames(): string[] {
    return ((this.status().plan?.steps ?? []) as Json[]).map((s) => String(s.name));
  }

  hazardReasons(): string[] {
    return ((this.status().hazards ?? []) as Json[]).map((x) => String(x.reason));
  }

  /** A merge patch on the resource, as `kubectl patch --type merge` would send. */
  patch(patch: Json): void {
    this.sandbox.kube.api.patch(this.type(), RESOURCE.namespace, RESOURCE.name, undefined, 'merge', patch);
  }

  events(): KubeEvent[] {
    const type = this.sandbox.kube.api.resolve('events.k8s.io', 'v1', 'events');
    if (type === undefined) return [];
    return this.sandbox.kube.api
      .list(type, { namespace: RESOURCE.namespace })
      .items.map((e) => e as unknown as Json)
      .map((e) => ({ reason: String(e.reason), type: String(e.type), note: String(e.note ?? '') }));
  }

  certificate(name: string) {
    return this.sandbox.azure.world.vaults.getCertificate(this.vaultName, name);
  }

  /** "create certificate" requests the vault answered (any status). */
  creates(): number {
    return this.sandbox.azure.counters.total({ service: 'vault', operation: 'KeyVault/CertificateCreate' });
  }

  cluster(): ClusterSim {
    const cluster = this.sandbox.sim.listClusters()[0];
    if (cluster === undefined) throw new Error('the scenario seeded no cluster');
    return cluster;
  }

  /** Cluster writes sent to ARM (PUT/PATCH of the cluster resource). */
  clusterWrites(): number {
    return this.sandbox.azure.counters.total({
      service: 'arm',
      operation: /Microsoft\.ServiceFabric\/clusters\/write/i,
    });
  }

  /** Thumbprints the nodes present now, one per node. */
  presented(): (string | undefined)[] {
    return Object.values(this.sandbox.sim.availableNow(this.cluster()).presented);
  }

  everUnavailable(): boolean {
    return this.sandbox.sim.availability.everUnavailable(this.cluster().name);
  }

  startOperator(): void {
    this.starts += 1;
    const log = createWriteStream(path.join(this.sandbox.stateDir, `operator-${this.starts}.log`));
    const [command, ...args] = [
      ...cli,
      'run',
      '--leader-elect=false',
      '--metrics-bind-address=127.0.0.1:0',
      '--health-probe-bind-address=127.0.0.1:0',
      '--vault-poll-interval=2s',
      '--step-poll-interval=1s',
      '--log-level=info',
    ];
    const child = spawn(command ?? process.execPath, args, {
      env: { ...process.env, ...this.sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.operator = child;
  }

  /** Stops the operator: SIGKILL simulates a crash (no graceful shutdown). */
  async stopOperator(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.operator;
    this.operator = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  operatorExited(): boolean {
    return this.operator !== undefined && this.operator.exitCode !== null;
  }

  /** Polls `done` every 100 ms until it holds; throws with `what` after `timeoutMs`. */
  async until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.operatorExited()) throw new Error(`the operator exited while waiting for ${what}`);
      if (done()) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}; status: ${JSON.stringify(this.status()).slice(0, 1500)}`);
  }

  /** Runs the CLI to completion with the sandbox's environment. */
  async runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const [command, ...base] = cli;
    const child = spawn(command ?? process.execPath, [...base, ...args], {
      env: { ...process.env, ...this.sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await Promise.race([
      new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c))),
      sleep(30_000).then(() => {
        child.kill('SIGKILL');
        return null;
      }),
    ]);
    return { code, stdout, stderr };
  }

  async close(): Promise<void> {
    await this.stopOperator();
    // Debugging aid: KVR_E2E_KEEP_LOGS=DIR keeps the operator logs (the sandbox directory is removed).
    const keep = process.env.KVR_E2E_KEEP_LOGS;
    if (keep !== undefined && keep !== '') {
      await cp(this.sandbox.stateDir, keep, {
        recursive: true,
        filter: (p) => !p.endsWith('.env') && !p.endsWith('kubeconfig'),
      });
    }
    await this.sandbox.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function condition(status: Json, type: string): Json | undefined {
  return ((status.conditions ?? []) as Json[]).find((c) => c.type === type);
}

/**
 * Makes the sandbox vault's issuance take `ms` of virtual time (the pending period of a CA [KV-CREATE]).
 * The engine takes the delay at construction; tests change it on the running sandbox.
 */
export function setIssuanceDelay(harness: Harness, ms: number): void {
  Reflect.set(harness.sandbox.azure.world.certificates, 'issuanceDelayMs', ms);
}
