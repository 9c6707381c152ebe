import { declarationOf } from './sf-cluster-model.js';
import { describeDeclaration } from './sf-runtime.js';
import { certificateUpgradeFlow } from './sf-upgrade-flow.js';
export const ClusterState = {
    Ready: 'Ready',
    UpdatingUserCertificate: 'UpdatingUserCertificate',
    UpdatingUserConfiguration: 'UpdatingUserConfiguration',
};
const UPDATE_DOMAINS = 5;
export class ClusterSim {
    subscriptionId;
    resourceGroup;
    name;
    deps;
    resource;
    /** The declaration every node ends with once no upgrade runs (the last accepted target). */
    committed;
    /** The configuration each UD runs with now. */
    udConfig = new Map();
    upgrade;
    upgrades = [];
    constructor(subscriptionId, resourceGroup, name, resource, deps) {
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.deps = deps;
        this.resource = resource;
        this.committed = declarationOf(resource.properties);
        const properties = this.properties();
        properties.clusterState = ClusterState.Ready;
        properties.provisioningState = 'Succeeded';
    }
    get id() {
        return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.ServiceFabric/clusters/${this.name}`;
    }
    properties() {
        this.resource.properties ??= {};
        return this.resource.properties;
    }
    clusterState() {
        return this.properties().clusterState ?? ClusterState.Ready;
    }
    upgradeInProgress() {
        return this.upgrade !== undefined;
    }
    nodeTypeNames() {
        return (this.properties().nodeTypes ?? []).map((nt) => nt.name ?? '').filter((name) => name !== '');
    }
    /** The configuration a node in `ud` runs with (a joining node takes its UD's). */
    configFor(ud) {
        return this.udConfig.get(ud) ?? { validation: this.committed, presentation: this.committed };
    }
    /** Gives every current node its UD's configuration (after creation or when nodes joined). */
    syncNodes() {
        for (const node of this.deps.nodes(this))
            node.sfConfig ??= this.configFor(node.upgradeDomain);
    }
    /**
     * Accepts new properties (already validated and merged). A certificate change starts the UD walk;
     * other changes take effect at once.
     */
    accept(properties, at) {
        const current = declarationOf(this.properties());
        const target = declarationOf(properties);
        const keep = { clusterState: this.clusterState(), provisioningState: 'Succeeded' };
        this.resource.properties = { ...properties, ...keep };
        const flow = certificateUpgradeFlow(current, target);
        if (flow.kind === 'none')
            return flow;
        this.startUpgrade(flow, current, target, at);
        return flow;
    }
    startUpgrade(flow, current, target, at) {
        const present = new Set(this.deps.nodes(this).map((node) => node.upgradeDomain));
        const uds = Array.from({ length: UPDATE_DOMAINS }, (_, ud) => ud).filter((ud) => present.has(ud));
        this.upgrade = {
            flow,
            target,
            uds: uds.length > 0 ? uds : [0],
            stepIndex: 0,
            udIndex: 0,
            timer: undefined,
        };
        this.properties().clusterState =
            flow.kind === 'certificate'
                ? ClusterState.UpdatingUserCertificate
                : ClusterState.UpdatingUserConfiguration;
        this.upgrades.push({
            startedAt: at,
            kind: flow.kind,
            steps: flow.steps.length,
            from: describeDeclaration(current),
            to: describeDeclaration(target),
            completedAt: undefined,
        });
        this.deps.onChange(`cluster ${this.name}: ${flow.kind} upgrade accepted (${flow.steps.length} step(s)) ${describeDeclaration(current)} → ${describeDeclaration(target)}`, at);
        this.scheduleNextUd(at);
    }
    scheduleNextUd(at) {
        const upgrade = this.upgrade;
        if (upgrade === undefined)
            return;
        upgrade.timer = this.deps.scheduler.at(new Date(at.getTime() + this.deps.udDurationMs), (when) => this.walkUd(when));
    }
    walkUd(at) {
        const upgrade = this.upgrade;
        if (upgrade === undefined)
            return;
        const step = upgrade.flow.steps[upgrade.stepIndex];
        const ud = upgrade.uds[upgrade.udIndex];
        if (step === undefined || ud === undefined)
            return;
        this.udConfig.set(ud, step);
        for (const node of this.deps.nodes(this))
            if (node.upgradeDomain === ud)
                node.sfConfig = step;
        this.deps.onChange(`cluster ${this.name}: step ${upgrade.stepIndex + 1}/${upgrade.flow.steps.length} applied to UD ${ud} (validate ${describeDeclaration(step.validation)}, present ${describeDeclaration(step.presentation)})`, at);
        upgrade.udIndex += 1;
        if (upgrade.udIndex >= upgrade.uds.length) {
            upgrade.udIndex = 0;
            upgrade.stepIndex += 1;
        }
        if (upgrade.stepIndex >= upgrade.flow.steps.length) {
            this.committed = upgrade.target;
            this.udConfig.clear();
            this.upgrade = undefined;
            this.properties().clusterState = ClusterState.Ready;
            const record = this.upgrades[this.upgrades.length - 1];
            if (record !== undefined)
                record.completedAt = at;
            this.deps.onChange(`cluster ${this.name}: upgrade complete, clusterState Ready`, at);
            return;
        }
        this.scheduleNextUd(at);
    }
}
//# sourceMappingURL=sf-cluster.js.map