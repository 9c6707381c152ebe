// Parsing pool.json and pool.nodes.json into the Batch observation.
import { describe, expect, it } from 'vitest';
import { observeBatchPool, parsePool, parsePoolNodes } from '../../../src/domain/batch/index.js';
import { IDENTITY_ID, LINUX_STORE, POOL, SECRET_URL, kvExtension, nodesBody, poolBody } from './fixtures.js';

describe('parsePool', () => {
  it('reads identity, allocation, node counts and the v3.0 extension', () => {
    const pool = parsePool(POOL, poolBody({ allocationState: 'Resizing', target: 3, current: 1 }));
    expect(pool.userAssignedIdentityIds).toEqual([IDENTITY_ID.toLowerCase()]);
    expect(pool).toMatchObject({
      allocationState: 'Resizing',
      provisioningState: 'Succeeded',
      targetDedicatedNodes: 3,
      currentDedicatedNodes: 1,
      autoScale: false,
      nodes: undefined,
    });
    expect(pool.keyVaultExtensions).toEqual([
      {
        name: 'KVExtensions',
        type: 'KeyVaultForLinux',
        typeHandlerVersion: '3.0',
        settingsForm: 'objects',
        pollingIntervalInS: 3600,
        linkOnRenewal: undefined,
        requireInitialSync: true,
        msiClientId: expect.any(String),
        msiEndpoint: 'http://169.254.169.254/metadata/identity',
        observedCertificates: [
          {
            url: SECRET_URL,
            vaultName: 'kv1',
            secretName: 'pool-cert',
            collection: 'secrets',
            version: undefined,
            certificateStoreName: undefined,
            certificateStoreLocation: LINUX_STORE,
            keyExportable: undefined,
          },
        ],
      },
    ]);
  });

  it('reads the v1.0 string form with its shared store, a versioned URL, and Windows keyExportable', () => {
    const versioned = `${SECRET_URL}/0123456789abcdef0123456789abcdef`;
    const strings = parsePool(
      POOL,
      poolBody({ extensions: [kvExtension({ observed: [versioned], storeLocationShared: '/x' })] }),
    );
    expect(strings.keyVaultExtensions[0]).toMatchObject({ settingsForm: 'strings' });
    expect(strings.keyVaultExtensions[0]?.observedCertificates[0]).toMatchObject({
      version: '0123456789abcdef0123456789abcdef',
      certificateStoreLocation: '/x',
    });
    const windows = parsePool(
      POOL,
      poolBody({
        extensions: [
          kvExtension({
            type: 'KeyVaultForWindows',
            observed: [
              {
                url: SECRET_URL,
                certificateStoreLocation: 'LocalMachine',
                certificateStoreName: 'My',
                keyExportable: true,
              },
            ],
          }),
        ],
      }),
    );
    expect(windows.keyVaultExtensions[0]?.observedCertificates[0]).toMatchObject({
      certificateStoreName: 'My',
      keyExportable: true,
    });
  });

  it('ignores extensions of other publishers and tolerates settings given as a JSON string', () => {
    const ext = kvExtension();
    const pool = parsePool(
      POOL,
      poolBody({
        extensions: [
          { name: 'other', publisher: 'Contoso', type: 'X', settings: {} },
          { ...ext, settings: JSON.stringify(ext.settings) },
        ],
      }),
    );
    expect(pool.keyVaultExtensions.map((e) => e.name)).toEqual(['KVExtensions']);
    expect(pool.keyVaultExtensions[0]?.observedCertificates).toHaveLength(1);
  });
});

describe('parsePoolNodes', () => {
  it('reads running tasks and each node extension status', () => {
    const nodes = parsePoolNodes(
      nodesBody([
        { id: 'a', running: 2, extension: 'Succeeded' },
        { id: 'b', extension: 'Failed' },
        { id: 'c', extension: 'Creating' },
        { id: 'd' },
      ]),
    );
    expect(nodes.map((n) => [n.id, n.runningTasks, n.extensions['KVExtensions']])).toEqual([
      ['a', 2, 'succeeded'],
      ['b', 0, 'failed'],
      ['c', 0, 'transitioning'],
      ['d', 0, undefined],
    ]);
  });

  it('falls back to the instance view status codes without provisioningState', () => {
    const body = {
      value: [{ id: 'a', runningTasksCount: 0 }],
      nodeExtensions: {
        a: [{ instanceView: { name: 'KV', statuses: [{ code: 'ProvisioningState/succeeded' }] } }],
      },
    };
    expect(parsePoolNodes(body)[0]?.extensions).toEqual({ KV: 'succeeded' });
  });
});

describe('observeBatchPool', () => {
  it('reports an absent pool and judges vault access per vault', () => {
    const observed = observeBatchPool(POOL, {
      pool: undefined,
      access: { KV1: { vault: { id: '/v', properties: { accessPolicies: [] } } } },
      identity: { id: IDENTITY_ID, properties: { principalId: 'p1' } },
    });
    expect(observed.pool).toBeUndefined();
    expect(observed.vault).toBeUndefined();
    expect(observed.access['kv1']).toMatchObject({ model: 'AccessPolicy', identityCanReadSecrets: false });
  });
});
