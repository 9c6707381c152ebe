// The Batch adapters (pool through ARM, nodes and node extensions through the Batch service API) against
// the sandbox's Batch scenario, through the real SDKs, from a child process configured only by the
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
  sb = await startSandbox({ scenario: 'batch', throttling: false, clockSpeed: 120 });
  const child = await run(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'fixtures', 'batch-client.ts')],
    {
      cwd: root,
      env: { ...process.env, ...sb.env },
      timeout: 80_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((err: { stderr?: string; message?: string }) => {
    throw new Error(`client process failed: ${err.stderr ?? err.message ?? 'unknown'}`);
  });
  out = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof out;
}, 110_000);

afterAll(async () => {
  await sb?.close();
});

describe('Batch adapters through the emulator', () => {
  it('reports an absent pool as ResourceNotFound', () => {
    expect(out.before.reason).toBe('ResourceNotFound');
  });

  it('creates the pool from its REST body with identity and KeyVault extension, never overwriting', () => {
    const props = out.pool.properties;
    expect(String(props.vmSize).toUpperCase()).toBe('STANDARD_D2S_V3');
    const ext = props.deploymentConfiguration.virtualMachineConfiguration.extensions[0];
    expect(ext.type).toBe('KeyVaultForLinux');
    expect(ext.settings.secretsManagementSettings.requireInitialSync).toBe(true);
    expect(
      Object.keys(out.pool.identity.userAssignedIdentities as object).map((k) => k.toLowerCase()),
    ).toContain(sb.env.KVROLLOVER_SANDBOX_POOL_IDENTITY_ID!.toLowerCase());
    expect(out.created).toBe('created');
    // Creating again (as after a crash) leaves the existing pool untouched.
    expect(out.createAgain).toBe('exists');
  });

  it("lists the nodes with each node's VM extensions through the Batch service API", () => {
    const nodes = out.nodes.value as { id: string }[];
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const node of nodes) {
      const extensions = out.nodes.nodeExtensions[node.id] as {
        vmExtension?: { name?: string };
        instanceView?: unknown;
      }[];
      expect(Array.isArray(extensions)).toBe(true);
      expect(extensions.some((e) => e.vmExtension?.name === 'KVExtension')).toBe(true);
    }
  });

  it('resizes the pool and deletes it through a resumed LRO token', () => {
    expect(out.resized.properties.scaleSettings.fixedScale.targetDedicatedNodes).toBe(0);
    expect(out.deleteToken.kind).toBe('PoolDelete');
    expect(out.after.reason).toBe('ResourceNotFound');
  });

  it('counts Batch service requests', () => {
    const batch = (out.requests as { service: string; code: string }[]).filter((r) => r.service === 'batch');
    expect(batch.some((r) => r.code === '200')).toBe(true);
  });
});
