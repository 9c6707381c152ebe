// Microsoft.Compute/virtualMachineScaleSets through the real @azure/arm-compute 24.1.0 client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeManagementClient } from '@azure/arm-compute';
import {
  serviceFabricScenario,
  DEMO_RESOURCE_GROUP,
  SF_COMMON_NAME,
} from '../../../src/sandbox/scenarios/index.js';
import type { WorldSandbox } from '../world/azure-fixture.js';
import { grantSecretsRead, startWorldSandbox } from '../world/azure-fixture.js';
import { clientOptions, operatorCredential } from './helpers.js';

let env: WorldSandbox;
let compute: ComputeManagementClient;
const RG = DEMO_RESOURCE_GROUP;
const POLL = { updateIntervalInMs: 5 };

beforeAll(async () => {
  env = await startWorldSandbox(serviceFabricScenario);
  compute = new ComputeManagementClient(
    operatorCredential(env.sandbox),
    env.sandbox.subscriptionId,
    clientOptions(env.sandbox),
  );
});

afterAll(async () => {
  env?.sim.dispose();
  await env?.sandbox.close();
});

async function listVms(name: string, options: { filter?: string; expand?: string } = {}) {
  const out = [];
  for await (const vm of compute.virtualMachineScaleSetVMs.list(RG, name, options)) out.push(vm);
  return out;
}

