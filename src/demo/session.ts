// What every demo story shares: the sandbox of one scenario, the sample resource applied to it, the real
// operator process, bounded waits on observed state, and the chapters of the story.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { startOperatorProcess, type OperatorProcess } from './operator-process.js';

/** What the live view shows, whatever the scenario. */
export interface Snapshot {
  readonly elapsedMs: number;
  readonly virtualTime: string;
  readonly phase: string | undefined;
  readonly step: string | undefined;
  readonly ready: string | undefined;
  /** `cluster kvr-demo-sf`, `pool kvr-demo-pool`. */
  readonly target: string;
  readonly targetState: string;
  /** How the target is declared now (thumbprint / common name; identity and extension). */
  readonly detail: string;
  readonly nodesOnLatest: number;
  readonly nodes: number;
  /** The availability oracle (Service Fabric); undefined where there is none. */
  readonly available: boolean | undefined;
  readonly latestThumbprint: string | undefined;
  readonly expires: string | undefined;
}

export interface StoryEndpoints {
  readonly metricsUrl: string;
  readonly healthUrl: string;
  readonly kubeconfig: string;
  readonly envFile: string;
  readonly operatorLog: string;
}

export interface StoryOptions {
  /** Virtual seconds per real second (default 600: an hour of extension polling takes 6 s). */
  readonly clockSpeed?: number;
  /** Give up after this long (real time; default 240 s). */
  readonly timeoutMs?: number;
  /** The command that starts the operator (default: this CLI's `run`). */
  readonly operatorCommand?: readonly string[];
  readonly onProgress?: (chapter: string, snapshot: Snapshot) => void;
  readonly onChapter?: (chapter: string, note: string) => void;
  /** Called once the operator runs, with where to look (metrics URL, kubeconfig). */
  readonly onEndpoints?: (endpoints: StoryEndpoints) => void;
  /** After the story, keep the sandbox and the operator running until this resolves. */
  readonly keepUntil?: () => Promise<void>;
}

export type StoryResult = 'converged' | 'timeout' | 'failed';

export interface Chapter {
  readonly name: string;
  readonly note: string;
  readonly atMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DemoSession {
  readonly chapters: Chapter[] = [];
  readonly logPath: string;
  result: StoryResult = 'timeout';
  message = '';
  private operator: OperatorProcess | undefined;
  private readonly started = Date.now();
  private readonly deadline: number;

  private constructor(
    readonly sandbox: Sandbox,
    private readonly options: StoryOptions,
  ) {
    this.logPath = path.join(sandbox.stateDir, 'operator.log');
    this.deadline = this.started + (options.timeoutMs ?? 240_000);
  }

  static async start(scenario: string, options: StoryOptions): Promise<DemoSession> {
    const sandbox = await startSandbox({ scenario, clockSpeed: options.clockSpeed ?? 600 });
    return new DemoSession(sandbox, options);
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  chapter(name: string, note: string): void {
    this.chapters.push({ name, note, atMs: this.elapsedMs });
    this.options.onChapter?.(name, note);
  }

  /** Applies the sandbox's copy of a deploy/samples file (with the sandbox's real issuer thumbprint). */
  async applySample(fileName: string): Promise<void> {
    const samplePath = this.sandbox.samplePaths.find((p) => p.endsWith(fileName));
    if (samplePath === undefined) throw new Error(`the sandbox wrote no sample ${fileName}`);
    const object = parseYaml(await readFile(samplePath, 'utf8')) as {
      metadata?: { namespace?: string; name?: string };
    };
    this.sandbox.kube.createObject(object);
    this.chapter(
      'Applied',
      `${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? '?'} from ${samplePath}`,
    );
  }

  async startOperator(): Promise<void> {
    this.operator = await startOperatorProcess({
      ...(this.options.operatorCommand === undefined ? {} : { command: this.options.operatorCommand }),
      env: this.sandbox.env,
      logPath: this.logPath,
    });
    this.chapter(
      'OperatorStarted',
      `kv-rollover run (pid ${this.operator.child.pid ?? '?'}), logs in ${this.logPath}`,
    );
    this.options.onEndpoints?.({
      metricsUrl: this.operator.metricsUrl,
      healthUrl: this.operator.healthUrl,
      kubeconfig: this.sandbox.kubeconfigPath,
      envFile: this.sandbox.envPath,
      operatorLog: this.logPath,
    });
  }

  /** Polls `snapshot` until `done`, the deadline, or the operator's exit; false unless `done`. */
  async until(name: string, snapshot: () => Snapshot, done: (s: Snapshot) => boolean): Promise<boolean> {
    while (Date.now() < this.deadline) {
      if (this.operator?.exited === true) {
        this.result = 'failed';
        const child = this.operator.child;
        this.message = `the operator exited with status ${child.exitCode ?? child.signalCode} (see ${this.logPath})`;
        return false;
      }
      const s = snapshot();
      this.options.onProgress?.(name, s);
      if (done(s)) return true;
      await sleep(250);
    }
    this.message = `timed out during ${name}`;
    return false;
  }

  fail(err: unknown): void {
    this.result = 'failed';
    this.message = err instanceof Error ? err.message : String(err);
  }

  /** Stops the operator (after `keepUntil`, when given); the sandbox stays up for the report. */
  async finish(): Promise<void> {
    if (this.options.keepUntil !== undefined) await this.options.keepUntil();
    await this.operator?.stop();
  }

  /** The resource as stored in the Kubernetes emulator. */
  resource(plural: string, namespace: string, name: string): Record<string, unknown> | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve('kvrollover.io', 'v1alpha1', plural);
    if (type === undefined) return undefined;
    try {
      return api.get(type, namespace, name);
    } catch {
      return undefined;
    }
  }

  /** The vault's newest enabled version of the scenario's certificate. */
  latestThumbprint(): string | undefined {
    const vault = this.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
    const name = this.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
    const cert = this.sandbox.azure.world.vaults.getCertificate(vault, name);
    return cert?.versions.filter((v) => v.enabled).at(-1)?.thumbprint;
  }

  /** Status fields every snapshot shows. */
  statusFields(
    status: Record<string, unknown>,
  ): Pick<Snapshot, 'phase' | 'step' | 'ready' | 'expires' | 'elapsedMs' | 'virtualTime'> {
    const conditions = (status.conditions ?? []) as { type: string; status: string }[];
    const inUse = (status.certificates as { inUse?: { notAfter?: string } } | undefined)?.inUse;
    return {
      elapsedMs: this.elapsedMs,
      virtualTime: this.sandbox.azure.clock.now().toISOString(),
      phase: status.phase as string | undefined,
      step: status.currentStep as string | undefined,
      ready: conditions.find((c) => c.type === 'Ready')?.status,
      expires: inUse?.notAfter,
    };
  }
}
