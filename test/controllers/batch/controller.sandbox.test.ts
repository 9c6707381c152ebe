// The Batch pool controller end to end on the sandbox's "batch" scenario: the real reconciler in a child
// process (real Azure SDKs through our adapters, configured only by the sandbox's dotenv variables),
// against the Batch management and data-plane emulators, Key Vault and the simulated nodes (their
// KeyVault extension agents poll the vault on the virtual clock). Assertions are about the simulated
// world — the pool Azure holds, the certificates in each node's store — not about calls made.
/* eslint-disable @typescript-eslint/no-unsafe-call -- the child's replies are wire-format JSON, read loosely */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { Hazard, Phase } from '../../../src/domain/names.js';
import { DEMO_VAULT_ISSUER } from '../../../src/sandbox/scenarios/common.js';
import { UBUNTU_POOL_IMAGE } from '../../../src/sandbox/scenarios/scale.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

let sb: Sandbox;
let child: ChildProcess;
let nextId = 1;
const waiting = new Map<number, (reply: Reply) => void>();

// The child's JSON replies, read loosely as a test reads any wire format.
type Reply = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ask(request: Record<string, unknown>): Promise<Reply> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not answer ${String(request.cmd)}`)), 40_000);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    child.send({ id, ...request });
  });
}

beforeAll(async () => {
  sb = await startSandbox({ scenario: 'batch', throttling: false, clockSpeed: 0 });
  child = fork(path.join(here, 'fixtures', 'operator-child.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...sb.env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not start')), 60_000);
    child.on('message', (message: Reply) => {
      if (message.ready === true) {
        clearTimeout(timer);
        resolve();
        return;
      }
      waiting.get(message.id as number)?.(message);
      waiting.delete(message.id as number);
    });
  });
}, 90_000);

afterAll(async () => {
  child?.kill();
  await sb?.close();
});

const env = () => sb.env;
const POLL_S = 300;

function rotation(name: string, poolName: string, spec: Record<string, unknown> = {}): KubeObject {
  const e = env();
  return {
    apiVersion: 'kvrollover.io/v1alpha1',
    kind: 'BatchPoolCertificateRotation',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      azure: { subscriptionId: e.AZURE_SUBSCRIPTION_ID, resourceGroup: e.KVROLLOVER_SANDBOX_RESOURCE_GROUP },
      batchAccount: e.KVROLLOVER_SANDBOX_BATCH_ACCOUNT,
      pool: { name: poolName, body: structuredClone(POOL_BODY) },
      certificates: [{ secretId: secretUrl(), storeLocation: LINUX_STORE }],
      certificate: {
        vault: e.KVROLLOVER_SANDBOX_VAULT,
        name: e.KVROLLOVER_SANDBOX_CERTIFICATE,
        issuerThumbprints: [e.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT],
      },
      identity: {
        resourceId: e.KVROLLOVER_SANDBOX_POOL_IDENTITY_ID,
        clientId: e.KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID,
        grantVaultAccess: true,
      },
      keyVaultExtension: { type: 'KeyVaultForLinux', pollingIntervalInS: POLL_S },
      ...spec,
    },
  };
}

const LINUX_STORE = '/var/lib/waagent/Microsoft.Azure.KeyVault.Store';
const POOL_BODY = {
  properties: {
    vmSize: 'STANDARD_D2S_V3',
    deploymentConfiguration: { virtualMachineConfiguration: UBUNTU_POOL_IMAGE },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 2, resizeTimeout: 'PT15M' } },
  },
};
const secretUrl = () =>
  `${env().KVROLLOVER_SANDBOX_VAULT_URI!.replace(/\/$/, '')}/secrets/${env().KVROLLOVER_SANDBOX_CERTIFICATE}`;

function poolSim(name: string) {
  const e = env();
  return sb.sim
    .batchAccount(
      e.AZURE_SUBSCRIPTION_ID!,
      e.KVROLLOVER_SANDBOX_RESOURCE_GROUP!,
      e.KVROLLOVER_SANDBOX_BATCH_ACCOUNT!,
    )
    ?.pools.get(name.toLowerCase());
}

/** Reconciles, advancing the virtual clock `stepMs` between rounds, until `done` or `max` rounds. */
async function converge(object: KubeObject, done: (reply: Reply) => boolean, max = 25, stepMs = 60_000) {
  let reply: Reply = {};
  const history: Reply[] = [];
  for (let i = 0; i < max; i++) {
    reply = await ask({ cmd: 'reconcile', object, now: sb.azure.clock.now().getTime() });
    history.push(reply);
    if (reply.status !== undefined) object.status = reply.status as Record<string, unknown>;
    if (done(reply)) return { reply, history, rounds: i + 1 };
    sb.azure.clock.advance(stepMs);
    await sb.azure.world.certificates.settle();
  }
  return { reply, history, rounds: max };
}

const phaseIs = (phase: string) => (r: Reply) => r.status?.phase === phase;

describe('BatchPoolCertificateRotation on the sandbox', () => {
  const seeded = () => rotation('seed', 'kvr-demo-pool');
  let object: KubeObject;

  it('reports VaultAccessMissing before any pool is created when it may not grant access', async () => {
    object = seeded();
    (object.spec as any).identity.grantVaultAccess = false; // eslint-disable-line @typescript-eslint/no-explicit-any
    const { reply } = await converge(object, () => false, 3);
    expect(reply.status.phase).toBe(Phase.Blocked);
    expect(reply.status.hazards.map((h: { reason: string }) => h.reason)).toContain(
      Hazard.VaultAccessMissing,
    );
    expect(reply.status.currentStep).toBe('GrantVaultAccess');
    expect(poolSim('kvr-demo-pool')).toBeUndefined();
  }, 60_000);

  it('grants access, creates the pool exactly as declared, and every node installs the certificate', async () => {
    object = seeded();
    const { reply } = await converge(object, phaseIs(Phase.Steady), 30);
    expect(reply.error).toBeUndefined();
    expect(reply.status.phase).toBe(Phase.Steady);
    const pool = poolSim('kvr-demo-pool');
    expect(pool).toBeDefined();
    const resource = pool!.resource;
    // The seed's body semantics: the user's properties kept, identity and extension added as declared.
    expect(resource.properties?.vmSize?.toUpperCase()).toBe('STANDARD_D2S_V3');
    expect(resource.properties?.scaleSettings?.fixedScale?.targetDedicatedNodes).toBe(2);
    const vm = resource.properties?.deploymentConfiguration?.virtualMachineConfiguration;
    expect(vm?.['nodeAgentSkuId']).toBe('batch.node.ubuntu 22.04');
    expect(vm?.['imageReference']).toEqual(
      POOL_BODY.properties.deploymentConfiguration.virtualMachineConfiguration.imageReference,
    );
    expect(Object.keys(resource.identity?.userAssignedIdentities ?? {}).map((k) => k.toLowerCase())).toEqual([
      env().KVROLLOVER_SANDBOX_POOL_IDENTITY_ID!.toLowerCase(),
    ]);
    const ext = vm?.extensions?.[0];
    expect(ext).toMatchObject({
      publisher: 'Microsoft.Azure.KeyVault',
      type: 'KeyVaultForLinux',
      typeHandlerVersion: '3.0',
      settings: {
        secretsManagementSettings: {
          pollingIntervalInS: String(POLL_S),
          requireInitialSync: true,
          observedCertificates: [{ url: secretUrl(), certificateStoreLocation: LINUX_STORE }],
        },
        authenticationSettings: {
          msiEndpoint: 'http://169.254.169.254/metadata/identity',
          msiClientId: env().KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID,
        },
      },
    });
    const latest = reply.status.certificates.vaultLatest.thumbprint as string;
    expect(pool!.nodes.length).toBe(2);
    for (const n of pool!.nodes) expect(n.node.store.has(latest)).toBe(true);
    expect(reply.status.nodes).toEqual({ converged: 2, total: 2 });
    expect(reply.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  }, 120_000);

  it('a vault renewal reaches every node', async () => {
    const before = object.status as Reply;
    const renewed = await sb.azure.world.certificates.renewNow(
      env().KVROLLOVER_SANDBOX_VAULT!,
      env().KVROLLOVER_SANDBOX_CERTIFICATE!,
    );
    expect(renewed.thumbprint).not.toBe(before.certificates.vaultLatest.thumbprint);
    const pool = poolSim('kvr-demo-pool')!;
    const { reply } = await converge(
      object,
      (r) =>
        r.status?.phase === Phase.Steady &&
        r.status?.certificates?.vaultLatest?.thumbprint === renewed.thumbprint &&
        pool.nodes.every((n) => n.node.store.has(renewed.thumbprint)),
      20,
    );
    expect(reply.status.certificates.vaultLatest.thumbprint).toBe(renewed.thumbprint);
    for (const n of pool.nodes) expect(n.node.store.has(renewed.thumbprint)).toBe(true);
    // The pool was never recreated for a renewal: the same nodes.
    expect(pool.nodes.length).toBe(2);
  }, 120_000);
  it('blocks on a renewal from an undeclared issuer, and quarantines it before any node installs it', async () => {
    const e = env();
    const rogue = await sb.azure.world.cas.createRoot('Rogue Root');
    const good = (object.status as Reply).certificates.vaultLatest.thumbprint as string;
    const renewed = await sb.azure.world.certificates.renewNow(
      e.KVROLLOVER_SANDBOX_VAULT!,
      e.KVROLLOVER_SANDBOX_CERTIFICATE!,
      {
        caId: rogue.id,
      },
    );
    const blocked = await ask({ cmd: 'reconcile', object, now: sb.azure.clock.now().getTime() });
    object.status = blocked.status as Record<string, unknown>;
    expect(blocked.status.phase).toBe(Phase.Blocked);
    expect(blocked.status.hazards[0].reason).toBe(Hazard.IssuerNotPinned);
    expect(blocked.status.hazards[0].message).toContain(renewed.version);

    (object.spec as Reply).policy = { quarantineUntrustedVersions: true };
    const { reply } = await converge(object, phaseIs(Phase.Steady), 10, POLL_S * 1000);
    const events = reply.events as { reason: string }[];
    expect(reply.status.certificates.vaultLatest.thumbprint).toBe(good);
    // Nodes kept polling (several polling intervals passed) and never installed the quarantined version.
    sb.azure.clock.advance(3 * POLL_S * 1000);
    for (const n of poolSim('kvr-demo-pool')!.nodes) {
      expect(n.node.store.has(renewed.thumbprint)).toBe(false);
      expect(n.node.store.has(good)).toBe(true);
    }
    expect(events.some((ev) => ev.reason === Hazard.IssuerNotPinned)).toBe(false);

    // A disabled newest version makes the versionless secret unreadable; the next trusted renewal
    // reaches every node again.
    const trusted = await sb.azure.world.certificates.renewNow(
      e.KVROLLOVER_SANDBOX_VAULT!,
      e.KVROLLOVER_SANDBOX_CERTIFICATE!,
    );
    const pool = poolSim('kvr-demo-pool')!;
    const recovered = await converge(
      object,
      (r) =>
        r.status?.phase === Phase.Steady && pool.nodes.every((n) => n.node.store.has(trusted.thumbprint)),
      10,
      POLL_S * 1000,
    );
    expect(recovered.reply.status.certificates.vaultLatest.thumbprint).toBe(trusted.thumbprint);
    for (const n of pool.nodes) expect(n.node.store.has(trusted.thumbprint)).toBe(true);
  }, 120_000);
});

describe('a Windows pool', () => {
  it('is created with the Windows object-form settings and converges', async () => {
    const object = rotation('windows', 'win-pool', {
      certificates: [
        { secretId: secretUrl(), storeLocation: 'LocalMachine', storeName: 'My', keyExportable: true },
      ],
      keyVaultExtension: { type: 'KeyVaultForWindows', pollingIntervalInS: POLL_S },
      certificate: undefined,
    });
    const { reply } = await converge(object, phaseIs(Phase.Steady), 30);
    expect(reply.error).toBeUndefined();
    expect(reply.status.phase).toBe(Phase.Steady);
    const pool = poolSim('win-pool')!;
    const ext =
      pool.resource.properties?.deploymentConfiguration?.virtualMachineConfiguration?.extensions?.[0];
    expect(ext).toMatchObject({
      type: 'KeyVaultForWindows',
      settings: {
        secretsManagementSettings: {
          linkOnRenewal: false,
          observedCertificates: [
            {
              url: secretUrl(),
              certificateStoreLocation: 'LocalMachine',
              certificateStoreName: 'My',
              keyExportable: true,
            },
          ],
        },
      },
    });
    expect(reply.status.nodes).toEqual({ converged: 2, total: 2 });
  }, 120_000);
});

describe('a pool whose certificate the operator enrolls', () => {
  it('creates the vault certificate (following its operation), then the pool, and converges', async () => {
    const e = env();
    const name = 'enrolled-cert';
    const url = `${e.KVROLLOVER_SANDBOX_VAULT_URI!.replace(/\/$/, '')}/secrets/${name}`;
    const object = rotation('enrolled', 'enrolled-pool', {
      certificates: [{ secretId: url, storeLocation: LINUX_STORE }],
      certificate: {
        vault: e.KVROLLOVER_SANDBOX_VAULT,
        name,
        commonName: 'enrolled.contoso.com',
        issuerThumbprints: [e.KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT],
        policy: { issuerName: DEMO_VAULT_ISSUER },
      },
    });
    const { reply, history } = await converge(object, phaseIs(Phase.Steady), 30);
    expect(reply.error).toBeUndefined();
    expect(reply.status.phase).toBe(Phase.Steady);
    const executed = history.flatMap((r) =>
      (r.events as { reason: string; action: string }[])
        .filter((ev) => ev.reason === 'StepExecuted')
        .map((ev) => ev.action),
    );
    // The create is sent once, its operation followed to completion, then the pool is created once.
    expect(executed.filter((a) => a === 'EnsureVaultCertificate').length).toBeGreaterThanOrEqual(1);
    expect(executed.indexOf('EnsureVaultCertificate')).toBeLessThan(executed.indexOf('EnsurePool'));
    expect(executed.filter((a) => a === 'EnsurePool')).toHaveLength(1);
    const latest = reply.status.certificates.vaultLatest.thumbprint as string;
    for (const n of poolSim('enrolled-pool')!.nodes) expect(n.node.store.has(latest)).toBe(true);
  }, 120_000);
});

describe('a pool whose extension differs from the spec', () => {
  const POOL = 'drifted-pool';
  const versioned = () => `${secretUrl()}/0123456789abcdef0123456789abcdef`;

  it('is reported Stalled with PoolRecreationRequired and left untouched under recreate Never', async () => {
    const created = await ask({
      cmd: 'createPool',
      pool: POOL,
      body: {
        identity: {
          type: 'UserAssigned',
          userAssignedIdentities: { [env().KVROLLOVER_SANDBOX_POOL_IDENTITY_ID!]: {} },
        },
        properties: {
          ...structuredClone(POOL_BODY.properties),
          deploymentConfiguration: {
            virtualMachineConfiguration: {
              ...structuredClone(POOL_BODY.properties.deploymentConfiguration.virtualMachineConfiguration),
              // The [B-ROT] doc example: v1 string form, versioned URL.
              extensions: [
                {
                  name: 'KVExtensions',
                  publisher: 'Microsoft.Azure.KeyVault',
                  type: 'KeyVaultForLinux',
                  typeHandlerVersion: '3.0',
                  autoUpgradeMinorVersion: true,
                  settings: {
                    secretsManagementSettings: {
                      pollingIntervalInS: '300',
                      certificateStoreLocation: LINUX_STORE,
                      requireInitialSync: true,
                      observedCertificates: [versioned()],
                    },
                    authenticationSettings: {
                      msiEndpoint: 'http://169.254.169.254/metadata/identity',
                      msiClientId: env().KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID,
                    },
                  },
                },
              ],
            },
          },
        },
      },
    });
    expect(created.error).toBeUndefined();
    const object = rotation('drift-never', POOL, { policy: { recreate: 'Never' } });
    const { reply } = await converge(object, () => false, 3);
    expect(reply.status.phase).toBe(Phase.Stalled);
    const stalled = reply.status.conditions.find((c: { type: string }) => c.type === 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: Hazard.PoolRecreationRequired });
    expect(stalled.message).toContain(versioned());
    const reasons = reply.status.hazards.map((h: { reason: string }) => h.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([Hazard.StringArrayExtensionSettings, Hazard.VersionedObservedCertificate]),
    );
    const ext =
      poolSim(POOL)!.resource.properties?.deploymentConfiguration?.virtualMachineConfiguration
        ?.extensions?.[0];
    expect(JSON.stringify(ext)).toContain(versioned());
  }, 90_000);

  it('is never recreated while busy, and is recreated as declared once idle (recreate WhenIdle)', async () => {
    const pool = poolSim(POOL)!;
    const nodesBefore = pool.nodes.map((n) => n.node.id);
    pool.setRunningTasks(3);
    const object = rotation('drift-when-idle', POOL, { policy: { recreate: 'WhenIdle' } });
    const busy = await converge(object, () => false, 4);
    expect(busy.reply.status.phase).toBe(Phase.Blocked);
    expect(busy.reply.status.hazards[0].reason).toBe(Hazard.PoolRecreationRequired);
    expect(poolSim(POOL)).toBe(pool);
    expect(pool.nodes.map((n) => n.node.id)).toEqual(nodesBefore);
    expect(pool.busy()).toBe(true);
    const sent = (history: Reply[]) =>
      history.flatMap((r) =>
        (r.events as { reason: string; note: string }[])
          .filter((e) => e.reason === 'StepExecuted' && e.note.startsWith(`pool/${POOL}:`))
          .map((e) => e.note.split(':')[1]!.trim().split(' ')[0]),
      );
    expect(sent(busy.history)).toEqual([]);

    pool.setRunningTasks(0);
    const idle = await converge(object, phaseIs(Phase.Steady), 40);
    expect(idle.reply.error).toBeUndefined();
    expect(idle.reply.status.phase).toBe(Phase.Steady);
    const recreated = poolSim(POOL)!;
    expect(recreated).not.toBe(pool);
    const vm = recreated.resource.properties?.deploymentConfiguration?.virtualMachineConfiguration;
    expect(vm?.extensions?.[0]?.settings).toMatchObject({
      secretsManagementSettings: {
        observedCertificates: [{ url: secretUrl(), certificateStoreLocation: LINUX_STORE }],
      },
    });
    expect(recreated.resource.properties?.scaleSettings?.fixedScale?.targetDedicatedNodes).toBe(2);
    expect(idle.reply.status.pendingOperation).toBeUndefined();
    // Scaled to zero, deleted, created: each once, in that order.
    expect(sent(idle.history)).toEqual(['resize', 'delete', 'create']);
  }, 180_000);
});
