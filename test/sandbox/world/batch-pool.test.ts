import { describe, expect, it } from 'vitest';
import { checkPoolChange } from '../../../src/sandbox/world/batch-pool.js';
import type { PoolProperties } from '../../../src/sandbox/world/batch-pool.js';
import { ca, kvExtension, newWorld } from './fixtures.js';
import { certFrom } from './cluster-fixture.js';

function pool(targetDedicatedNodes: number, grant: boolean) {
  const env = newWorld();
  const identity = env.vault.addIdentity('pool-identity');
  if (grant) env.vault.grant(identity);
  const version = env.vault.add('pool-cert', certFrom(ca('issuing'), -1, 'pool'));
  const account = env.world.createBatchAccount('sub', 'rg', 'acct', 'westeurope');
  const ext = kvExtension(env.vault, {
    observed: [env.vault.url('pool-cert')],
    clientId: identity.clientId,
    type: 'KeyVaultForLinux',
  });
  const properties: PoolProperties = {
    vmSize: 'STANDARD_D2S_V3',
    deploymentConfiguration: {
      virtualMachineConfiguration: { extensions: [{ name: ext.name, ...ext.properties }] },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes } },
  };
  const sim = env.world.createPool(account, 'pool', {
    identity: { type: 'UserAssigned', userAssignedIdentities: { [identity.resourceId]: {} } },
    properties,
  });
  return { ...env, identity, version, sim, properties };
}

describe('Batch pools [B-ROT][B-UPD]', () => {
  it('nodes install the observed certificate through the pool identity', () => {
    const { sim, version } = pool(3, true);
    expect(sim.nodes).toHaveLength(3);
    for (const n of sim.nodes) {
      expect(n.node.store.has(version.certificate.thumbprint)).toBe(true);
      expect(n.node.extensions.get('KVVMExtension')?.state).toBe('succeeded');
    }
  });

  it('never lets extensions change on an existing pool, even at size zero', () => {
    const { sim, properties } = pool(0, true);
    const changed = structuredClone(properties);
    changed.deploymentConfiguration!.virtualMachineConfiguration!.extensions = [];
    expect(checkPoolChange(sim, changed, '2024-07-01')?.code).toBe('PropertyCannotBeUpdated');
  });

  it('allows other properties only at size zero from 2024-07-01, and the mutable set with nodes present', () => {
    const busy = pool(2, true);
    const other = { ...busy.properties, displayName: 'renamed' };
    expect(checkPoolChange(busy.sim, other, '2024-07-01')?.code).toBe('PoolNotEmpty');
    expect(checkPoolChange(busy.sim, other, '2023-11-01')?.code).toBe('PropertyCannotBeUpdated');
    expect(
      checkPoolChange(busy.sim, { ...busy.properties, metadata: [{ name: 'a', value: 'b' }] }, '2023-11-01'),
    ).toBeUndefined();
    const empty = pool(0, true);
    expect(
      checkPoolChange(empty.sim, { ...empty.properties, displayName: 'renamed' }, '2024-07-01'),
    ).toBeUndefined();
  });

  it('removes idle nodes first when shrinking and reports busy pools', () => {
    const { sim } = pool(3, true);
    sim.setRunningTasks(1);
    expect(sim.busy()).toBe(true);
    const busyNode = sim.nodes.find((n) => n.runningTasks > 0)!.node.id;
    sim.resource.properties!.scaleSettings = { fixedScale: { targetDedicatedNodes: 1 } };
    sim.resize(new Date());
    expect(sim.nodes.map((n) => n.node.id)).toEqual([busyNode]);
  });
});
