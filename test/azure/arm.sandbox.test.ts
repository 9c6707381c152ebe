// The ARM adapters (Service Fabric cluster, scale sets, LROs and their resume tokens) against the
// sandbox's Service Fabric scenario, through the real SDKs, from a child process configured only by the
// sandbox's dotenv variables.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

let sb: Sandbox;
// The child's JSON report; read loosely, as a test reads any wire format.
let out: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  // The simulated world's upgrades progress on the virtual clock: let it run fast while the client works.
  sb = await startSandbox({ scenario: 'servicefabric', throttling: false, clockSpeed: 120 });
  // The node identity may read the vault's secrets, so the KeyVault extension can sync on the nodes.
  const identity = sb.azure.world.identities.byResourceId(sb.env.KVROLLOVER_SANDBOX_IDENTITY_ID!)!;
  sb.azure.world.vaults.getVault(sb.env.KVROLLOVER_SANDBOX_VAULT!)!.accessPolicies.push({
    tenantId: sb.azure.tenantId,
    objectId: identity.objectId,
    permissions: { secrets: ['get', 'list'] },
  });
  // One throttled cluster read (the SDK retries it after Retry-After) and one failed scale-set LRO.
  sb.azure.faults.add({
    service: 'arm',
    operation: 'Microsoft.ServiceFabric/clusters/read',
    times: 1,
    action: { type: 'throttle', retryAfterSeconds: 0 },
  });
  sb.azure.faults.add({
    service: 'arm',
    operation: 'Microsoft.Compute/virtualMachineScaleSets/write',
    times: 1,
    action: { type: 'failLro', code: 'VMExtensionProvisioningError', message: 'Injected extension failure' },
  });
  const child = await run(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'fixtures', 'arm-client.ts')],
    { cwd: root, env: { ...process.env, ...sb.env }, timeout: 80_000, maxBuffer: 16 * 1024 * 1024 },
  ).catch((err: { stderr?: string; message?: string }) => {
    throw new Error(`client process failed: ${err.stderr ?? err.message ?? 'unknown'}`);
  });
  out = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof out;
}, 110_000);

afterAll(async () => {
  await sb?.close();
});

describe('ARM adapters through the emulator', () => {
  it('returns the cluster and scale set bodies as ARM sent them (nested properties, not SDK models)', () => {
    expect(out.clusterTextIsBody).toBe(true);
    expect(out.cluster.properties.certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(out.cluster.properties.clusterState).toBeDefined();
    expect(
      out.scaleSet.properties.virtualMachineProfile.osProfile.secrets[0].vaultCertificates[0].certificateUrl,
    ).toMatch(/^https:\/\/kvr-demo-kv\.vault\.azure\.net\/secrets\//);
  });

  it('lists the instances with their instance view, every page merged', () => {
    const value = out.instances.value as {
      properties: { latestModelApplied?: boolean; instanceView?: unknown };
    }[];
    expect(value.length).toBeGreaterThan(0);
    for (const vm of value) expect(vm.properties.instanceView).toBeDefined();
  });

  it('reports a failed LRO as transient with the operation error', () => {
    expect(out.failedLro.name).toBe('TransientError');
    expect(out.failedLro.reason).toBe('AzureError');
    expect(out.failedLro.message).toMatch(/VMExtensionProvisioningError|Injected extension failure|failed/i);
  });

  it('retries a throttled read after Retry-After and counts the 429', () => {
    const requests = out.requests as { service: string; operation: string; code: string; value: number }[];
    expect(requests.some((r) => r.operation === 'getCluster' && r.code === '429')).toBe(true);
    expect(requests.some((r) => r.operation === 'getCluster' && r.code === '200')).toBe(true);
    expect(out.throttled).toBeGreaterThanOrEqual(1);
  });

  it('patches the scale set identity through a resumed LRO token', () => {
    expect(out.patchToken.kind).toBe('ScaleSetUpdate');
    expect(out.patchFinal.state).toBe('succeeded');
    const identities = Object.keys((out.scaleSetAfter.identity?.userAssignedIdentities ?? {}) as object).map(
      (k) => k.toLowerCase(),
    );
    expect(identities).toContain(sb.env.KVROLLOVER_SANDBOX_IDENTITY_ID!.toLowerCase());
    // The patch touched the identity only: the secrets are unchanged.
    expect(out.scaleSetAfter.properties.virtualMachineProfile.osProfile.secrets).toEqual(
      out.scaleSet.properties.virtualMachineProfile.osProfile.secrets,
    );
  });

  it('patches extensions and secrets given in REST form, which come back unchanged in REST form', () => {
    const profile = out.scaleSetWithExtension.properties.virtualMachineProfile;
    const extensions = profile.extensionProfile.extensions as {
      name: string;
      properties: Record<string, unknown>;
    }[];
    const kv = extensions.find((e) => e.name === 'KVVMExtension');
    expect(kv?.properties.type).toBe('KeyVaultForWindows');
    expect(kv?.properties.publisher).toBe('Microsoft.Azure.KeyVault');
    expect(kv?.properties.settings).toEqual(out.kvExtensionSent.properties.settings);
    const before = out.scaleSet.properties.virtualMachineProfile.extensionProfile.extensions as {
      name: string;
    }[];
    for (const e of before) expect(extensions.map((x) => x.name)).toContain(e.name);
    expect(profile.osProfile.secrets).toEqual(
      out.scaleSet.properties.virtualMachineProfile.osProfile.secrets,
    );
  });

  it('puts the cluster through a resumed LRO token', () => {
    expect(out.putFinal.state).toBe('succeeded');
  });

  it("classifies the RP's validation error as terminal with its code", () => {
    expect(out.invalid.name).toBe('TerminalError');
    expect(out.invalid.reason).toBe('AzureError');
    expect(out.invalid.message).toMatch(/InvalidCommonNameThumbprintPair|both defined/);
  });

  it('classifies a missing scale set as ResourceNotFound naming it', () => {
    expect(out.notFound.reason).toBe('ResourceNotFound');
    expect(out.notFound.message).toContain('no-such-vmss');
  });

  it('counts ARM requests by operation and code', () => {
    const arm = (out.requests as { service: string; operation: string; code: string }[]).filter(
      (r) => r.service === 'arm',
    );
    expect(arm.some((r) => r.operation === 'getCluster' && r.code === '200')).toBe(true);
    expect(arm.some((r) => r.operation === 'updateScaleSet' && r.code === '200')).toBe(true);
    expect(arm.some((r) => r.operation === 'getScaleSet' && r.code === '404')).toBe(true);
  });
});
