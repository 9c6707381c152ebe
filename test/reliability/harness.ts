// Seeded, reproducible fault scenarios over the Service Fabric story (issue 8). Each scenario starts the
// whole sandbox, applies the sample rotation (with quarantine of untrusted versions on), runs the REAL
// operator process(es), injects a random sequence of faults while the conversion runs, then applies a
// random sequence of vault renewals, and checks the invariants on the simulated world, the Kubernetes
// objects, the vault and every text the operator produced.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  API_GROUP,
  API_VERSION,
  Hazard,
  PLURAL_SERVICE_FABRIC,
  Reason,
  SERVICE_FABRIC_COMMON_NAME_STEPS,
} from '../../src/domain/names.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { DEMO_VAULT, DEMO_VAULT_ISSUER } from '../../src/sandbox/scenarios/common.js';
import type { ClusterSim } from '../../src/sandbox/world/index.js';
import { createRng, type Rng } from './prng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OPERATOR_COMMAND = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];

export const FAULT_KINDS = [
  'arm-throttle',
  'arm-5xx',
  'arm-timeout',
  'lro-failed',
  'vault-429',
  'vault-5xx',
  'watch-drop',
  'watch-410',
  'kube-429',
  'operator-crash',
  'leader-kill',
  'scale-out',
  'spec-edit',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const RENEWAL_KINDS = [
  'same-issuer',
  're-key',
  'declared-intermediate',
  'undeclared-issuer',
  'earlier-not-before',
] as const;
export type RenewalKind = (typeof RENEWAL_KINDS)[number];

export interface ScenarioPlan {
  readonly seed: number;
  readonly operators: 1 | 2;
  /** The spec pins the spare intermediate too (renewals from it are declared). */
  readonly pinSpare: boolean;
  readonly faults: ReadonlyArray<{ readonly kind: FaultKind; readonly atMs: number }>;
  readonly renewals: readonly RenewalKind[];
}

export interface ScenarioOutcome {
  readonly plan: ScenarioPlan;
  readonly failures: string[];
  readonly converged: boolean;
  /** Fault events started plus requests the injected rules affected. */
  readonly faultsInjected: number;
  readonly faultRequestsAffected: number;
  readonly availabilityLosses: number;
  /** Virtual seconds from operator start to conversion, then from each renewal to its end state. */
  readonly conversionVirtualSeconds: number | undefined;
  readonly renewalVirtualSeconds: readonly number[];
  readonly realSeconds: number;
}

export interface ScenarioOptions {
  readonly operatorCommand?: readonly string[];
  readonly clockSpeed?: number;
  readonly conversionTimeoutMs?: number;
  readonly renewalTimeoutMs?: number;
  /** Upper bound of renewals per scenario (default 3). */
  readonly maxRenewals?: number;
  /** Upper bound of faults per scenario (default 5). */
  readonly maxFaults?: number;
}

/** The scenario a seed stands for (pure: the same seed always gives the same plan). */
export function planScenario(seed: number, options: ScenarioOptions = {}): ScenarioPlan {
  const rng: Rng = createRng(seed);
  const operators = rng.chance(0.5) ? 2 : 1;
  const pinSpare = rng.chance(0.5);
  const kinds = FAULT_KINDS.filter((k) => k !== 'leader-kill' || operators === 2);
  const faults = Array.from({ length: rng.int(2, options.maxFaults ?? 5) }, () => ({
    kind: rng.pick(kinds),
    atMs: rng.int(0, 12_000),
  })).sort((a, b) => a.atMs - b.atMs);
  const renewalKinds = RENEWAL_KINDS.filter((k) => k !== 'declared-intermediate' || pinSpare);
  const renewals = Array.from({ length: rng.int(1, options.maxRenewals ?? 3) }, () => rng.pick(renewalKinds));
  return { seed, operators, pinSpare, faults, renewals };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Replica {
  readonly identity: string;
  readonly metricsPort: number;
  readonly log: WriteStream;
  readonly logPath: string;
  child: ChildProcess | undefined;
  metrics: string;
}

/** One or two operator processes (leader election on with two), restartable after a crash. */
class Operators {
  readonly replicas: Replica[] = [];

  constructor(
    private readonly sandbox: Sandbox,
    private readonly command: readonly string[],
    private readonly elect: boolean,
  ) {}

  async add(identity: string): Promise<void> {
    const logPath = path.join(this.sandbox.stateDir, `operator-${identity}.log`);
    const replica: Replica = {
      identity,
      metricsPort: await freePort(),
      log: createWriteStream(logPath, { flags: 'a' }),
      logPath,
      child: undefined,
      metrics: '',
    };
    this.replicas.push(replica);
    this.start(replica);
  }

  start(replica: Replica): void {
    const [command, ...args] = [
      ...this.command,
      'run',
      `--leader-elect=${this.elect}`,
      '--leader-election-namespace=default',
      '--leader-elect-lease-duration=4s',
      '--leader-elect-renew-deadline=3s',
      '--leader-elect-retry-period=1s',
      `--identity=${replica.identity}`,
      `--metrics-bind-address=127.0.0.1:${replica.metricsPort}`,
      '--health-probe-bind-address=0',
      '--vault-poll-interval=2s',
      '--step-poll-interval=1s',
      '--log-level=debug',
    ];
    const child = spawn(command ?? process.execPath, args, {
      env: { ...process.env, ...this.sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(replica.log, { end: false });
    child.stderr?.pipe(replica.log, { end: false });
    replica.child = child;
  }

  /** SIGKILL (a crash: no graceful shutdown, the Lease is not released), restarted after `downMs`. */
  async crash(replica: Replica, downMs: number): Promise<void> {
    await this.scrape(replica);
    replica.child?.kill('SIGKILL');
    await sleep(downMs);
    this.start(replica);
  }

  leader(): Replica | undefined {
    const api = this.sandbox.kube.api;
    const type = api.resolve('coordination.k8s.io', 'v1', 'leases');
    if (type === undefined) return undefined;
    try {
      const lease = api.get(type, 'default', 'kv-rollover-leader') as unknown as {
        spec?: { holderIdentity?: string };
      };
      return this.replicas.find((r) => r.identity === lease.spec?.holderIdentity);
    } catch {
      return undefined;
    }
  }

  /** Keeps the last /metrics text of each replica (scanned for key material at the end). */
  async scrape(replica: Replica): Promise<void> {
    try {
      const res = await fetch(`http://127.0.0.1:${replica.metricsPort}/metrics`);
      replica.metrics = await res.text();
    } catch {
      // not listening (starting or crashed): keep the previous text
    }
  }

  anyExited(): Replica | undefined {
    return this.replicas.find((r) => r.child !== undefined && r.child.exitCode !== null);
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map(async (r) => this.scrape(r)));
    await Promise.all(
      this.replicas.map(async (r) => {
        const child = r.child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }),
    );
    await Promise.all(this.replicas.map((r) => new Promise((resolve) => r.log.end(resolve))));
  }
}

interface RotationObject {
  metadata: { name: string; namespace: string; generation?: number };
  spec: {
    certificate: { issuerThumbprints: string[] } & Record<string, unknown>;
    policy?: Record<string, unknown>;
    keyVaultExtension?: Record<string, unknown>;
  } & Record<string, unknown>;
  status?: {
    phase?: string;
    observedGeneration?: number;
    conditions?: { type: string; status: string }[];
    hazards?: { reason: string; severity: string }[];
  };
}

const RESOURCE = { namespace: 'default', name: 'kvr-demo-cluster' };
const TICK_MS = 250;
const QUARANTINE_CLOCK_SPEED = 60;
const STEP_INDEX = new Map<string, number>(SERVICE_FABRIC_COMMON_NAME_STEPS.map((s, i) => [s, i]));

/** Runs one scenario; never throws for an invariant violation (they are returned as `failures`). */
export async function runScenario(seed: number, options: ScenarioOptions = {}): Promise<ScenarioOutcome> {
  const plan = planScenario(seed, options);
  const rng = createRng(seed ^ 0x5eed);
  const startedReal = Date.now();
  const failures: string[] = [];
  // Our own state directory: kept (logs included) when the scenario fails, removed when it passes.
  const stateDir = await mkdtemp(path.join(tmpdir(), `kvr-reliability-${seed}-`));
  // The virtual clock is ours to drive (startSandbox's ticker is off): renewals run it slower, see below.
  const sandbox = await startSandbox({ clockSpeed: 0, stateDir });
  let speed = options.clockSpeed ?? 600;
  const ticker = setInterval(() => sandbox.azure.clock.advance(TICK_MS * speed), TICK_MS);
  const azure = sandbox.azure;
  const vault = sandbox.env.KVROLLOVER_SANDBOX_VAULT ?? DEMO_VAULT;
  const certName = sandbox.env.KVROLLOVER_SANDBOX_CERTIFICATE ?? 'cluster-cert';
  const ops = new Operators(sandbox, options.operatorCommand ?? OPERATOR_COMMAND, plan.operators === 2);
  const ruleHandles: { hits(): number }[] = [];
  let faultsInjected = 0;
  let specEditedAt: number | undefined;
  let conversionVirtualSeconds: number | undefined;
  const renewalVirtualSeconds: number[] = [];
  const rogueThumbprints: string[] = [];
  let converged = false;
  try {
    // ---- PKI: the issuing CA (pinned), the spare intermediate (pinned when plan.pinSpare), a rogue one.
    const issuingThumbprint = sandbox.env.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT ?? '';
    const issuing = azure.world.cas.byThumbprint(issuingThumbprint);
    if (issuing?.parentId === undefined) throw new Error('the sandbox seeded no issuing CA');
    const spare = azure.world.cas.all().find((c) => c.parentId === issuing.parentId && c.id !== issuing.id);
    if (spare === undefined) throw new Error('the sandbox seeded no spare intermediate');
    const rogue = await azure.world.cas.createIntermediate(issuing.parentId, 'Rogue Issuing CA');

    const samplePath = sandbox.samplePaths.find((p) => p.endsWith('servicefabriccertificaterotation.yaml'));
    if (samplePath === undefined) throw new Error('the sandbox wrote no Service Fabric sample');
    const resource = parseYaml(await readFile(samplePath, 'utf8')) as RotationObject;
    resource.spec.policy = { ...resource.spec.policy, quarantineUntrustedVersions: true };
    if (plan.pinSpare) resource.spec.certificate.issuerThumbprints.push(spare.thumbprint);
    sandbox.kube.createObject(resource);
    const declaredIssuers = (): string[] => [...(current()?.spec.certificate.issuerThumbprints ?? [])];

    const cluster = (): ClusterSim => {
      const c = sandbox.sim.listClusters()[0];
      if (c === undefined) throw new Error('no cluster');
      return c;
    };
    const api = sandbox.kube.api;
    const sfType = api.resolve(API_GROUP, API_VERSION, PLURAL_SERVICE_FABRIC);
    function current(): RotationObject | undefined {
      if (sfType === undefined) return undefined;
      try {
        return api.get(sfType, RESOURCE.namespace, RESOURCE.name) as unknown as RotationObject;
      } catch {
        return undefined;
      }
    }
    const steady = (): boolean => {
      const r = current();
      return (
        r?.status?.phase === 'Steady' &&
        r.status.observedGeneration === r.metadata.generation &&
        r.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      );
    };
    const latestEnabled = (): { thumbprint: string; notBefore: Date } | undefined =>
      azure.world.vaults
        .getCertificate(vault, certName)
        ?.versions.filter((v) => v.enabled)
        .at(-1);
    const presented = (): (string | undefined)[] =>
      Object.values(sandbox.sim.availableNow(cluster()).presented);
    const convertedByCommonName = (): boolean => {
      const props = cluster().properties();
      return (
        props.certificateCommonNames !== undefined &&
        props.certificateCommonNames !== null &&
        props.certificate === undefined &&
        cluster().clusterState() === 'Ready'
      );
    };
    const waitFor = async (what: string, timeoutMs: number, done: () => boolean): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const exited = ops.anyExited();
        if (exited !== undefined) {
          failures.push(
            `operator ${exited.identity} exited with status ${exited.child?.exitCode} during ${what}`,
          );
          return false;
        }
        if (done()) return true;
        await sleep(200);
      }
      const st = current()?.status as Record<string, unknown> | undefined;
      const versions = azure.world.vaults
        .getCertificate(vault, certName)
        ?.versions.map(
          (v) => `${v.version.slice(0, 6)}:${v.enabled ? 'on' : 'off'}:${v.issuerThumbprint.slice(0, 6)}`,
        );
      failures.push(
        `did not converge: ${what} (phase ${String(st?.phase)}, step ${String(st?.currentStep)}, message ${JSON.stringify(st?.message)}, hazards ${JSON.stringify(st?.hazards)}, versions ${JSON.stringify(versions)}, presented ${JSON.stringify(presented().map((t) => t?.slice(0, 6)))})`,
      );
      return false;
    };

    // ---- Operators, then the faults at their moments while the conversion runs.
    await ops.add('replica-a');
    if (plan.operators === 2) await ops.add('replica-b');
    const virtualStart = azure.clock.now().getTime();
    const operatorsStarted = Date.now();
    const inject = async (kind: FaultKind): Promise<void> => {
      faultsInjected++;
      const faults = azure.faults;
      switch (kind) {
        case 'arm-throttle':
          ruleHandles.push(
            faults.add({
              service: 'arm',
              operation: /\/read$/i,
              times: rng.int(2, 6),
              action: { type: 'throttle', retryAfterSeconds: 1 },
            }),
          );
          return;
        case 'arm-5xx':
          ruleHandles.push(
            faults.add({
              service: 'arm',
              times: rng.int(1, 4),
              action: { type: 'status', status: rng.pick([500, 502, 503]) },
            }),
          );
          return;
        case 'arm-timeout':
          ruleHandles.push(
            faults.add({ service: 'arm', times: rng.int(1, 2), action: { type: 'timeout', holdMs: 200 } }),
          );
          return;
        case 'lro-failed':
          ruleHandles.push(
            faults.add({
              service: 'arm',
              operation: /\/write$/i,
              action: {
                type: 'failLro',
                code: 'InternalServerError',
                message: 'Injected failure of the operation.',
              },
            }),
          );
          return;
        case 'vault-429':
          ruleHandles.push(
            faults.add({
              service: 'vault',
              times: rng.int(2, 5),
              action: { type: 'throttle', retryAfterSeconds: 1 },
            }),
          );
          return;
        case 'vault-5xx':
          ruleHandles.push(
            faults.add({ service: 'vault', times: rng.int(1, 3), action: { type: 'status', status: 503 } }),
          );
          return;
        case 'watch-drop':
          sandbox.kube.faults.dropWatches();
          return;
        case 'watch-410':
          sandbox.kube.faults.compact();
          sandbox.kube.faults.expireWatches();
          return;
        case 'kube-429': {
          const handle = sandbox.kube.faults.inject({
            verb: ['patch', 'update'],
            times: rng.int(1, 3),
            action: { status: 429, retryAfterSeconds: 1 },
          });
          ruleHandles.push({ hits: () => handle.hits });
          return;
        }
        case 'operator-crash': {
          const victim = rng.pick(ops.replicas);
          await ops.crash(victim, rng.int(200, 2000));
          return;
        }
        case 'leader-kill': {
          const leader = ops.leader() ?? rng.pick(ops.replicas);
          await ops.crash(leader, rng.int(200, 2000));
          return;
        }
        case 'scale-out': {
          const scaleSet = rng.pick(sandbox.sim.clusterScaleSets(cluster()));
          const capacity = (scaleSet.resource.sku?.capacity ?? scaleSet.instances.length) + 1;
          scaleSet.write(
            { ...scaleSet.resource, sku: { ...scaleSet.resource.sku, capacity } },
            azure.clock.now(),
          );
          return;
        }
        case 'spec-edit': {
          const r = current();
          if (r === undefined) return;
          const spec = structuredClone(r.spec);
          if (!spec.certificate.issuerThumbprints.includes(spare.thumbprint) && rng.chance(0.5)) {
            spec.certificate.issuerThumbprints.push(spare.thumbprint);
          } else {
            spec.keyVaultExtension = {
              ...spec.keyVaultExtension,
              pollingIntervalInS: rng.pick([1800, 2400, 7200]),
            };
          }
          specEditedAt ??= Date.now();
          // A user's `kubectl edit`: an update of the whole object at its current resourceVersion.
          if (sfType !== undefined)
            api.update(sfType, r.metadata.namespace, r.metadata.name, undefined, { ...r, spec });
          return;
        }
      }
    };
    const faultRun = (async () => {
      for (const fault of plan.faults) {
        const wait = operatorsStarted + fault.atMs - Date.now();
        if (wait > 0) await sleep(wait);
        await inject(fault.kind);
      }
    })();
    const conversionOk = await waitFor(
      'conversion',
      options.conversionTimeoutMs ?? 120_000,
      () => convertedByCommonName() && steady(),
    );
    await faultRun;
    if (conversionOk) conversionVirtualSeconds = (azure.clock.now().getTime() - virtualStart) / 1000;
    const conversionEndedAt = Date.now();
    // Pending request faults must not leak into the renewals: an undeclared version must be caught in time.
    azure.faults.clear();
    sandbox.kube.faults.clear();

    // ---- Renewals, one at a time, each to its own end state.
    let renewalsOk = conversionOk;
    // The operator's intervals are real time, the nodes' KeyVault extension polls on virtual time: at 600×
    // a 2 s vault poll would be 20 virtual minutes against the extension's hour, far from a deployment's
    // 5 min against an hour. Undeclared-issuer renewals run at 60× (2 s = 2 virtual minutes) until caught.
    const fastSpeed = speed;
    for (const kind of conversionOk ? plan.renewals : []) {
      speed = kind === 'undeclared-issuer' ? QUARANTINE_CLOCK_SPEED : fastSpeed;
      if (kind === 'declared-intermediate')
        azure.world.certificates.switchIssuer(vault, DEMO_VAULT_ISSUER, spare.id);
      const before = latestEnabled();
      const overrides =
        kind === 'undeclared-issuer'
          ? { caId: rogue.id }
          : kind === 'earlier-not-before' && before !== undefined
            ? { notBefore: new Date(before.notBefore.getTime() - 30 * 86_400_000) }
            : {};
      const renewed = await azure.world.certificates.renewNow(vault, certName, overrides);
      if (kind === 'undeclared-issuer') rogueThumbprints.push(renewed.thumbprint);
      const v0 = azure.clock.now().getTime();
      const timeout = options.renewalTimeoutMs ?? 60_000;
      let ok: boolean;
      if (kind === 'undeclared-issuer') {
        const held = (): boolean =>
          (current()?.status?.hazards ?? []).some(
            (h) => h.reason === Hazard.LatestVersionDisabled && h.severity === 'blocking',
          );
        ok = await waitFor(`quarantine of ${renewed.version} (${kind})`, timeout, () => {
          const v = azure.world.vaults
            .getCertificate(vault, certName)
            ?.versions.find((x) => x.version === renewed.version);
          return v?.enabled === false && (steady() || held());
        });
        if (ok && !steady()) {
          // An extension install was due (a spec edit) when the quarantined version became the newest: it
          // could never finish its first sync, so the operator holds it (LatestVersionDisabled). A user
          // makes the end state reachable by renewing from a declared issuer; then it must converge.
          const trusted = await azure.world.certificates.renewNow(vault, certName);
          ok = await waitFor(`rollover to ${trusted.version} after a held install`, timeout, () => {
            const p = presented();
            return p.length > 0 && p.every((t) => t === trusted.thumbprint) && steady();
          });
        }
      } else if (kind === 'earlier-not-before') {
        ok = await waitFor(`${Hazard.RenewalNotPresented} reported (${kind})`, timeout, () =>
          (current()?.status?.hazards ?? []).some((h) => h.reason === Hazard.RenewalNotPresented),
        );
      } else {
        ok = await waitFor(`rollover to ${renewed.version} (${kind})`, timeout, () => {
          const p = presented();
          return p.length > 0 && p.every((t) => t === renewed.thumbprint) && steady();
        });
      }
      speed = fastSpeed;
      if (ok) renewalVirtualSeconds.push((azure.clock.now().getTime() - v0) / 1000);
      renewalsOk &&= ok;
      if (!ok) break;
    }
    converged = conversionOk && renewalsOk;

    // ---- Invariants.
    const history = sandbox.sim.availability;
    const losses = history.transitions(cluster().name).filter((a) => !a.available);
    for (const loss of losses) {
      failures.push(
        `availability lost at ${loss.at.toISOString()}: ${loss.cause} ${JSON.stringify(loss.failures ?? [])}`,
      );
    }
    // No node ever installed a version from an undeclared issuer.
    for (const node of sandbox.sim.clusterNodes(cluster())) {
      for (const t of rogueThumbprints) {
        if (node.store.has(t))
          failures.push(`node ${node.name} installed the undeclared-issuer version ${t}`);
      }
    }
    // Steps ran in plan order: the first execution of each step, before the conversion ended and before any
    // spec edit (an edit may legitimately send the rotation back to an earlier step).
    const orderUntil = Math.min(conversionEndedAt, specEditedAt ?? Infinity);
    const eventsType = api.resolve('events.k8s.io', 'v1', 'events');
    const events = (eventsType === undefined
      ? []
      : api.list(eventsType, { namespace: RESOURCE.namespace }).items) as unknown as {
      reason?: string;
      action?: string;
      eventTime?: string;
      note?: string;
      regarding?: { name?: string };
    }[];
    const executed = events
      // Changes sent, not the later "… completed." bookkeeping of their long-running operations: a step
      // may start once the previous one is complete in the observed world, before its LRO poll says so.
      .filter((e) => e.reason === Reason.StepExecuted && e.regarding?.name === RESOURCE.name)
      .filter((e) => !(e.note ?? '').endsWith(' completed.'))
      .filter((e) => e.eventTime !== undefined && Date.parse(e.eventTime) <= orderUntil)
      .sort((a, b) => Date.parse(a.eventTime ?? '') - Date.parse(b.eventTime ?? ''));
    let highest = -1;
    for (const e of executed) {
      const index = STEP_INDEX.get(e.action ?? '') ?? -1;
      if (index < highest) {
        const trace = executed.map((x) => `${x.eventTime ?? ''} ${x.note ?? ''}`).join(' | ');
        failures.push(
          `step ${e.action} ran after a later step (${e.eventTime}: ${e.note ?? ''}); trace: ${trace}`,
        );
      }
      highest = Math.max(highest, index);
    }
    // Nothing declared was lost.
    const final = current();
    if (final === undefined) failures.push('the rotation resource is gone');
    const pinned = new Set(declaredIssuers().map((t) => t.toUpperCase()));
    if (conversionOk) {
      const names = cluster().properties().certificateCommonNames?.commonNames ?? [];
      const clusterIssuers = new Set(
        names.flatMap((n) =>
          (n.certificateIssuerThumbprint ?? '').split(',').map((t) => t.trim().toUpperCase()),
        ),
      );
      for (const t of pinned)
        if (!clusterIssuers.has(t)) failures.push(`pinned issuer ${t} is missing from the cluster`);
    }
    const versions = azure.world.vaults.getCertificate(vault, certName)?.versions ?? [];
    for (const v of versions) {
      if (!v.enabled && !rogueThumbprints.includes(v.thumbprint))
        failures.push(`trusted version ${v.version} was disabled`);
    }
    // No private key material anywhere the operator writes.
    await ops.stop();
    const texts: [string, string][] = [];
    for (const r of ops.replicas) {
      texts.push([`log of ${r.identity}`, await readFile(r.logPath, 'utf8').catch(() => '')]);
      texts.push([`metrics of ${r.identity}`, r.metrics]);
    }
    texts.push(['status', JSON.stringify(final?.status ?? {})]);
    texts.push(['events', JSON.stringify(events)]);
    const keySlices = versions.map((v) => v.keyPkcs8.toString('base64').slice(64, 128));
    for (const [where, text] of texts) {
      if (/PRIVATE KEY/.test(text)) failures.push(`"PRIVATE KEY" appears in the ${where}`);
      if (keySlices.some((s) => text.includes(s)))
        failures.push(`private key material appears in the ${where}`);
      if (/MII[A-Za-z0-9+/]{400,}/.test(text)) failures.push(`a DER/PFX blob appears in the ${where}`);
    }
    return {
      plan,
      failures,
      converged,
      faultsInjected,
      faultRequestsAffected: ruleHandles.reduce((n, h) => n + h.hits(), 0),
      availabilityLosses: losses.length,
      conversionVirtualSeconds,
      renewalVirtualSeconds,
      realSeconds: (Date.now() - startedReal) / 1000,
    };
  } catch (err: unknown) {
    failures.push(`scenario error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await ops.stop();
    return {
      plan,
      failures,
      converged: false,
      faultsInjected,
      faultRequestsAffected: ruleHandles.reduce((n, h) => n + h.hits(), 0),
      availabilityLosses: sandbox.sim.availability.transitions().filter((a) => !a.available).length,
      conversionVirtualSeconds,
      renewalVirtualSeconds,
      realSeconds: (Date.now() - startedReal) / 1000,
    };
  } finally {
    clearInterval(ticker);
    await sandbox.close();
    if (failures.length === 0) await rm(stateDir, { recursive: true, force: true });
    else failures.push(`operator logs kept in ${stateDir}`);
  }
}
