// The demo's Batch story (`kv-rollover demo --scenario batch`): the real operator creates the seed's pool
// with the user-assigned identity and the KeyVault extension, every node installs the certificate, then
// the vault renews it and the renewal reaches every node without touching the pool.
import type { Sandbox } from '../sandbox/index.js';
import type { PoolSim } from '../sandbox/world/index.js';
import { DemoSession, type Chapter, type Snapshot, type StoryOptions, type StoryResult } from './session.js';

export interface BatchStoryReport {
  readonly scenario: 'batch';
  readonly result: StoryResult;
  readonly message: string;
  readonly chapters: readonly Chapter[];
  readonly final: Snapshot | undefined;
  readonly status: unknown;
  readonly pool: unknown;
  /** Pool writes (create, update, delete) up to the pool's creation. */
  readonly poolWritesUntilReady: number;
  /** Pool writes after it: a renewal must need none. */
  readonly poolWritesAfterReady: number;
  readonly operatorLog: string;
}

const RESOURCE = { namespace: 'default', name: 'kvr-demo-pool', plural: 'batchpoolcertificaterotations' };

function poolOf(sandbox: Sandbox): PoolSim | undefined {
  const account = sandbox.sim.batchAccountByName(sandbox.env.KVROLLOVER_SANDBOX_BATCH_ACCOUNT ?? '');
  return account?.pools.get((sandbox.env.KVROLLOVER_SANDBOX_POOL ?? '').toLowerCase());
}

function snapshotOf(session: DemoSession): Snapshot {
  const pool = poolOf(session.sandbox);
  const latest = session.latestThumbprint();
  const nodes = pool?.nodes ?? [];
  const status = session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status ?? {};
  const extension =
    pool?.resource.properties?.deploymentConfiguration?.virtualMachineConfiguration?.extensions?.find(
      (e) => e.publisher === 'Microsoft.Azure.KeyVault',
    );
  return {
    ...session.statusFields(status as Record<string, unknown>),
    target: `pool ${session.sandbox.env.KVROLLOVER_SANDBOX_POOL ?? '?'}`,
    targetState: pool === undefined ? 'absent' : `${nodes.length} node(s)`,
    detail:
      extension === undefined
        ? 'no KeyVault extension'
        : `${extension.type} ${extension.typeHandlerVersion ?? ''}`,
    nodesOnLatest: latest === undefined ? 0 : nodes.filter((n) => n.node.store.has(latest)).length,
    nodes: nodes.length,
    available: undefined,
    latestThumbprint: latest,
  };
}

function poolWrites(sandbox: Sandbox): number {
  return sandbox.azure.counters.total({
    service: 'arm',
    operation: /Microsoft\.Batch\/batchAccounts\/pools\/(write|delete)/i,
  });
}

export async function runBatchStory(options: StoryOptions = {}): Promise<BatchStoryReport> {
  const session = await DemoSession.start('batch', options);
  const { sandbox } = session;
  const snapshot = () => snapshotOf(session);
  let writesAtCreation = 0;
  try {
    await session.applySample('batchpoolcertificaterotation.yaml');
    await session.startOperator();
    const created = await session.until(
      'PoolCreation',
      snapshot,
      (s) => s.phase === 'Steady' && s.ready === 'True' && s.nodes > 0 && s.nodesOnLatest === s.nodes,
    );
    if (created) {
      session.chapter(
        'PoolReady',
        'the pool runs with the identity and the KeyVault extension; every node holds the certificate',
      );
      writesAtCreation = poolWrites(sandbox);
      const renewed = await sandbox.azure.world.certificates.renewNow(
        sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '',
        sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '',
      );
      session.chapter('Renewed', `the vault issued version ${renewed.version} (${renewed.thumbprint})`);
      const rolled = await session.until(
        'Renewal',
        snapshot,
        (s) => s.nodes > 0 && s.nodesOnLatest === s.nodes,
      );
      if (rolled) {
        session.chapter(
          'RenewalReachedNodes',
          'every node installed the renewed certificate; the pool was not changed',
        );
        session.result = 'converged';
        session.message = 'created the pool, then the renewal reached every node with no pool change';
      }
    }
  } catch (err: unknown) {
    session.fail(err);
  } finally {
    await session.finish();
  }
  const pool = poolOf(sandbox);
  const report: BatchStoryReport = {
    scenario: 'batch',
    result: session.result,
    message: session.message,
    chapters: session.chapters,
    final: snapshot(),
    status: session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status,
    pool: pool?.resource,
    poolWritesUntilReady: writesAtCreation,
    poolWritesAfterReady: poolWrites(sandbox) - writesAtCreation,
    operatorLog: session.logPath,
  };
  await sandbox.close();
  return report;
}
