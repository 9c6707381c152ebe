import { describe, expect, it } from 'vitest';
import { scaleSetPatchFor } from '../../src/controllers/service-fabric/scale-set-patch.js';
import { TerminalError } from '../../src/domain/errors.js';
import type { Change } from '../../src/domain/plan/index.js';

const VAULT_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv';
const OTHER_VAULT_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/other';
const OLD_URL = 'https://kv.vault.azure.net/secrets/cluster-cert/aaaa';
const NEW_URL = 'https://kv.vault.azure.net/secrets/cluster-cert/bbbb';
const APP_URL = 'https://other.vault.azure.net/secrets/app/cccc';
const IDENTITY =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1';

function vmss(extraSecrets: unknown[] = []) {
  return {
    name: 'nt1vm',
    identity: { type: 'SystemAssigned' },
    properties: {
      virtualMachineProfile: {
        osProfile: {
          secrets: [
            {
              sourceVault: { id: VAULT_ID },
              vaultCertificates: [{ certificateUrl: OLD_URL, certificateStore: 'My' }],
            },
            ...extraSecrets,
          ],
        },
        extensionProfile: {
          extensions: [
            {
              name: 'ServiceFabricNodeVmExt_nt1vm',
              properties: {
                publisher: 'Microsoft.Azure.ServiceFabric',
                type: 'ServiceFabricNode',
                typeHandlerVersion: '1.1',
                settings: {
                  clusterEndpoint: 'https://x',
                  nodeTypeRef: 'nt1vm',
                  certificate: { thumbprint: 'AB', x509StoreName: 'My' },
                  certificateSecondary: { thumbprint: 'CD', x509StoreName: 'My' },
                },
              },
            },
            {
              name: 'MonitoringAgent',
              properties: { publisher: 'Microsoft.EnterpriseCloud.Monitoring', type: 'MMA' },
            },
          ],
        },
      },
    },
  };
}

