// End to end: the real operator process creates the seed's Batch pool with the identity and the KeyVault
// extension, and a vault renewal then reaches every node without any pool write.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatchStory, type BatchStoryReport } from '../../src/demo/batch-story.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const operatorCommand = [process.execPath, '--import', 'tsx/esm', path.join(root, 'src/cli/main.ts')];

interface PoolJson {
  identity?: { type?: string; userAssignedIdentities?: Record<string, unknown> };
  properties?: {
    deploymentConfiguration?: {
      virtualMachineConfiguration?: {
        extensions?: {
          publisher: string;
          type: string;
          typeHandlerVersion?: string;
          settings?: {
            secretsManagementSettings?: {
              requireInitialSync?: boolean;
              observedCertificates?: { url: string }[];
            };
            authenticationSettings?: { msiClientId?: string };
          };
        }[];
      };
    };
  };
}

let report: BatchStoryReport;

beforeAll(async () => {
  report = await runBatchStory({ operatorCommand, clockSpeed: 600, timeoutMs: 150_000 });
}, 180_000);

describe('Batch pool creation and renewal, end to end', () => {
  it('creates the pool once, then the renewal reaches every node with no pool write', () => {
    expect(report.message).toBe('created the pool, then the renewal reached every node with no pool change');
    expect(report.poolWritesUntilReady).toBe(1);
    expect(report.poolWritesAfterReady).toBe(0);
    expect(report.final?.nodes).toBeGreaterThan(0);
    expect(report.final?.nodesOnLatest).toBe(report.final?.nodes);
  });

  it('creates the pool exactly as declared: identity and the KeyVault extension in the v3.0 object form', () => {
    const pool = report.pool as PoolJson;
    expect(pool.identity?.type).toBe('UserAssigned');
    expect(Object.keys(pool.identity?.userAssignedIdentities ?? {})).toEqual([
      '/subscriptions/5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60/resourceGroups/kvr-demo-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kvr-demo-pool-identity',
    ]);
    const kv = pool.properties?.deploymentConfiguration?.virtualMachineConfiguration?.extensions?.find(
      (e) => e.publisher === 'Microsoft.Azure.KeyVault',
    );
    expect(kv?.type).toBe('KeyVaultForLinux');
    expect(kv?.settings?.secretsManagementSettings?.requireInitialSync).toBe(true);
    expect(kv?.settings?.secretsManagementSettings?.observedCertificates?.map((o) => o.url)).toEqual([
      'https://kvr-demo-kv.vault.azure.net/secrets/pool-cert',
    ]);
    expect(kv?.settings?.authenticationSettings?.msiClientId).toBe('3c9e1a7b-2d4f-4e6a-8b0c-5d7f9a1b3c2e');
  });
});
