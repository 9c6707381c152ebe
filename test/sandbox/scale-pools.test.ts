// The scale scenario's Batch part: accounts of at most 100 pools, one identity, and one
// BatchPoolCertificateRotation per pool that the CRD schema accepts (what `kubectl apply` would), on the
// shared certificates in turn.
import { afterEach, describe, expect, it } from 'vitest';
import { validateBatchPoolRotation } from '../../src/api/validate.js';
import { AzureWorld } from '../../src/sandbox/azure/world.js';
import {
  SCALE_POOLS_PER_ACCOUNT,
  SCALE_POOL_IDENTITY,
  seedScalePools,
} from '../../src/sandbox/scenarios/scale.js';
import { DEMO_RESOURCE_GROUP } from '../../src/sandbox/scenarios/common.js';
import { attachSimulatedWorld } from '../../src/sandbox/world/attach.js';
import type { SimWorld } from '../../src/sandbox/world/index.js';

const ISSUER = '8A2F4C6E1B3D5F7A9C0E2B4D6F8A1C3E5B7D9F02';
let sim: SimWorld | undefined;

afterEach(() => sim?.dispose());

describe('seedScalePools', () => {
  it('spreads pools over accounts of at most 100 and emits valid rotations on the shared certificates', () => {
    const azure = new AzureWorld({ throttling: false });
    sim = attachSimulatedWorld(azure);
    const certificates = ['c0', 'c1', 'c2'];
    const seed = seedScalePools(
      { azure, sim, operatorObjectId: 'unused' },
      { pools: SCALE_POOLS_PER_ACCOUNT + 5, certificates, issuerThumbprint: ISSUER, namespace: 'bench' },
    );
    expect(seed.accounts).toHaveLength(2);
    for (const account of seed.accounts)
      expect(sim.batchAccount(azure.subscriptionId, DEMO_RESOURCE_GROUP, account)).toBeDefined();
    expect(seed.pools.filter((p) => p.account === seed.accounts[1])).toHaveLength(5);
    expect(seed.pools.map((p) => p.certificate).slice(0, 4)).toEqual(['c0', 'c1', 'c2', 'c0']);
    expect(
      azure.identities.userAssignedIdentity(azure.subscriptionId, DEMO_RESOURCE_GROUP, SCALE_POOL_IDENTITY),
    ).toBeDefined();
    expect(new Set(seed.resources.map((r) => (r.metadata as { name: string }).name)).size).toBe(
      seed.pools.length,
    );
    for (const resource of seed.resources) {
      const result = validateBatchPoolRotation(resource);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
    // No pool exists yet: the operator creates each one from its body.
    expect(sim.batchAccountByName(seed.accounts[0]!)?.pools.size).toBe(0);
  });

  it('refuses to seed pools without a certificate to share', () => {
    const azure = new AzureWorld({ throttling: false });
    const world = attachSimulatedWorld(azure);
    sim = world;
    expect(() =>
      seedScalePools(
        { azure, sim: world, operatorObjectId: 'x' },
        { pools: 1, certificates: [], issuerThumbprint: ISSUER },
      ),
    ).toThrow(RangeError);
  });
});
