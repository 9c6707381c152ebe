// The demo's story on the embedded sandbox (design §2 `demo`): the thumbprint-declared cluster of the
// seed scenario is converted to common-name declaration by the real operator process, then the vault
// renews the certificate and every node rolls to it through the KeyVault extension with no cluster
// change, and the availability oracle is never false. Also used by the end-to-end test.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC } from '../domain/names.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import type { ClusterSim } from '../sandbox/world/index.js';
import { startOperatorProcess, type OperatorProcess } from './operator-process.js';

export interface Snapshot {
  readonly elapsedMs: number;
  readonly virtualTime: string;
  readonly phase: string | undefined;
  readonly step: string | undefined;
  readonly ready: string | undefined;
  readonly clusterState: string;
  readonly declaration: string;
  readonly nodesOnLatest: number;
  readonly nodes: number;
  readonly available: boolean;
  readonly latestThumbprint: string | undefined;
  readonly expires: string | undefined;
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

export interface StoryEndpoints {
  readonly metricsUrl: string;
  readonly healthUrl: string;
  readonly kubeconfig: string;
  readonly envFile: string;
  readonly operatorLog: string;
}

export interface StoryReport {
  readonly result: 'converged' | 'timeout' | 'failed';
  readonly message: string;
  readonly chapters: ReadonlyArray<{ readonly name: string; readonly note: string; readonly atMs: number }>;
  readonly final: Snapshot | undefined;
  readonly status: unknown;
  readonly cluster: unknown;
  readonly scaleSets: readonly unknown[];
  readonly availability: {
    readonly everUnavailable: boolean;
    readonly evaluations: number;
    readonly transitions: ReadonlyArray<{
      readonly at: string;
      readonly available: boolean;
      readonly cause: string;
    }>;
  };
  /** Cluster writes the operator sent up to the conversion (PUT/PATCH of the cluster resource). */
  readonly clusterWritesUntilConversion: number;
  /** Cluster writes after it: a renewal must need none. */
  readonly clusterWritesAfterConversion: number;
  readonly operatorLog: string;
}

const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };

class World {
  private readonly started = Date.now();
  constructor(private readonly sandbox: Sandbox) {}

  cluster(): ClusterSim {
    const cluster = this.sandbox.sim.listClusters()[0];
    if (cluster === undefined) throw new Error('the scenario seeded no cluster');
    return cluster;
  }