describe('scaleSetPatchFor', () => {
  it('adds a versioned secret to the group of its vault and keeps every other secret', () => {
    const change: Change = {
      op: 'AddScaleSetSecret',
      vmss: 'nt1vm',
      sourceVaultId: VAULT_ID,
      certificateUrl: NEW_URL,
      certificateStore: 'My',
    };
    const other = { sourceVault: { id: OTHER_VAULT_ID }, vaultCertificates: [{ certificateUrl: APP_URL }] };
    const patch = scaleSetPatchFor(change, vmss([other]));
    expect(patch.extensions).toBeUndefined();
    expect(patch.identity).toBeUndefined();
    expect(patch.secrets).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [
          { certificateUrl: OLD_URL, certificateStore: 'My' },
          { certificateUrl: NEW_URL, certificateStore: 'My' },
        ],
      },
      other,
    ]);
  });

  it('is idempotent: adding a secret already present changes nothing', () => {
    const change: Change = {
      op: 'AddScaleSetSecret',
      vmss: 'nt1vm',
      sourceVaultId: VAULT_ID,
      certificateUrl: OLD_URL.toUpperCase(),
      certificateStore: 'My',
    };
    expect(scaleSetPatchFor(change, vmss()).secrets).toEqual(
      scaleSetPatchFor({ op: 'RemoveScaleSetSecret', vmss: 'nt1vm', certificateUrls: [] }, vmss()).secrets,
    );
  });

  it('creates the group of a vault the scale set did not reference yet', () => {
    const change: Change = {
      op: 'AddScaleSetSecret',
      vmss: 'nt1vm',
      sourceVaultId: OTHER_VAULT_ID,
      certificateUrl: APP_URL,
      certificateStore: 'My',
    };
    const groups = scaleSetPatchFor(change, vmss()).secrets!;
    expect(groups.map((g) => g.sourceVault.id)).toEqual([VAULT_ID, OTHER_VAULT_ID]);
  });

  it('removes secrets and drops a group left empty', () => {
    const change: Change = { op: 'RemoveScaleSetSecret', vmss: 'nt1vm', certificateUrls: [OLD_URL] };
    expect(scaleSetPatchFor(change, vmss()).secrets).toEqual([]);
  });

  it('switches a node type to the KeyVault extension in one model update', () => {
    const change: Change = {
      op: 'InstallKeyVaultExtension',
      vmss: 'nt1vm',
      identityResourceId: IDENTITY,
      extensionName: 'KVVMExtension',
      publisher: 'Microsoft.Azure.KeyVault',
      type: 'KeyVaultForWindows',
      typeHandlerVersion: '3.0',
      settings: {
        secretsManagementSettings: {
          pollingIntervalInS: '3600',
          linkOnRenewal: false,
          requireInitialSync: true,
          observedCertificates: [
            {
              url: 'https://kv.vault.azure.net/secrets/cluster-cert',
              certificateStoreName: 'My',
              certificateStoreLocation: 'LocalMachine',
            },
          ],
        },
        authenticationSettings: { msiEndpoint: 'http://169.254.169.254/metadata/identity', msiClientId: 'c' },
      },
      serviceFabricExtension: {
        name: 'ServiceFabricNodeVmExt_nt1vm',
        provisionAfterExtensions: ['KVVMExtension'],
        certificate: { commonNames: ['cluster.contoso.com'], x509StoreName: 'My' },
      },
      removeSecretUrls: [OLD_URL],
    };
    const patch = scaleSetPatchFor(change, vmss());
    // The system-assigned identity the scale set had is kept beside the user-assigned one.
    expect(patch.identity).toEqual({
      type: 'SystemAssigned, UserAssigned',
      userAssignedIdentities: { [IDENTITY]: {} },
    });
    expect(patch.secrets).toEqual([]);
    const [kv, sf, mma] = patch.extensions!;
    expect(kv?.name).toBe('KVVMExtension');
    expect(kv?.properties.settings).toEqual(change.settings);
    expect(sf?.properties.provisionAfterExtensions).toEqual(['KVVMExtension']);
    // The Service Fabric settings keep everything but the certificate declaration, and lose the secondary.
    expect(sf?.properties.settings).toEqual({
      clusterEndpoint: 'https://x',
      nodeTypeRef: 'nt1vm',
      certificate: { commonNames: ['cluster.contoso.com'], x509StoreName: 'My' },
    });
    expect(mma?.name).toBe('MonitoringAgent');
  });

  describe('SetServiceFabricExtensionCertificate', () => {
    const base = {
      op: 'SetServiceFabricExtensionCertificate',
      vmss: 'nt1vm',
      extensionName: 'ServiceFabricNodeVmExt_nt1vm',
    } as const;

    it('rewrites only the certificate declaration and carries every other extension and setting', () => {
      const change: Change = {
        ...base,
        certificate: { thumbprint: 'EF', x509StoreName: 'My' },
        certificateSecondary: { thumbprint: 'AB', x509StoreName: 'My' },
      };
      const body = vmss();
      const patch = scaleSetPatchFor(change, body);
      // osProfile.secrets and identity are not sent, so they are not replaced.
      expect(patch.secrets).toBeUndefined();
      expect(patch.identity).toBeUndefined();
      const [sf, mma] = patch.extensions!;
      expect(patch.extensions).toHaveLength(2);
      expect(sf).toEqual({
        name: 'ServiceFabricNodeVmExt_nt1vm',
        properties: {
          publisher: 'Microsoft.Azure.ServiceFabric',
          type: 'ServiceFabricNode',
          typeHandlerVersion: '1.1',
          settings: {
            clusterEndpoint: 'https://x',
            nodeTypeRef: 'nt1vm',
            certificate: { thumbprint: 'EF', x509StoreName: 'My' },
            certificateSecondary: { thumbprint: 'AB', x509StoreName: 'My' },
          },
        },
      });
      expect(mma).toEqual(body.properties.virtualMachineProfile.extensionProfile.extensions[1]);
    });

    it('removes certificateSecondary when the change says null, and drops a commonNames declaration', () => {
      const body = vmss();
      const sfExt = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!;
      // Settings written by a script as a JSON string, declaring by common name.
      (sfExt.properties as { settings: unknown }).settings = JSON.stringify({
        clusterEndpoint: 'https://x',
        certificate: { commonNames: ['cluster.contoso.com'], x509StoreName: 'My' },
        certificateSecondary: { thumbprint: 'CD', x509StoreName: 'My' },
      });
      const change: Change = {
        ...base,
        certificate: { thumbprint: 'EF', x509StoreName: 'My' },
        certificateSecondary: null,
      };
      const sf = scaleSetPatchFor(change, body).extensions![0];
      expect(sf?.properties.settings).toEqual({
        clusterEndpoint: 'https://x',
        certificate: { thumbprint: 'EF', x509StoreName: 'My' },
      });
    });

    it('refuses an extension the scale set does not have (the PATCH would silently do nothing)', () => {
      const change: Change = {
        ...base,
        extensionName: 'ServiceFabricNodeVmExt_other',
        certificate: { thumbprint: 'EF', x509StoreName: 'My' },
        certificateSecondary: null,
      };
      expect(() => scaleSetPatchFor(change, vmss())).toThrow(TerminalError);
    });
  });
});
