// The demo's Service Fabric story on the embedded sandbox (design §2 `demo`): the thumbprint-declared
// cluster of the seed scenario is converted to common-name declaration by the real operator process, then
// the vault renews the certificate and every node rolls to it through the KeyVault extension with no
// cluster change, and the availability oracle is never false. Also used by the end-to-end test.
import type { Sandbox } from '../sandbox/index.js';
import type { ClusterSim } from '../sandbox/world/index.js';
import { DemoSession, type Chapter, type Snapshot, type StoryOptions, type StoryResult } from './session.js';

export type { Snapshot, StoryEndpoints, StoryOptions } from './session.js';

export interface StoryReport {
  readonly scenario: 'servicefabric';
  readonly result: StoryResult;
  readonly message: string;
  readonly chapters: readonly Chapter[];
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

const RESOURCE = {
  namespace: 'default',
  name: 'kvr-demo-cluster',
  plural: 'servicefabriccertificaterotations',
};

function clusterOf(sandbox: Sandbox): ClusterSim {
  const cluster = sandbox.sim.listClusters()[0];
  if (cluster === undefined) throw new Error('the scenario seeded no cluster');
  return cluster;
}

function declarationOf(cluster: ClusterSim): string {
  const props = cluster.properties();
  const cn = props.certificateCommonNames;
  if (cn !== undefined && cn !== null)
    return `common name ${cn.commonNames?.map((c) => c.certificateCommonName).join(',') ?? ''}`;
  const tp = props.certificate;
  const secondary = tp?.thumbprintSecondary ? ` + ${tp.thumbprintSecondary.slice(0, 8)}…` : '';
  return `thumbprint ${tp?.thumbprint?.slice(0, 8) ?? '?'}…${secondary}`;
}

function snapshotOf(session: DemoSession): Snapshot {
  const cluster = clusterOf(session.sandbox);
  const answer = session.sandbox.sim.availableNow(cluster);
  const latest = session.latestThumbprint();
  const presented = Object.values(answer.presented);
  const status = session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status ?? {};
  return {
    ...session.statusFields(status as Record<string, unknown>),
    target: `cluster ${cluster.name}`,
    targetState: cluster.clusterState(),
    detail: declarationOf(cluster),
    nodesOnLatest: presented.filter((t) => t !== undefined && t === latest).length,
    nodes: presented.length,
    available: answer.available,
    latestThumbprint: latest,
  };
}

function clusterWrites(sandbox: Sandbox): number {
  // Operation names follow ARM's `{provider}/{type}/{action}` form.
  return sandbox.azure.counters.total({
    service: 'arm',
    operation: /Microsoft\.ServiceFabric\/clusters\/write/i,
  });
}

/** Runs the story; always tears the sandbox and the operator down. */
export async function runServiceFabricStory(options: StoryOptions = {}): Promise<StoryReport> {
  const session = await DemoSession.start('servicefabric', options);
  const { sandbox } = session;
  const snapshot = () => snapshotOf(session);
  let clusterWritesAtConversion = 0;
  try {
    await session.applySample('servicefabriccertificaterotation.yaml');
    await session.startOperator();
    const converted = await session.until(
      'Conversion',
      snapshot,
      (s) =>
        s.phase === 'Steady' &&
        s.ready === 'True' &&
        s.detail.startsWith('common name') &&
        s.targetState === 'Ready',
    );
    if (converted) {
      session.chapter(
        'Converted',
        'the cluster is declared by common name with pinned issuers; renewals now roll by themselves',
      );
      clusterWritesAtConversion = clusterWrites(sandbox);
      const renewed = await sandbox.azure.world.certificates.renewNow(
        sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '',
        sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '',
      );
      session.chapter('Renewed', `the vault issued version ${renewed.version} (${renewed.thumbprint})`);
      const rolled = await session.until(
        'Rollover',
        snapshot,
        (s) => s.nodes > 0 && s.nodesOnLatest === s.nodes && s.phase === 'Steady',
      );
      if (rolled) {
        session.chapter(
          'RolledOver',
          'every node presents the renewed certificate; the cluster resource was not changed',
        );
        session.result = 'converged';
        session.message = 'converted, then rolled over to the renewal with no cluster change';
      }
    }
  } catch (err: unknown) {
    session.fail(err);
  } finally {
    await session.finish();
  }
  const cluster = clusterOf(sandbox);
  const history = sandbox.sim.availability;
  const report: StoryReport = {
    scenario: 'servicefabric',
    result: session.result,
    message: session.message,
    chapters: session.chapters,
    final: snapshot(),
    status: session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status,
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
    clusterWritesUntilConversion: clusterWritesAtConversion,
    clusterWritesAfterConversion: clusterWrites(sandbox) - clusterWritesAtConversion,
    operatorLog: session.logPath,
  };
  await sandbox.close();
  return report;
}