  resource(): Record<string, unknown> | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
    if (type === undefined) return undefined;
    try {
      return api.get(type, RESOURCE.namespace, RESOURCE.name);
    } catch {
      return undefined;
    }
  }

  latestThumbprint(): string | undefined {
    const vault = this.sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
    const name = this.sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
    const cert = this.sandbox.azure.world.vaults.getCertificate(vault, name);
    const latest = cert?.versions.filter((v) => v.enabled).at(-1);
    return latest?.thumbprint;
  }

  snapshot(): Snapshot {
    const cluster = this.cluster();
    const answer = this.sandbox.sim.availableNow(cluster);
    const latest = this.latestThumbprint();
    const presented = Object.values(answer.presented);
    const status = (this.resource()?.status ?? {}) as Record<string, unknown>;
    const conditions = (status.conditions ?? []) as { type: string; status: string }[];
    const props = cluster.properties();
    const declaration =
      props.certificateCommonNames !== undefined && props.certificateCommonNames !== null
        ? `common name ${props.certificateCommonNames.commonNames?.map((c) => c.certificateCommonName).join(',') ?? ''}`
        : `thumbprint ${props.certificate?.thumbprint?.slice(0, 8) ?? '?'}…${props.certificate?.thumbprintSecondary ? ` + ${props.certificate.thumbprintSecondary.slice(0, 8)}…` : ''}`;
    const inUse = (status.certificates as { inUse?: { notAfter?: string } } | undefined)?.inUse;
    return {
      elapsedMs: Date.now() - this.started,
      virtualTime: this.sandbox.azure.clock.now().toISOString(),
      phase: status.phase as string | undefined,
      step: status.currentStep as string | undefined,
      ready: conditions.find((c) => c.type === 'Ready')?.status,
      clusterState: cluster.clusterState(),
      declaration,
      nodesOnLatest: presented.filter((t) => t !== undefined && t === latest).length,
      nodes: presented.length,
      available: answer.available,
      latestThumbprint: latest,
      expires: inUse?.notAfter,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the story; always tears the sandbox and the operator down. */
export async function runServiceFabricStory(options: StoryOptions = {}): Promise<StoryReport> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const sandbox = await startSandbox({ clockSpeed: options.clockSpeed ?? 600 });
  const world = new World(sandbox);
  const chapters: { name: string; note: string; atMs: number }[] = [];
  const started = Date.now();
  const chapter = (name: string, note: string): void => {
    chapters.push({ name, note, atMs: Date.now() - started });
    options.onChapter?.(name, note);
  };
  const logPath = path.join(sandbox.stateDir, 'operator.log');
  let operator: OperatorProcess | undefined;
  let clusterWritesAtConversion = 0;
  let result: StoryReport['result'] = 'timeout';
  let message = '';
  try {
    const samplePath = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'));
    if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
    sandbox.kube.createObject(parseYaml(await readFile(samplePath, 'utf8')));
    chapter('Applied', `${RESOURCE.namespace}/${RESOURCE.name} from ${samplePath}`);

    operator = await startOperatorProcess({
      ...(options.operatorCommand === undefined ? {} : { command: options.operatorCommand }),
      env: sandbox.env,
      logPath,
    });
    chapter('OperatorStarted', `kv-rollover run (pid ${operator.child.pid ?? '?'}), logs in ${logPath}`);
    options.onEndpoints?.({
      metricsUrl: operator.metricsUrl,
      healthUrl: operator.healthUrl,
      kubeconfig: sandbox.kubeconfigPath,
      envFile: sandbox.envPath,
      operatorLog: logPath,
    });

    const deadline = started + timeoutMs;
    const until = async (name: string, done: (s: Snapshot) => boolean): Promise<boolean> => {
      while (Date.now() < deadline) {
        if (operator?.exited === true) {
          result = 'failed';
          message = `the operator exited with status ${operator.child.exitCode ?? operator.child.signalCode} (see ${logPath})`;
          return false;
        }
        const s = world.snapshot();
        options.onProgress?.(name, s);
        if (done(s)) return true;
        await sleep(250);
      }
      message = `timed out during ${name}`;
      return false;
    };

    const converted = await until(
      'Conversion',
      (s) =>
        s.phase === 'Steady' &&
        s.ready === 'True' &&
        s.declaration.startsWith('common name') &&
        s.clusterState === 'Ready',
    );
    if (converted) {
      chapter(
        'Converted',
        'the cluster is declared by common name with pinned issuers; renewals now roll by themselves',
      );
      clusterWritesAtConversion = clusterWrites(sandbox);
      const vault = sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '';
      const name = sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '';
      const renewed = await sandbox.azure.world.certificates.renewNow(vault, name);
      chapter('Renewed', `the vault issued version ${renewed.version} (${renewed.thumbprint})`);
      const rolled = await until(
        'Rollover',
        (s) => s.nodes > 0 && s.nodesOnLatest === s.nodes && s.phase === 'Steady',
      );
      if (rolled) {
        chapter(
          'RolledOver',
          'every node presents the renewed certificate; the cluster resource was not changed',
        );
        result = 'converged';
        message = 'converted, then rolled over to the renewal with no cluster change';
      }
    }
  } catch (err: unknown) {
    result = 'failed';
    message = err instanceof Error ? err.message : String(err);
  } finally {
    if (options.keepUntil !== undefined) await options.keepUntil();
    await operator?.stop();
  }
  const report = buildReport(sandbox, world, {
    result,
    message,
    chapters,
    clusterWritesAtConversion,
    logPath,
  });
  await sandbox.close();
  return report;
}

function clusterWrites(sandbox: Sandbox): number {
  // Operation names follow ARM's `{provider}/{type}/{action}` form.
  return sandbox.azure.counters.total({
    service: 'arm',
    operation: /Microsoft\.ServiceFabric\/clusters\/write/i,
  });
}

function buildReport(
  sandbox: Sandbox,
  world: World,
  r: {
    result: StoryReport['result'];
    message: string;
    chapters: StoryReport['chapters'];
    clusterWritesAtConversion: number;
    logPath: string;
  },
): StoryReport {
  const cluster = world.cluster();
  const history = sandbox.sim.availability;
  return {
    result: r.result,
    message: r.message,
    chapters: r.chapters,
    final: world.snapshot(),
    status: world.resource()?.status,
    cluster: {
      id: cluster.id,
      name: cluster.name,
      type: 'Microsoft.ServiceFabric/clusters',
      properties: cluster.properties(),
    },
    scaleSets: sandbox.sim.clusterScaleSets(cluster).map((s) => s.resource),
    availability: {
      everUnavailable: history.everUnavailable(cluster.name),
      evaluations: history.evaluationCount(),
      transitions: history
        .transitions(cluster.name)
        .map((a) => ({ at: a.at.toISOString(), available: a.available, cause: a.cause })),
    },
    clusterWritesUntilConversion: r.clusterWritesAtConversion,
    clusterWritesAfterConversion: clusterWrites(sandbox) - r.clusterWritesAtConversion,
    operatorLog: r.logPath,
  };
}
