import { DemoSession } from './session.js';
const RESOURCE = {
    namespace: 'default',
    name: 'kvr-demo-cluster',
    plural: 'servicefabriccertificaterotations',
};
function clusterOf(sandbox) {
    const cluster = sandbox.sim.listClusters()[0];
    if (cluster === undefined)
        throw new Error('the scenario seeded no cluster');
    return cluster;
}
function declarationOf(cluster) {
    const props = cluster.properties();
    const cn = props.certificateCommonNames;
    if (cn !== undefined && cn !== null)
        return `common name ${cn.commonNames?.map((c) => c.certificateCommonName).join(',') ?? ''}`;
    const tp = props.certificate;
    const secondary = tp?.thumbprintSecondary ? ` + ${tp.thumbprintSecondary.slice(0, 8)}…` : '';
    return `thumbprint ${tp?.thumbprint?.slice(0, 8) ?? '?'}…${secondary}`;
}
function snapshotOf(session) {
    const cluster = clusterOf(session.sandbox);
    const answer = session.sandbox.sim.availableNow(cluster);
    const latest = session.latestThumbprint();
    const presented = Object.values(answer.presented);
    const status = session.resource(RESOURCE.plural, RESOURCE.namespace, RESOURCE.name)?.status ?? {};
    return {
        ...session.statusFields(status),
        target: `cluster ${cluster.name}`,
        targetState: cluster.clusterState(),
        detail: declarationOf(cluster),
        nodesOnLatest: presented.filter((t) => t !== undefined && t === latest).length,
        nodes: presented.length,
        available: answer.available,
        latestThumbprint: latest,
    };
}
function clusterWrites(sandbox) {
    // Operation names follow ARM's `{provider}/{type}/{action}` form.
    return sandbox.azure.counters.total({
        service: 'arm',
        operation: /Microsoft\.ServiceFabric\/clusters\/write/i,
    });
}
/** Runs the story; always tears the sandbox and the operator down. */
export async function runServiceFabricStory(options = {}) {
    const session = await DemoSession.start('servicefabric', options);
    const { sandbox } = session;
    const snapshot = () => snapshotOf(session);
    let clusterWritesAtConversion = 0;
    try {
        await session.applySample('servicefabriccertificaterotation.yaml');
        await session.startOperator();
        const converted = await session.until('Conversion', snapshot, (s) => s.phase === 'Steady' &&
            s.ready === 'True' &&
            s.detail.startsWith('common name') &&
            s.targetState === 'Ready');
        if (converted) {
            session.chapter('Converted', 'the cluster is declared by common name with pinned issuers; renewals now roll by themselves');
            clusterWritesAtConversion = clusterWrites(sandbox);
            const renewed = await sandbox.azure.world.certificates.renewNow(sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? '', sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? '');
            session.chapter('Renewed', `the vault issued version ${renewed.version} (${renewed.thumbprint})`);
            const rolled = await session.until('Rollover', snapshot, (s) => s.nodes > 0 && s.nodesOnLatest === s.nodes && s.phase === 'Steady');
            if (rolled) {
                session.chapter('RolledOver', 'every node presents the renewed certificate; the cluster resource was not changed');
                session.result = 'converged';
                session.message = 'converted, then rolled over to the renewal with no cluster change';
            }
        }
    }
    catch (err) {
        session.fail(err);
    }
    finally {
        await session.finish();
    }
    const cluster = clusterOf(sandbox);
    const history = sandbox.sim.availability;
    const report = {
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
//# sourceMappingURL=story.js.map