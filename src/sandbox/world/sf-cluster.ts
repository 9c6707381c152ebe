// A simulated Microsoft.ServiceFabric/clusters resource and the resource provider's upgrade walk.
// An accepted certificate change becomes the multi-step flow of sf-upgrade-flow.ts; each step is rolled
// out upgrade domain by upgrade domain on the virtual clock (one UD per `udDurationMs`), every node of
// the UD taking the step's validation and presentation lists; `clusterState` is UpdatingUserCertificate
// (UpdatingUserConfiguration for an issuer-only change) until the last step reaches the last UD, then
// Ready [SF-SPEC][SF-MGMT][SF-CERTS §"per UD"]. The PUT/PATCH long-running operation itself completes as
// soon as the change is accepted; the walk is tracked through clusterState (azure.md §10).
// Nodes that join during a walk follow the Failover Manager's upgrade gatekeeping [SF-SRC
// Reliability/Failover/fm/FabricUpgradeManager.cpp, IsFabricUpgradeNeeded / AddFabricUpgradeContext]:
// a node whose UD the running step has already upgraded starts on that step's version, any other node on
// the cluster's current version (the last completed step's); the walk's UD list is refreshed when the
// node cache's UDs change, so a UD that appears mid-walk is walked too and every node ends with the
// target configuration.
import type { SimNode } from './node.js';
import type { Scheduler } from './scheduler.js';
import type { ClusterProperties, ClusterResource } from './sf-cluster-model.js';
import { declarationOf } from './sf-cluster-model.js';
import type { CertificateDeclaration, NodeSecurityConfig } from './sf-runtime.js';
import { describeDeclaration } from './sf-runtime.js';
import type { UpgradeFlow } from './sf-upgrade-flow.js';
import { certificateUpgradeFlow } from './sf-upgrade-flow.js';

export const ClusterState = {
  Ready: 'Ready',
  UpdatingUserCertificate: 'UpdatingUserCertificate',
  UpdatingUserConfiguration: 'UpdatingUserConfiguration',
} as const;

const UPDATE_DOMAINS = 5;

export interface ClusterDeps {
  readonly scheduler: Scheduler;
  readonly nodes: (cluster: ClusterSim) => SimNode[];
  readonly onChange: (cause: string, at: Date) => void;
  readonly udDurationMs: number;
}

interface RunningUpgrade {
  readonly flow: UpgradeFlow;
  readonly target: CertificateDeclaration;
  stepIndex: number;
  /** The UDs the running step has upgraded so far. */
  walked: Set<number>;
  timer: number | undefined;
}

export interface UpgradeRecord {
  readonly startedAt: Date;
  readonly kind: UpgradeFlow['kind'];
  readonly steps: number;
  readonly from: string;
  readonly to: string;
  completedAt: Date | undefined;
}

export class ClusterSim {
  resource: ClusterResource;
  /** The declaration every node ends with once no upgrade runs (the last accepted target). */
  private committed: CertificateDeclaration;
  private upgrade: RunningUpgrade | undefined;
  readonly upgrades: UpgradeRecord[] = [];

  constructor(
    readonly subscriptionId: string,
    readonly resourceGroup: string,
    readonly name: string,
    resource: ClusterResource,
    private readonly deps: ClusterDeps,
  ) {
    this.resource = resource;
    this.committed = declarationOf(resource.properties);
    const properties = this.properties();
    properties.clusterState = ClusterState.Ready;
    properties.provisioningState = 'Succeeded';
  }

