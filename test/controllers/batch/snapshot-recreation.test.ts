// The Batch snapshot layout round-trips (an offline plan equals the live one), and the recreation record
// kept in status decodes back to the body to create.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RECREATE_POOL_OPERATION,
  decodeRecreation,
  encodeRecreation,
} from '../../../src/controllers/batch/controller.js';
import { readBatchPoolSnapshot, writeBatchPoolSnapshot } from '../../../src/controllers/batch/snapshot.js';
import { observeBatchPool, planBatchPool, type BatchPoolBodies } from '../../../src/domain/batch/index.js';
import {
  IDENTITY_ID,
  NOW,
  POOL,
  batchSpec,
  nodesBody,
  poolBody,
  vaultAccessBody,
} from '../../domain/batch/fixtures.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('Batch snapshot', () => {
  it('writes the design §2 files and reads back bodies that plan identically', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kvr-batch-snap-'));
    const bodies: BatchPoolBodies = {
      pool: poolBody(),
      nodes: nodesBody([{ id: 'tvm-1', extension: 'Creating' }]),
      vault: { certificateName: 'pool-cert', versions: { value: [] }, byVersion: {} },
      access: { kv1: { vault: vaultAccessBody(false) } },
      identity: { id: IDENTITY_ID, properties: { principalId: 'p', clientId: 'c', tenantId: 't' } },
    };
    await writeBatchPoolSnapshot(dir, bodies);
    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'pool.json', 'pool.nodes.json', 'vault']);
    expect((await readdir(path.join(dir, 'vault'))).sort()).toEqual(['access.json', 'pool-cert']);
    const spec = batchSpec();
    const read = await readBatchPoolSnapshot(dir, spec);
    expect(read).toEqual(bodies);
    const live = planBatchPool(spec, observeBatchPool(POOL, bodies), NOW);
    const offline = planBatchPool(spec, observeBatchPool(POOL, read), NOW);
    expect(offline).toEqual(live);
  });

  it('reads an absent pool.json as an absent pool', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kvr-batch-snap-'));
    await writeBatchPoolSnapshot(dir, { pool: undefined, access: {} });
    const read = await readBatchPoolSnapshot(dir, batchSpec());
    expect(read.pool).toBeUndefined();
    expect(
      planBatchPool(batchSpec(), observeBatchPool(POOL, read), NOW).steps.flatMap((s) => s.changes)[0]?.op,
    ).toBe('CreatePool');
  });
});

describe('recreation record', () => {
  const pending = (resumeToken: string | undefined, operation = RECREATE_POOL_OPERATION) => ({
    step: 'EnsurePool',
    operation,
    target: 'batchAccount/a/pools/p',
    startedAt: '2026-01-01T00:00:00Z',
    ...(resumeToken === undefined ? {} : { resumeToken }),
  });

  it('round-trips the body and the delete token', () => {
    const body = { properties: { vmSize: 'X' } };
    expect(decodeRecreation(pending(encodeRecreation({ body, operationToken: 'tok' })))).toEqual({
      body,
      operationToken: 'tok',
    });
    expect(decodeRecreation(pending(encodeRecreation({ body })))).toEqual({ body });
  });

  it('ignores other operations and tokens it did not write', () => {
    expect(
      decodeRecreation(pending(encodeRecreation({ body: {} }), 'CreateVaultCertificate')),
    ).toBeUndefined();
    expect(decodeRecreation(pending('{"kind":"PoolDelete","state":"x"}'))).toBeUndefined();
    expect(decodeRecreation(pending('not json'))).toBeUndefined();
    expect(decodeRecreation(pending(undefined))).toBeUndefined();
    expect(decodeRecreation(undefined)).toBeUndefined();
  });
});
