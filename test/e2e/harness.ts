// Shared by the Service Fabric end-to-end tests (sf-*.test.ts): the sandbox seeded with the servicefabric
// scenario, the sample resource with spec edits, real operator processes (`kv-rollover run`, configured only
// from the sandbox's env) that can be stopped, crashed and restarted, bounded waits on status and world, and
// read-outs of Events, Azure write counters and operator logs. Every wait is bounded; `close` kills every
// operator it started and tears the sandbox down.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startOperatorProcess, type OperatorProcess } from '../../src/demo/operator-process.js';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC, Reason } from '../../src/domain/names.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { ClusterSim } from '../../src/sandbox/world/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OPERATOR_COMMAND = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];
export const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };

/** ARM write operations the Service Fabric rotation sends (operation names as the emulator counts them). */
export const WRITE = {
  scaleSet: 'Microsoft.Compute/virtualMachineScaleSets/write',
  manualUpgrade: 'Microsoft.Compute/virtualMachineScaleSets/manualUpgrade/action',
  cluster: 'Microsoft.ServiceFabric/clusters/write',
  accessPolicy: 'Microsoft.KeyVault/vaults/accessPolicies/write',
  roleAssignment: 'Microsoft.Authorization/roleAssignments/write',
} as const;

// Status and Azure bodies are untyped JSON read field by field in assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface KubeEvent {
  readonly reason: string;
  readonly type: string;
  /** The step the Event is about. */
  readonly action: string;
  readonly note: string;
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export interface HarnessOptions {
  /** Virtual seconds per real second (default 600). */
  readonly clockSpeed?: number;
  /** Edits the sample resource (plain JSON) before it is applied. */
  readonly edit?: (resource: Json) => void;
  /** Real-time bound of the whole test; `waitFor` never waits past it (default 110 s). */
  readonly budgetMs?: number;
}

export interface StartOptions {
  readonly identity?: string;
  readonly leaderElection?: boolean;
  readonly extraArgs?: readonly string[];
}

/** A change the operator logged as sent to Azure ("Change sent to Azure"), with the replica that sent it. */
export interface SentChange {
  readonly replica: string;
  readonly step: string;
  readonly target: string;
  readonly time: number;
}

export class SfHarness {
  readonly operators: OperatorProcess[] = [];
  readonly logPath: string;
  private readonly deadline: number;

  private constructor(
    readonly sandbox: Sandbox,
    budgetMs: number,
  ) {
    this.logPath = path.join(sandbox.stateDir, 'operator.log');
    this.deadline = Date.now() + budgetMs;
  }

  /** Starts the sandbox and applies the sample resource (edited). Does not start an operator. */
  static async start(options: HarnessOptions = {}): Promise<SfHarness> {
    const sandbox = await startSandbox({ scenario: 'servicefabric', clockSpeed: options.clockSpeed ?? 600 });
    const harness = new SfHarness(sandbox, options.budgetMs ?? 110_000);
    try {
      const samplePath = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'));
      if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
      const resource = parseYaml(await readFile(samplePath, 'utf8')) as Json;
      options.edit?.(resource);
      sandbox.kube.createObject(resource);
    } catch (err: unknown) {
      await sandbox.close();
      throw err;
    }
    return harness;
  }

  /** A new operator process (its output appended to `logPath`). */
  async startOperator(options: StartOptions = {}): Promise<OperatorProcess> {
    const operator = await startOperatorProcess({
      command: OPERATOR_COMMAND,
      env: this.sandbox.env,
      logPath: this.logPath,
      stepPollInterval: '1s',
      vaultPollInterval: '2s',
      ...(options.leaderElection === undefined ? {} : { leaderElection: options.leaderElection }),
      ...(options.identity === undefined ? {} : { identity: options.identity }),
      ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
    });
    this.operators.push(operator);
    return operator;
  }

