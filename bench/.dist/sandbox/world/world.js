import { PoolSim } from './batch-pool.js';
import { AvailabilityHistory, evaluateAvailability } from './oracle.js';
import { ScaleSetSim } from './scale-set.js';
import { ClusterSim } from './sf-cluster.js';
import { presentationOrdering } from './sf-runtime.js';
import { validateClusterTransition } from './sf-validation.js';
import { Scheduler } from './scheduler.js';
import { isServiceFabricExtension, scaleSetExtensions } from './vmss-model.js';
const key = (...parts) => parts.join('/').toLowerCase();
export class SimWorld {
    clock;
    scheduler;
    vault;
    availability = new AvailabilityHistory();
    scaleSets = new Map();
    clusters = new Map();
    /** Scale sets and clusters by subscription/resource group: a cluster's node types live in its group. */
    scaleSetsByGroup = new Map();
    clustersByGroup = new Map();
    accounts = new Map();
    listeners = new Set();
    expiryTimers = new Map();
    applyDelayMs;
    udDurationMs;
    evaluating = false;
    constructor(options) {
        this.clock = options.clock;
        this.vault = options.vault;
        this.scheduler = new Scheduler(options.clock);
        this.applyDelayMs = options.scaleSetApplyDelayMs ?? 0;
        this.udDurationMs = options.upgradeDomainDurationMs ?? 120_000;
    }
    now() {
        return this.clock.now();
    }
    /** Subscribes to every change in the world (diagnostics, demo progress views). */
    onChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    dispose() {
        this.scheduler.dispose();
        for (const account of this.accounts.values())
            for (const pool of account.pools.values())
                pool.dispose();
        for (const scaleSet of this.scaleSets.values())
            for (const node of scaleSet.instances)
                node.dispose();
    }
    // ---- scale sets ------------------------------------------------------------------------------
    scaleSet(subscriptionId, resourceGroup, name) {
        return this.scaleSets.get(key(subscriptionId, resourceGroup, name));
    }
    listScaleSets(subscriptionId, resourceGroup) {
        if (subscriptionId !== undefined && resourceGroup !== undefined) {
            return [...(this.scaleSetsByGroup.get(key(subscriptionId, resourceGroup)) ?? [])];
        }
        return [...this.scaleSets.values()].filter((s) => (subscriptionId === undefined || s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) &&
            (resourceGroup === undefined || s.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()));
    }
    /** Creates a scale set and its instances from `resource` (REST shape). */
    createScaleSet(subscriptionId, resourceGroup, name, resource) {
        const scaleSet = new ScaleSetSim(subscriptionId, resourceGroup, name, resource, {
            vault: this.vault,
            scheduler: this.scheduler,
            applyDelayMs: this.applyDelayMs,
            onChange: (cause, at) => this.changed(cause, at, this.clustersOf(scaleSet)),
            onInstanceCreated: (owner, node) => this.joinCluster(owner, node),
        });
        this.scaleSets.set(key(subscriptionId, resourceGroup, name), scaleSet);
        const group = key(subscriptionId, resourceGroup);
        this.scaleSetsByGroup.set(group, [...(this.scaleSetsByGroup.get(group) ?? []), scaleSet]);
        scaleSet.provision(this.now());
        return scaleSet;
    }
    // ---- Service Fabric clusters -----------------------------------------------------------------
    cluster(subscriptionId, resourceGroup, name) {
        return this.clusters.get(key(subscriptionId, resourceGroup, name));
    }
    listClusters() {
        return [...this.clusters.values()];
    }
    /** Creates a cluster already deployed and Ready: every node of its node types runs its declaration. */
    createCluster(subscriptionId, resourceGroup, name, resource) {
        const cluster = new ClusterSim(subscriptionId, resourceGroup, name, resource, {
            scheduler: this.scheduler,
            nodes: (c) => this.clusterNodes(c),
            onChange: (cause, at) => this.changed(cause, at, [cluster]),
            udDurationMs: this.udDurationMs,
        });
        this.clusters.set(key(subscriptionId, resourceGroup, name), cluster);
        const group = key(subscriptionId, resourceGroup);
        this.clustersByGroup.set(group, [...(this.clustersByGroup.get(group) ?? []), cluster]);
        cluster.syncNodes();
        this.changed(`cluster ${name}: created`, this.now(), [cluster]);
        return cluster;
    }
    /**
     * A cluster PUT/PATCH as the resource provider takes it: the full target properties are validated
     * against the current ones, then accepted (a certificate change starts the UD walk).
     */
    updateCluster(cluster, target) {
        const error = validateClusterTransition(cluster.properties(), target, cluster.upgradeInProgress());
        if (error !== undefined)
            return { ok: false, error };
        return { ok: true, flow: cluster.accept(target, this.now()) };
    }
    /** The scale sets backing a cluster's node types: same resource group, named after the node type. */
    clusterScaleSets(cluster) {
        const names = new Set(cluster.nodeTypeNames().map((n) => n.toLowerCase()));
        return this.listScaleSets(cluster.subscriptionId, cluster.resourceGroup).filter((s) => names.has(nodeTypeOf(s)));
    }
    clusterNodes(cluster) {
        return this.clusterScaleSets(cluster).flatMap((s) => s.instances);
    }
    joinCluster(scaleSet, node) {
        for (const cluster of this.clustersByGroup.get(key(scaleSet.subscriptionId, scaleSet.resourceGroup)) ??
            []) {
            if (!cluster.nodeTypeNames().some((n) => n.toLowerCase() === nodeTypeOf(scaleSet)))
                continue;
            node.sfConfig = cluster.configFor(node.upgradeDomain);
        }
    }
    // ---- Batch -----------------------------------------------------------------------------------
    batchAccount(subscriptionId, resourceGroup, name) {
        return this.accounts.get(key(subscriptionId, resourceGroup, name));
    }
    /** Finds an account by its name alone (the Batch data plane addresses accounts by host name). */
    batchAccountByName(name) {
        return [...this.accounts.values()].find((a) => a.name.toLowerCase() === name.toLowerCase());
    }
    createBatchAccount(subscriptionId, resourceGroup, name, location) {
        const account = { subscriptionId, resourceGroup, name, location, pools: new Map() };
        this.accounts.set(key(subscriptionId, resourceGroup, name), account);
        return account;
    }
    createPool(account, name, resource) {
        const pool = new PoolSim(account, name, resource, {
            vault: this.vault,
            scheduler: this.scheduler,
            onChange: (cause, at) => this.changed(cause, at, []),
        });
        account.pools.set(name.toLowerCase(), pool);
        pool.resize(this.now());
        return pool;
    }
    deletePool(account, name) {
        const pool = account.pools.get(name.toLowerCase());
        if (pool === undefined)
            return false;
        pool.dispose();
        account.pools.delete(name.toLowerCase());
        this.changed(`pool ${name}: deleted`, this.now(), []);
        return true;
    }
    // ---- the oracle ------------------------------------------------------------------------------
    /** Asks the oracle about every cluster now (recorded in `availability`). */
    evaluate(cause, at = this.now(), clusters = this.clusters.values()) {
        const answers = [];
        for (const cluster of clusters) {
            const answer = evaluateAvailability(cluster.name, this.clusterNodes(cluster), at, presentationOrdering(cluster.properties().clusterCodeVersion), cause);
            this.availability.record(answer);
            answers.push(answer);
            this.watchExpiry(cluster, answer, at);
        }
        return answers;
    }
    /** The oracle's answer for one cluster right now, without recording it. */
    availableNow(cluster) {
        return evaluateAvailability(cluster.name, this.clusterNodes(cluster), this.now(), presentationOrdering(cluster.properties().clusterCodeVersion), 'query');
    }
    /** Clusters one of whose node types this scale set backs (the only ones a change to it can affect). */
    clustersOf(scaleSet) {
        const nodeType = nodeTypeOf(scaleSet);
        return (this.clustersByGroup.get(key(scaleSet.subscriptionId, scaleSet.resourceGroup)) ?? []).filter((c) => c.nodeTypeNames().some((n) => n.toLowerCase() === nodeType));
    }
    /** Tells listeners, then asks the oracle about the clusters the change can affect. */
    changed(cause, at, clusters) {
        for (const listener of this.listeners)
            listener(cause, at);
        if (this.evaluating || clusters.length === 0)
            return;
        this.evaluating = true;
        try {
            this.evaluate(cause, at, clusters);
        }
        finally {
            this.evaluating = false;
        }
    }
    /** Re-asks the oracle when the earliest presented certificate expires. */
    watchExpiry(cluster, answer, at) {
        let earliest = Number.POSITIVE_INFINITY;
        for (const node of this.clusterNodes(cluster)) {
            const tp = answer.presented[node.name];
            const cert = tp === undefined ? undefined : node.store.get(tp);
            if (cert !== undefined && cert.notAfter.getTime() > at.getTime())
                earliest = Math.min(earliest, cert.notAfter.getTime());
        }
        const k = cluster.id.toLowerCase();
        const existing = this.expiryTimers.get(k);
        if (!Number.isFinite(earliest))
            return;
        if (existing !== undefined && existing.at === earliest)
            return;
        if (existing !== undefined)
            this.scheduler.cancel(existing.id);
        const id = this.scheduler.at(new Date(earliest), (when) => {
            this.expiryTimers.delete(k);
            this.changed(`certificate presented in cluster ${cluster.name} expired`, when, [cluster]);
        });
        this.expiryTimers.set(k, { at: earliest, id });
    }
}
/** The node type a scale set backs: its Service Fabric extension's `nodeTypeRef`, else its name. */
export function nodeTypeOf(scaleSet) {
    const ext = scaleSetExtensions(scaleSet.resource).find(isServiceFabricExtension);
    const settings = ext?.properties?.settings;
    if (typeof settings === 'object' && settings !== null && 'nodeTypeRef' in settings) {
        const ref = settings.nodeTypeRef;
        if (typeof ref === 'string' && ref !== '')
            return ref.toLowerCase();
    }
    return scaleSet.name.toLowerCase();
}
//# sourceMappingURL=world.js.map