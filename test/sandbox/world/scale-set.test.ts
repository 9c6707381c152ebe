import { describe, expect, it } from 'vitest';
import { EXTENSION_PROVISIONING_TIMEOUT_MS } from '../../../src/sandbox/world/scale-set.js';
import { ca, kvExtension, leaf, newWorld, scaleSetResource, sfExtension, T0, DAY } from './fixtures.js';
import { CN, certFrom } from './cluster-fixture.js';

const issuer = ca('issuing');

function withSecret(mode: 'Automatic' | 'Manual' = 'Automatic') {
  const env = newWorld();
  const v1 = env.vault.add('cluster-cert', certFrom(issuer, -30, 'v1'));
  const scaleSet = env.world.createScaleSet(
    'sub',
    'rg',
    'nt1vm',
    scaleSetResource({
      name: 'nt1vm',
      capacity: 2,
      mode,
      secrets: [env.vault.url('cluster-cert', v1.version)],
    }),
  );
  return { ...env, v1, scaleSet };
}

function withSecrets(resource: ReturnType<typeof scaleSetResource>, urls: string[]) {
  const next = structuredClone(resource);
  const osProfile = next.properties?.virtualMachineProfile?.osProfile;
  if (osProfile === undefined) throw new Error('no osProfile');
  osProfile.secrets =
    urls.length === 0
      ? []
      : [
          {
            sourceVault: { id: 'x/kv' },
            vaultCertificates: urls.map((certificateUrl) => ({ certificateUrl, certificateStore: 'My' })),
          },
        ];
  return next;
}

describe('VMSS model application [VMSS-UP][VMSS-FAQ]', () => {
  it('installs the versioned secret on every instance (Automatic)', () => {
    const { scaleSet, v1 } = withSecret();
    expect(scaleSet.instances).toHaveLength(2);
    for (const node of scaleSet.instances) {
      expect(node.store.get(v1.certificate.thumbprint)?.hasPrivateKey).toBe(true);
      expect(scaleSet.latestModelApplied(node)).toBe(true);
    }
    expect(scaleSet.provisioningState()).toBe('Succeeded');
  });

  it('leaves Manual instances on the old model until manualupgrade', () => {
    const { scaleSet, vault, v1, world } = withSecret('Manual');
    const v2 = vault.add('cluster-cert', certFrom(issuer, -1, 'v2'));
    scaleSet.write(
      withSecrets(scaleSet.resource, [
        vault.url('cluster-cert', v1.version),
        vault.url('cluster-cert', v2.version),
      ]),
      world.now(),
    );
    expect(scaleSet.lastOperation?.status).toBe('Succeeded');
    const [first, second] = scaleSet.instances;
    expect(first && scaleSet.latestModelApplied(first)).toBe(false);
    expect(first?.store.has(v2.certificate.thumbprint)).toBe(false);
    scaleSet.manualUpgrade([first?.id ?? ''], world.now());
    expect(first && scaleSet.latestModelApplied(first)).toBe(true);
    expect(first?.store.has(v2.certificate.thumbprint)).toBe(true);
    expect(second && scaleSet.latestModelApplied(second)).toBe(false);
  });

  it('keeps certificates when a secret is removed; reimage resets; scale-out gets only the current model', () => {
    const { scaleSet, vault, v1, world } = withSecret();
    const v2 = vault.add('cluster-cert', certFrom(issuer, -1, 'v2'));
    const next = withSecrets(scaleSet.resource, [vault.url('cluster-cert', v2.version)]);
    next.sku = { ...next.sku, capacity: 3 };
    scaleSet.write(next, world.now());
    const [old, , added] = scaleSet.instances;
    expect(old?.store.has(v1.certificate.thumbprint)).toBe(true);
    expect(old?.store.has(v2.certificate.thumbprint)).toBe(true);
    expect(added?.store.has(v1.certificate.thumbprint)).toBe(false);
    expect(added?.store.has(v2.certificate.thumbprint)).toBe(true);
    scaleSet.reimage([old?.id ?? ''], world.now());
    expect(old?.store.has(v1.certificate.thumbprint)).toBe(false);
    expect(old?.store.has(v2.certificate.thumbprint)).toBe(true);
  });

  it('keeps the operation Updating until a delayed model application reaches the instances', () => {
    const env = newWorld({ applyDelayMs: 30_000 });
    const v1 = env.vault.add('cluster-cert', certFrom(issuer, -30, 'v1'));
    const scaleSet = env.world.createScaleSet(
      'sub',
      'rg',
      'nt1vm',
      scaleSetResource({ name: 'nt1vm', capacity: 2 }),
    );
    const op = scaleSet.write(
      withSecrets(scaleSet.resource, [env.vault.url('cluster-cert', v1.version)]),
      env.world.now(),
    );
    expect(op.status).toBe('InProgress');
    expect(scaleSet.provisioningState()).toBe('Updating');
    expect(scaleSet.instances.some((n) => scaleSet.latestModelApplied(n))).toBe(false);
    env.clock.advance(30_000);
    expect(op.status).toBe('Succeeded');
    expect(scaleSet.instances.every((n) => n.store.has(v1.certificate.thumbprint))).toBe(true);
  });

  it('fails the operation for a disabled version, an unversioned URL and a vault not enabled for deployment', () => {
    const { scaleSet, vault, v1, world } = withSecret();
    vault.disable('cluster-cert', v1.version);
    scaleSet.write(structuredClone(scaleSet.resource), world.now());
    expect(scaleSet.lastOperation?.error?.code).toBe('KeyVaultSecretDoesNotExist');
    expect(scaleSet.provisioningState()).toBe('Failed');

    scaleSet.write(withSecrets(scaleSet.resource, [vault.url('cluster-cert')]), world.now());
    expect(scaleSet.lastOperation?.error?.code).toBe('InvalidParameter');

    const v2 = vault.add('cluster-cert', certFrom(issuer, -1, 'v2'));
    vault.enabledForDeployment = false;
    scaleSet.write(withSecrets(scaleSet.resource, [vault.url('cluster-cert', v2.version)]), world.now());
    expect(scaleSet.lastOperation?.error?.code).toBe('KeyVaultAccessForbidden');
  });
});