describe('virtual machine scale sets through @azure/arm-compute', () => {
  it('gets the seeded scale set with its versioned secret and Service Fabric extension', async () => {
    const vmss = await compute.virtualMachineScaleSets.get(RG, 'nt1vm');
    expect(vmss.provisioningState).toBe('Succeeded');
    expect(vmss.upgradePolicy?.mode).toBe('Automatic');
    expect(vmss.sku?.capacity).toBe(3);
    const url = vmss.virtualMachineProfile?.osProfile?.secrets?.[0]?.vaultCertificates?.[0]?.certificateUrl;
    expect(url).toMatch(/^https:\/\/kvr-demo-kv\.vault\.azure\.net\/secrets\/cluster-cert\/[0-9a-f]{32}$/);
    const sf = vmss.virtualMachineProfile?.extensionProfile?.extensions?.[0];
    // arm-compute ≥24 flattens `properties`: the handler type is `typePropertiesType` (top-level `type` is the resource type).
    expect(sf?.typePropertiesType).toBe('ServiceFabricNode');
    expect(vmss.id).toBe(
      `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/nt1vm`,
    );
  });

  it('lists instances with instance views, extension statuses and latestModelApplied filters', async () => {
    const vms = await listVms('nt1vm', { expand: 'instanceView' });
    expect(vms.map((vm) => vm.instanceId)).toEqual(['0', '1', '2']);
    expect(vms.every((vm) => vm.latestModelApplied === true)).toBe(true);
    const statuses = vms[0]?.instanceView?.extensions?.[0]?.statuses;
    expect(statuses?.[0]?.code).toBe('ProvisioningState/succeeded');
    expect(vms[1]?.instanceView?.platformUpdateDomain).toBe(1);
    expect(await listVms('nt1vm', { filter: 'properties/latestModelApplied eq false' })).toHaveLength(0);
  });

  it('runs the autorollover update as an LRO that completes only once the KeyVault extension synced', async () => {
    const identityId = env.seeded.env['KVROLLOVER_SANDBOX_IDENTITY_ID']!;
    const clientId = env.seeded.env['KVROLLOVER_SANDBOX_IDENTITY_CLIENT_ID']!;
    const poller = compute.virtualMachineScaleSets.update(
      RG,
      'nt2vm',
      {
        identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
        virtualMachineProfile: {
          osProfile: { secrets: [] },
          extensionProfile: {
            extensions: [
              {
                name: 'KVVMExtension',
                publisher: 'Microsoft.Azure.KeyVault',
                typePropertiesType: 'KeyVaultForWindows',
                typeHandlerVersion: '3.0',
                autoUpgradeMinorVersion: true,
                settings: {
                  secretsManagementSettings: {
                    pollingIntervalInS: '3600',
                    linkOnRenewal: false,
                    requireInitialSync: true,
                    observedCertificates: [
                      {
                        url: 'https://kvr-demo-kv.vault.azure.net/secrets/cluster-cert',
                        certificateStoreName: 'MY',
                        certificateStoreLocation: 'LocalMachine',
                      },
                    ],
                  },
                  authenticationSettings: {
                    msiEndpoint: 'http://169.254.169.254/metadata/identity',
                    msiClientId: clientId,
                  },
                },
              },
              {
                name: 'ServiceFabricNodeVmExt_nt2vm',
                publisher: 'Microsoft.Azure.ServiceFabric',
                typePropertiesType: 'ServiceFabricNode',
                typeHandlerVersion: '1.1',
                provisionAfterExtensions: ['KVVMExtension'],
                settings: {
                  nodeTypeRef: 'nt2vm',
                  certificate: { commonNames: [SF_COMMON_NAME], x509StoreName: 'My' },
                },
              },
            ],
          },
        },
      },
      POLL,
    );
    await poller.submitted();
    // No vault access yet: the KeyVault extension retries its initial sync, the operation keeps running.
    const during = await compute.virtualMachineScaleSets.get(RG, 'nt2vm');
    expect(during.provisioningState).toBe('Updating');
    expect(during.identity?.userAssignedIdentities?.[identityId]?.clientId).toBe(clientId);
    const ext = await compute.virtualMachineScaleSetVMExtensions.get(RG, 'nt2vm', '0', 'KVVMExtension', {
      expand: 'instanceView',
    });
    expect(ext.instanceView?.statuses?.[0]?.code).toBe('ProvisioningState/transitioning');

    grantSecretsRead(env.sandbox, 'kvr-demo-kv', clientId);
    env.sandbox.clock.advance(60_000);
    const done = await poller.pollUntilDone();
    expect(done.provisioningState).toBe('Succeeded');
    expect(done.virtualMachineProfile?.osProfile?.secrets).toEqual([]);

    const list = await compute.virtualMachineScaleSetVMExtensions.list(RG, 'nt2vm', '2', {
      expand: 'instanceView',
    });
    const byName = new Map((list.value ?? []).map((e) => [e.name, e]));
    expect(byName.get('KVVMExtension')?.instanceView?.statuses?.[0]?.code).toBe(
      'ProvisioningState/succeeded',
    );
    expect(byName.get('ServiceFabricNodeVmExt_nt2vm')?.provisioningState).toBe('Succeeded');
    expect(env.sim.availability.everUnavailable()).toBe(false);
  });

  it('fails the LRO when the model references a disabled secret version', async () => {
    const vmss = await compute.virtualMachineScaleSets.get(RG, 'nt1vm');
    const url =
      vmss.virtualMachineProfile?.osProfile?.secrets?.[0]?.vaultCertificates?.[0]?.certificateUrl ?? '';
    const version = url.split('/').pop() ?? '';
    const record = env.sandbox.world.vaults
      .getCertificate('kvr-demo-kv', 'cluster-cert')
      ?.versions.find((v) => v.version === version);
    if (record === undefined) throw new Error('version not found');
    record.enabled = false;
    try {
      const poller = compute.virtualMachineScaleSets.update(RG, 'nt1vm', { tags: { touched: 'yes' } }, POLL);
      await expect(poller.pollUntilDone()).rejects.toThrow(/KeyVaultSecretDoesNotExist/);
      expect((await compute.virtualMachineScaleSets.get(RG, 'nt1vm')).provisioningState).toBe('Failed');
    } finally {
      record.enabled = true;
    }
  });

  it('refuses a Service Fabric scale set with a Manual upgrade policy and an unversioned secret URL', async () => {
    await expect(
      compute.virtualMachineScaleSets
        .update(RG, 'nt1vm', { upgradePolicy: { mode: 'Manual' } }, POLL)
        .pollUntilDone(),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    await expect(
      compute.virtualMachineScaleSets
        .update(
          RG,
          'nt1vm',
          {
            virtualMachineProfile: {
              osProfile: {
                secrets: [
                  {
                    sourceVault: { id: 'x/kvr-demo-kv' },
                    vaultCertificates: [
                      {
                        certificateUrl: 'https://kvr-demo-kv.vault.azure.net/secrets/cluster-cert',
                        certificateStore: 'My',
                      },
                    ],
                  },
                ],
              },
            },
          },
          POLL,
        )
        .pollUntilDone(),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('creates a Manual scale set (PUT LRO) whose instances lag until manualupgrade', async () => {
    const versions = env.sandbox.world.vaults.listCertificateVersions('kvr-demo-kv', 'cluster-cert');
    const first = versions[versions.length - 1]!;
    const secrets = (url: string) => [
      {
        sourceVault: {
          id: `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kvr-demo-kv`,
        },
        vaultCertificates: [{ certificateUrl: url, certificateStore: 'My' }],
      },
    ];
    const created = await compute.virtualMachineScaleSets
      .createOrUpdate(
        RG,
        'workers',
        {
          location: 'westeurope',
          sku: { name: 'Standard_D2s_v3', tier: 'Standard', capacity: 2 },
          upgradePolicy: { mode: 'Manual' },
          virtualMachineProfile: {
            osProfile: { computerNamePrefix: 'workers', secrets: secrets(first.secretId) },
          },
        },
        POLL,
      )
      .pollUntilDone();
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.uniqueId).toMatch(/[0-9a-f-]{36}/);

    const renewed = await env.sandbox.world.certificates.renewNow('kvr-demo-kv', 'cluster-cert');
    const updated = await compute.virtualMachineScaleSets
      .update(
        RG,
        'workers',
        { virtualMachineProfile: { osProfile: { secrets: secrets(renewed.secretId) } } },
        POLL,
      )
      .pollUntilDone();
    expect(updated.provisioningState).toBe('Succeeded');
    expect(await listVms('workers', { filter: 'properties/latestModelApplied eq false' })).toHaveLength(2);

    await compute.virtualMachineScaleSets.beginUpdateInstancesAndWait(
      RG,
      'workers',
      { instanceIds: ['0'] },
      POLL,
    );
    const lagging = await listVms('workers', { filter: 'properties/latestModelApplied eq false' });
    expect(lagging.map((vm) => vm.instanceId)).toEqual(['1']);
    const scaleSet = env.sim.scaleSet(env.sandbox.subscriptionId, RG, 'workers')!;
    expect(scaleSet.instances[0]?.store.has(renewed.thumbprint)).toBe(true);
    expect(scaleSet.instances[1]?.store.has(renewed.thumbprint)).toBe(false);
  });

  it('fails an update through an injected LRO failure, and GET agrees', async () => {
    env.sandbox.faults.add({
      operation: 'Microsoft.Compute/virtualMachineScaleSets/write',
      action: {
        type: 'failLro',
        code: 'InternalExecutionError',
        message: 'An internal execution error occurred.',
      },
    });
    await expect(
      compute.virtualMachineScaleSets.update(RG, 'workers', { tags: { fault: 'yes' } }, POLL).pollUntilDone(),
    ).rejects.toThrow(/InternalExecutionError/);
    expect((await compute.virtualMachineScaleSets.get(RG, 'workers')).provisioningState).toBe('Failed');
  });

  it('answers 404 ResourceNotFound for an unknown scale set', async () => {
    await expect(compute.virtualMachineScaleSets.get(RG, 'nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});