  /**
   * Runs a test's story with its operators, then kills them (the world stays for the assertions). Returns
   * the story's failure message, or undefined: each `it` then asserts it, so a failed wait is reported
   * with its status and log tail instead of as a hook error.
   */
  async story(run: () => Promise<void>): Promise<string | undefined> {
    try {
      await run();
      return undefined;
    } catch (err: unknown) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      await Promise.all(this.operators.map((o) => o.kill()));
    }
  }

  /** Kills every operator, then closes the sandbox. */
  async close(): Promise<void> {
    await Promise.all(this.operators.map((o) => o.kill()));
    await this.sandbox.close();
  }

  // ---- waits ----------------------------------------------------------------------------------

  /** Polls `predicate` until it holds; throws (naming `what` and the last status) at the bound. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    const until = Math.min(Date.now() + timeoutMs, this.deadline);
    while (Date.now() < until) {
      if (predicate()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (predicate()) return;
    throw new Error(
      `timed out waiting for ${what}; status: ${JSON.stringify(this.statusSummary())}; log tail:\n${(await this.log()).slice(-3000)}`,
    );
  }

  /** Steady, Ready and the cluster declared by common name and Ready. */
  converged(): boolean {
    const status = this.status();
    const props = this.cluster().properties();
    return (
      status?.phase === 'Steady' &&
      this.condition('Ready')?.status === 'True' &&
      props.certificateCommonNames !== undefined &&
      props.certificateCommonNames !== null &&
      this.cluster().clusterState() === 'Ready'
    );
  }

  // ---- Kubernetes read-outs --------------------------------------------------------------------

  resource(): Json | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
    if (type === undefined) return undefined;
    try {
      return api.get(type, RESOURCE.namespace, RESOURCE.name);
    } catch {
      return undefined;
    }
  }

  status(): Json | undefined {
    return this.resource()?.status as Json | undefined;
  }

  condition(type: string): Condition | undefined {
    return ((this.status()?.conditions ?? []) as Condition[]).find((c) => c.type === type);
  }

  hazards(): { reason: string; severity: string; message: string }[] {
    return (this.status()?.hazards ?? []) as { reason: string; severity: string; message: string }[];
  }

  statusSummary(): Json {
    const s = this.status() ?? {};
    return {
      phase: s.phase,
      currentStep: s.currentStep,
      conditions: ((s.conditions ?? []) as Condition[]).map((c) => `${c.type}=${c.status}/${c.reason}`),
      hazards: this.hazards().map((h) => h.reason),
      failures: s.failures,
      pendingOperation: s.pendingOperation,
    };
  }

  events(): KubeEvent[] {
    const api = this.sandbox.kube.api;
    const type = api.resolve('events.k8s.io', 'v1', 'events');
    if (type === undefined) return [];
    return api.list(type, { namespace: RESOURCE.namespace }).items.map((e) => {
      const event = e as Json;
      return {
        reason: String(event.reason ?? ''),
        type: String(event.type ?? ''),
        action: String(event.action ?? ''),
        note: String(event.note ?? ''),
      };
    });
  }

  /** Steps named by StepExecuted Events, in order (a change sent or an operation completed). */
  executedSteps(): string[] {
    return this.events()
      .filter((e) => e.reason === Reason.StepExecuted)
      .map((e) => e.action);
  }

  // ---- Azure and world read-outs ---------------------------------------------------------------

  /** Requests for `operation` Azure accepted (2xx). */
  accepted(operation: string | RegExp): number {
    return this.sandbox.azure.counters
      .entries({ service: 'arm', operation })
      .filter((e) => e.status >= 200 && e.status < 300)
      .reduce((n, e) => n + e.count, 0);
  }

  /** Requests for `operation` Azure answered with `status`. */
  answered(operation: string | RegExp, status: number): number {
    return this.sandbox.azure.counters.total({ service: 'arm', operation, status });
  }

  /** Every mutating ARM request (any verb but reads), whatever the answer. */
  armWritesAttempted(): number {
    return this.sandbox.azure.counters
      .entries({ service: 'arm' })
      .filter((e) => !/\/read$/i.test(e.operation))
      .reduce((n, e) => n + e.count, 0);
  }

  cluster(): ClusterSim {
    const cluster = this.sandbox.sim.listClusters()[0];
    if (cluster === undefined) throw new Error('the scenario seeded no cluster');
    return cluster;
  }

  /** Model writes each scale set accepted after it was provisioned, by name. */
  scaleSetWrites(): Record<string, number> {
    const writes: Record<string, number> = {};
    for (const s of this.sandbox.sim.clusterScaleSets(this.cluster())) {
      writes[s.name] = [...s.operations.values()].filter((o) => o.kind === 'write').length - 1;
    }
    return writes;
  }

  /** Certificate upgrades the cluster's resource provider accepted. */
  clusterUpgrades(): number {
    return this.cluster().upgrades.length;
  }

  everUnavailable(): boolean {
    return this.sandbox.sim.availability.everUnavailable(this.cluster().name);
  }

  /** Thumbprints the cluster's nodes present now (undefined: none). */
  presented(): (string | undefined)[] {
    return Object.values(this.sandbox.sim.availableNow(this.cluster()).presented);
  }

  get vault(): string {
    return this.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
  }

  get certificateName(): string {
    return this.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
  }

  /** The vault certificate's versions as the vault store holds them. */
  versions(): { version: string; thumbprint: string; enabled: boolean; notBefore: Date }[] {
    const cert = this.sandbox.azure.world.vaults.getCertificate(this.vault, this.certificateName);
    return (cert?.versions ?? []).map((v) => ({
      version: v.version,
      thumbprint: v.thumbprint,
      enabled: v.enabled,
      notBefore: v.notBefore,
    }));
  }

  /** Whether any node of the cluster holds the certificate in its store. */
  installedOnAnyNode(thumbprint: string): boolean {
    return this.sandbox.sim.clusterNodes(this.cluster()).some((n) => n.store.has(thumbprint));
  }

  /** Virtual time now. */
  now(): Date {
    return this.sandbox.azure.clock.now();
  }

  /** Waits until `ms` of virtual time have passed (e.g. a KeyVault extension polling interval). */
  async waitVirtual(ms: number): Promise<void> {
    const until = this.now().getTime() + ms;
    await this.waitFor(`${ms} ms of virtual time`, () => this.now().getTime() >= until);
  }

  /** The scenario's second intermediate CA: under the same root, but not pinned by the resource. */
  spareCaId(): string {
    const pinned = this.sandbox.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT;
    const spare = this.sandbox.azure.world.cas
      .all()
      .find((ca) => ca.parentId !== undefined && ca.thumbprint !== pinned);
    if (spare === undefined) throw new Error('the scenario seeded no spare intermediate');
    return spare.id;
  }

  /** Changes the operators logged as sent to Azure, in log order. */
  async sentChanges(): Promise<SentChange[]> {
    const sent: SentChange[] = [];
    for (const line of (await this.log()).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as Json;
        if (entry.msg !== 'Change sent to Azure') continue;
        sent.push({
          replica: String(entry.replica),
          step: String(entry.step),
          target: String(entry.target),
          time: Date.parse(String(entry.time)),
        });
      } catch {
        // A line cut short by a crash.
      }
    }
    return sent;
  }

  /** The holder of the operator's leader-election Lease, when there is one. */
  leaseHolder(): string | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve('coordination.k8s.io', 'v1', 'leases');
    if (type === undefined) return undefined;
    const lease = api.list(type, {}).items[0] as Json | undefined;
    const holder = lease?.spec?.holderIdentity;
    return typeof holder === 'string' && holder !== '' ? holder : undefined;
  }

  async log(): Promise<string> {
    try {
      return await readFile(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }
}
