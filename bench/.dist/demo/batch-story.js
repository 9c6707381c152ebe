import { DemoSession } from './session.js';
const RESOURCE = { namespace: 'default', name: 'kvr-demo-pool', plural: 'batchpoolcertificaterotations' };
function poolOf(sandbox) {
    const account = sandbox.sim.batchAccountByName(sandbox.env.KVROLLOVER_SANDBOX_BATCH_ACCOUNT ?? '');
    return account?.pools.get((sandbox.env.KVROLLOVER_SANDBOX_POOL ?? '').toLowerCase());
}
function snapshotOf(session) {
    const pool = poolOf(session.sandbox);
    const latest = session.latestThumbprint();
    const nodes = pool?.nodes ?? [];
    const status = session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status ?? {};
    const extension = pool?.resource.properties?.deploymentConfiguration?.virtualMachineConfiguration?.extensions?.find((e) => e.publisher === 'Microsoft.Azure.KeyVault');
    return {
        ...session.statusFields(status),
        target: `pool ${session.sandbox.env.KVROLLOVER_SANDBOX_POOL ?? '?'}`,
        targetState: pool === undefined ? 'absent' : `${nodes.length} node(s)`,
        detail: extension === undefined
            ? 'no KeyVault extension'
            : `${extension.type} ${extension.typeHandlerVersion ?? ''}`,
        nodesOnLatest: latest === undefined ? 0 : nodes.filter((n) => n.node.store.has(latest)).length,
        nodes: nodes.length,
        available: undefined,
        latestThumbprint: latest,
    };
}
function poolWrites(sandbox) {
    return sandbox.azure.counters.total({
        service: 'arm',
        operation: /Microsoft\.Batch\/batchAccounts\/pools\/(write|delete)/i,
    });
}
export async function runBatchStory(options = {}) {
    const session = await DemoSession.start('batch', options);
    const { sandbox } = session;
    const snapshot = () => snapshotOf(session);
    let writesAtCreation = 0;
    try {
        await session.applySample('batchpoolcertificaterotation.yaml');
        await session.startOperator();
        const created = await session.until('PoolCreation', snapshot, (s) => s.phase === 'Steady' && s.ready === 'True' && s.nodes > 0 && s.nodesOnLatest === s.nodes);
        if (created) {
            session.chapter('PoolReady', 'the pool runs with the identity and the KeyVault extension; every node holds the certificate');
            writesAtCreation = poolWrites(sandbox);
            const renewed = await sandbox.azure.world.certificates.renewNow(sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '', sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '');
            session.chapter('Renewed', `the vault issued version ${renewed.version} (${renewed.thumbprint})`);
            const rolled = await session.until('Renewal', snapshot, (s) => s.nodes > 0 && s.nodesOnLatest === s.nodes);
            if (rolled) {
                session.chapter('RenewalReachedNodes', 'every node installed the renewed certificate; the pool was not changed');
                session.result = 'converged';
                session.message = 'created the pool, then the renewal reached every node with no pool change';
            }
        }
    }
    catch (err) {
        session.fail(err);
    }
    finally {
        await session.finish();
    }
    const pool = poolOf(sandbox);
    const report = {
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
//# sourceMappingURL=batch-story.js.map