describe('KeyVault extension agent [KVW-24][KVW-26][KVL-25][SF-MGMT]', () => {
  function kvScaleSet(options: Parameters<typeof kvExtension>[1] & { grant?: boolean; sfAfter?: boolean }) {
    const env = newWorld();
    const identity = env.vault.addIdentity('uai');
    if (options.grant ?? true) env.vault.grant(identity);
    const v1 = env.vault.add('cluster-cert', certFrom(issuer, -30, 'v1'));
    const extensions = [kvExtension(env.vault, { clientId: identity.clientId, ...options })];
    if (options.sfAfter) extensions.push(sfExtension('nt1vm', { commonNames: [CN] }, ['KVVMExtension']));
    const scaleSet = env.world.createScaleSet(
      'sub',
      'rg',
      'nt1vm',
      scaleSetResource({ name: 'nt1vm', capacity: 2, identityIds: [identity.resourceId], extensions }),
    );
    return { ...env, identity, v1, scaleSet };
  }
  const ext = (
    s: {
      scaleSet: {
        instances: {
          extensions: Map<string, { state: string; message: string; agent?: { cycles: number } | undefined }>;
        }[];
      };
    },
    name = 'KVVMExtension',
  ) => s.scaleSet.instances[0]?.extensions.get(name);

  it('installs the latest version at once and polls every pollingIntervalInS of virtual time', () => {
    const env = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/cluster-cert'],
      pollingIntervalInS: 600,
    });
    expect(ext(env)?.state).toBe('succeeded');
    expect(env.scaleSet.instances[0]?.store.has(env.v1.certificate.thumbprint)).toBe(true);
    const v2 = env.vault.add('cluster-cert', certFrom(issuer, -1, 'v2'));
    env.clock.advance(599_000);
    expect(env.scaleSet.instances[0]?.store.has(v2.certificate.thumbprint)).toBe(false);
    env.clock.advance(3_000_000); // to 3599 s: polls at 600, 1200, …, 3000
    expect(env.scaleSet.instances[0]?.store.has(v2.certificate.thumbprint)).toBe(true);
    expect(ext(env)?.agent?.cycles).toBe(1 + 5);
  });

  it('stays Transitioning without vault access (Windows v3) until CRP times out the operation', () => {
    const env = kvScaleSet({ observed: ['https://kv.vault.azure.net/secrets/cluster-cert'], grant: false });
    expect(ext(env)?.state).toBe('transitioning');
    expect(env.scaleSet.provisioningState()).toBe('Updating');
    env.vault.grant(env.identity);
    env.clock.advance(10 * 60_000);
    expect(ext(env)?.state).toBe('succeeded');
    expect(env.scaleSet.provisioningState()).toBe('Succeeded');

    const denied = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/cluster-cert'],
      grant: false,
    });
    denied.clock.advance(EXTENSION_PROVISIONING_TIMEOUT_MS);
    expect(ext(denied)?.state).toBe('transitioning');
    expect(denied.scaleSet.lastOperation?.error?.code).toBe('VMExtensionProvisioningTimeout');
  });

  it('ends in Error after 25 initial-sync retries on Linux, failing the operation', () => {
    const env = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/cluster-cert'],
      grant: false,
      type: 'KeyVaultForLinux',
    });
    env.clock.advance(3 * 3_600_000);
    expect(ext(env)?.state).toBe('failed');
    expect(ext(env)?.message).toContain('25 attempts');
    expect(env.scaleSet.lastOperation?.error?.code).toBe('VMExtensionProvisioningError');
  });

  it('with requireInitialSync false reports success, and the Service Fabric extension then fails to find its certificate', () => {
    const env = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/cluster-cert'],
      grant: false,
      requireInitialSync: false,
      sfAfter: true,
    });
    expect(ext(env)?.state).toBe('succeeded');
    expect(ext(env, 'ServiceFabricNodeVmExt_nt1vm')?.message).toContain(
      "FindBySubjectName' 'cluster.contoso.com'",
    );
    expect(env.scaleSet.lastOperation?.error?.code).toBe('VMExtensionProvisioningError');
  });

  it('provisions the Service Fabric extension after the KeyVault extension synced (provisionAfterExtensions)', () => {
    const env = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/cluster-cert'],
      grant: false,
      sfAfter: true,
    });
    expect(ext(env, 'ServiceFabricNodeVmExt_nt1vm')?.state).toBe('transitioning');
    env.vault.grant(env.identity);
    env.clock.advance(60_000);
    expect(ext(env, 'ServiceFabricNodeVmExt_nt1vm')?.state).toBe('succeeded');
    expect(env.scaleSet.lastOperation?.status).toBe('Succeeded');
  });

  it('fails downloads without authenticationSettings.msiClientId when the VM has user-assigned identities', () => {
    const env = newWorld();
    const identity = env.vault.addIdentity('uai');
    env.vault.grant(identity);
    env.vault.add('cluster-cert', certFrom(issuer, -30, 'v1'));
    const scaleSet = env.world.createScaleSet(
      'sub',
      'rg',
      'nt1vm',
      scaleSetResource({
        name: 'nt1vm',
        capacity: 1,
        identityIds: [identity.resourceId],
        extensions: [
          kvExtension(env.vault, { observed: ['https://kv.vault.azure.net/secrets/cluster-cert'] }),
        ],
      }),
    );
    const agent = scaleSet.instances[0]?.extensions.get('KVVMExtension')?.agent;
    expect([...(agent?.lastErrors.values() ?? [])][0]).toContain('msiClientId is required');
  });

  it('links older certificates whose SANs are included in a new one (linkOnRenewal, Windows)', () => {
    const env = kvScaleSet({
      observed: ['https://kv.vault.azure.net/secrets/other-cert'],
      linkOnRenewal: true,
    });
    const node = env.scaleSet.instances[0];
    if (node === undefined) throw new Error('no node');
    const clusterCert = leaf({
      cn: CN,
      sans: [CN],
      issuer,
      notBefore: new Date(T0.getTime() - DAY),
      notAfter: new Date(T0.getTime() + 90 * DAY),
    });
    node.store.install(clusterCert, { hasPrivateKey: true, at: T0, source: 'osProfile' });
    const superset = env.vault.add(
      'other-cert',
      leaf({
        cn: 'api.contoso.com',
        sans: ['api.contoso.com', CN],
        issuer,
        notBefore: T0,
        notAfter: new Date(T0.getTime() + 90 * DAY),
      }),
    );
    env.clock.advance(3_600_000);
    expect(node.store.get(clusterCert.thumbprint)?.renewedBy).toBe(superset.certificate.thumbprint);
  });

  it('reports the v1.0 settings parse error for a string', () => {
    const env = newWorld();
    const scaleSet = env.world.createScaleSet(
      'sub',
      'rg',
      'x',
      scaleSetResource({
        name: 'x',
        capacity: 1,
        extensions: [
          {
            name: 'KVVMExtension',
            properties: {
              publisher: 'Microsoft.Azure.KeyVault',
              type: 'KeyVaultForWindows',
              typeHandlerVersion: '1.0',
              settings: '{"secretsManagementSettings":{}}',
            },
          },
        ],
      }),
    );
    expect(scaleSet.lastOperation?.error?.message).toContain('not an object');
  });
});