  get id(): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.ServiceFabric/clusters/${this.name}`;
  }

  properties(): ClusterProperties {
    this.resource.properties ??= {};
    return this.resource.properties;
  }

  clusterState(): string {
    return this.properties().clusterState ?? ClusterState.Ready;
  }

  upgradeInProgress(): boolean {
    return this.upgrade !== undefined;
  }

  nodeTypeNames(): string[] {
    return (this.properties().nodeTypes ?? []).map((nt) => nt.name ?? '').filter((name) => name !== '');
  }

  /**
   * The configuration a node in `ud` runs with, and the one a node joining in `ud` starts with: the
   * running step's once the walk has reached `ud`, else the cluster's current version — the last
   * completed step's, or the declaration before the upgrade (SF-SRC IsFabricUpgradeNeeded).
   */
  configFor(ud: number): NodeSecurityConfig {
    const upgrade = this.upgrade;
    const current: NodeSecurityConfig = { validation: this.committed, presentation: this.committed };
    if (upgrade === undefined) return current;
    const step = upgrade.flow.steps[upgrade.stepIndex];
    if (step !== undefined && upgrade.walked.has(ud)) return step;
    return upgrade.flow.steps[upgrade.stepIndex - 1] ?? current;
  }

  /** Gives every current node its UD's configuration (after creation or when nodes joined). */
  syncNodes(): void {
    for (const node of this.deps.nodes(this)) node.sfConfig ??= this.configFor(node.upgradeDomain);
  }

  /**
   * Accepts new properties (already validated and merged). A certificate change starts the UD walk;
   * other changes take effect at once.
   */
  accept(properties: ClusterProperties, at: Date): UpgradeFlow {
    const current = declarationOf(this.properties());
    const target = declarationOf(properties);
    const keep = { clusterState: this.clusterState(), provisioningState: 'Succeeded' };
    this.resource.properties = { ...properties, ...keep };
    const flow = certificateUpgradeFlow(current, target);
    if (flow.kind === 'none') return flow;
    this.startUpgrade(flow, current, target, at);
    return flow;
  }

  private startUpgrade(
    flow: UpgradeFlow,
    current: CertificateDeclaration,
    target: CertificateDeclaration,
    at: Date,
  ): void {
    this.upgrade = { flow, target, stepIndex: 0, walked: new Set(), timer: undefined };
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
    this.deps.onChange(
      `cluster ${this.name}: ${flow.kind} upgrade accepted (${flow.steps.length} step(s)) ${describeDeclaration(current)} → ${describeDeclaration(target)}`,
      at,
    );
    this.scheduleNextUd(at);
  }

  private scheduleNextUd(at: Date): void {
    const upgrade = this.upgrade;
    if (upgrade === undefined) return;
    upgrade.timer = this.deps.scheduler.at(new Date(at.getTime() + this.deps.udDurationMs), (when) =>
      this.walkUd(when),
    );
  }

  /** The UDs that hold nodes now and the running step has not upgraded yet, in walk order. */
  private pendingUds(upgrade: RunningUpgrade): number[] {
    const present = new Set(this.deps.nodes(this).map((node) => node.upgradeDomain));
    return Array.from({ length: UPDATE_DOMAINS }, (_, ud) => ud).filter(
      (ud) => present.has(ud) && !upgrade.walked.has(ud),
    );
  }

  private walkUd(at: Date): void {
    const upgrade = this.upgrade;
    if (upgrade === undefined) return;
    const step = upgrade.flow.steps[upgrade.stepIndex];
    if (step === undefined) return;
    // The UD list is re-read at every UD (SF-SRC AddFabricUpgradeContext refreshes stale domains), so
    // nodes a scale-out added in a UD the walk had not seen are upgraded too.
    const ud = this.pendingUds(upgrade)[0];
    if (ud !== undefined) {
      upgrade.walked.add(ud);
      for (const node of this.deps.nodes(this)) if (node.upgradeDomain === ud) node.sfConfig = step;
      this.deps.onChange(
        `cluster ${this.name}: step ${upgrade.stepIndex + 1}/${upgrade.flow.steps.length} applied to UD ${ud} (validate ${describeDeclaration(step.validation)}, present ${describeDeclaration(step.presentation)})`,
        at,
      );
    }
    if (this.pendingUds(upgrade).length === 0) {
      upgrade.stepIndex += 1;
      upgrade.walked = new Set();
    }
    if (upgrade.stepIndex >= upgrade.flow.steps.length) {
      this.committed = upgrade.target;
      this.upgrade = undefined;
      this.properties().clusterState = ClusterState.Ready;
      const record = this.upgrades[this.upgrades.length - 1];
      if (record !== undefined) record.completedAt = at;
      this.deps.onChange(`cluster ${this.name}: upgrade complete, clusterState Ready`, at);
      return;
    }
    this.scheduleNextUd(at);
  }
}
