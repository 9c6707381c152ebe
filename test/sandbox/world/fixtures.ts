// Test fixtures: an in-memory vault (the world's VaultPort) with certificate facts made up on the spot,
// so the world model is exercised without real X.509 material.
import { createHash } from 'node:crypto';
import { VirtualClock } from '../../../src/sandbox/clock.js';
import type {
  CertFacts,
  IdentityInfo,
  VaultCaller,
  VaultPort,
  VaultReadResult,
  VaultSecretVersion,
} from '../../../src/sandbox/world/types.js';
import { SimWorld } from '../../../src/sandbox/world/world.js';
import type { ScaleSetResource } from '../../../src/sandbox/world/vmss-model.js';

export const DAY = 86_400_000;
export const T0 = new Date('2026-01-01T00:00:00Z');

let serial = 0;
export function thumbprint(label: string): string {
  serial += 1;
  return createHash('sha1').update(`${label}/${serial}`).digest('hex').toUpperCase();
}

export interface Ca {
  readonly name: string;
  readonly thumbprint: string;
}

export function ca(name: string): Ca {
  return { name, thumbprint: thumbprint(`ca:${name}`) };
}

export function leaf(options: {
  cn: string;
  sans?: string[];
  issuer: Ca;
  notBefore: Date;
  notAfter: Date;
  label?: string;
}): CertFacts {
  return {
    thumbprint: thumbprint(options.label ?? options.cn),
    commonName: options.cn,
    dnsNames: options.sans ?? [options.cn],
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    issuerThumbprint: options.issuer.thumbprint,
    selfSigned: false,
    chainsToTrustedRoot: true,
  };
}

export function selfSigned(cn: string, notBefore: Date, notAfter: Date): CertFacts {
  const tp = thumbprint(`self:${cn}`);
  return {
    thumbprint: tp,
    commonName: cn,
    dnsNames: [cn],
    notBefore,
    notAfter,
    issuerThumbprint: tp,
    selfSigned: true,
    chainsToTrustedRoot: false,
  };
}

export class FakeVault implements VaultPort {
  readonly name = 'kv';
  private readonly versions = new Map<string, VaultSecretVersion[]>();
  readonly readers = new Set<string>();
  readonly identities = new Map<string, IdentityInfo>();
  enabledForDeployment = true;
  reads = 0;

  add(
    name: string,
    certificate: CertFacts,
    options: { enabled?: boolean; hasPrivateKey?: boolean } = {},
  ): VaultSecretVersion {
    const list = this.versions.get(name) ?? [];
    const version: VaultSecretVersion = {
      vault: this.name,
      name,
      version: createHash('md5').update(certificate.thumbprint).digest('hex'),
      enabled: options.enabled ?? true,
      hasPrivateKey: options.hasPrivateKey ?? true,
      certificate,
    };
    list.push(version);
    this.versions.set(name, list);
    return version;
  }

  disable(name: string, version: string): void {
    const list = this.versions.get(name) ?? [];
    const index = list.findIndex((v) => v.version === version);
    const found = list[index];
    if (found !== undefined) list[index] = { ...found, enabled: false };
  }

  addIdentity(name: string): IdentityInfo {
    const info: IdentityInfo = {
      resourceId: `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
      clientId: `client-${name}`,
      principalId: `principal-${name}`,
    };
    this.identities.set(info.resourceId.toLowerCase(), info);
    return info;
  }

  grant(identity: IdentityInfo): void {
    this.readers.add(identity.clientId);
  }

  revoke(identity: IdentityInfo): void {
    this.readers.delete(identity.clientId);
  }

  url(name: string, version?: string): string {
    return `https://${this.name}.vault.azure.net/secrets/${name}${version === undefined ? '' : `/${version}`}`;
  }

  readSecret(vault: string, name: string, version: string | undefined, caller: VaultCaller): VaultReadResult {
    this.reads += 1;
    if (vault !== this.name) return { ok: false, failure: 'VaultNotFound', message: `no vault ${vault}` };
    if (caller.kind === 'deployment' && !this.enabledForDeployment) {
      return { ok: false, failure: 'NotEnabledForDeployment', message: 'not enabled for deployment' };
    }
    if (caller.kind === 'identity' && !this.readers.has(caller.clientId)) {
      return { ok: false, failure: 'Forbidden', message: `${caller.clientId} may not read secrets` };
    }
    const list = this.versions.get(name) ?? [];
    const found = version === undefined ? list[list.length - 1] : list.find((v) => v.version === version);
    if (found === undefined)
      return { ok: false, failure: 'SecretNotFound', message: `${name}/${version ?? ''}` };
    if (!found.enabled)
      return { ok: false, failure: 'SecretDisabled', message: `${name}/${found.version} disabled` };
    return { ok: true, secret: found };
  }

  identity(resourceId: string): IdentityInfo | undefined {
    return this.identities.get(resourceId.toLowerCase());
  }
}

export function newWorld(options: { udDurationMs?: number; applyDelayMs?: number } = {}): {
  clock: VirtualClock;
  vault: FakeVault;
  world: SimWorld;
} {
  const clock = new VirtualClock(T0);
  const vault = new FakeVault();
  const world = new SimWorld({
    clock,
    vault,
    upgradeDomainDurationMs: options.udDurationMs ?? 60_000,
    scaleSetApplyDelayMs: options.applyDelayMs ?? 0,
  });
  return { clock, vault, world };
}

export function kvExtension(
  vault: FakeVault,
  options: {
    observed: string[];
    clientId?: string;
    pollingIntervalInS?: number;
    requireInitialSync?: boolean;
    linkOnRenewal?: boolean;
    type?: 'KeyVaultForWindows' | 'KeyVaultForLinux';
    typeHandlerVersion?: string;
  },
): { name: string; properties: Record<string, unknown> } {
  void vault;
  return {
    name: 'KVVMExtension',
    properties: {
      publisher: 'Microsoft.Azure.KeyVault',
      type: options.type ?? 'KeyVaultForWindows',
      typeHandlerVersion: options.typeHandlerVersion ?? '3.0',
      autoUpgradeMinorVersion: true,
      settings: {
        secretsManagementSettings: {
          pollingIntervalInS: String(options.pollingIntervalInS ?? 3600),
          linkOnRenewal: options.linkOnRenewal ?? false,
          requireInitialSync: options.requireInitialSync ?? true,
          observedCertificates: options.observed.map((url) => ({
            url,
            certificateStoreName: 'MY',
            certificateStoreLocation: 'LocalMachine',
          })),
        },
        ...(options.clientId !== undefined
          ? {
              authenticationSettings: {
                msiEndpoint: 'http://169.254.169.254/metadata/identity',
                msiClientId: options.clientId,
              },
            }
          : {}),
      },
    },
  };
}

export function sfExtension(
  nodeType: string,
  certificate: { thumbprint: string } | { commonNames: string[] },
  provisionAfter?: string[],
): { name: string; properties: Record<string, unknown> } {
  return {
    name: `ServiceFabricNodeVmExt_${nodeType}`,
    properties: {
      publisher: 'Microsoft.Azure.ServiceFabric',
      type: 'ServiceFabricNode',
      typeHandlerVersion: '1.1',
      autoUpgradeMinorVersion: true,
      ...(provisionAfter !== undefined ? { provisionAfterExtensions: provisionAfter } : {}),
      settings: {
        clusterEndpoint: 'https://westeurope.servicefabric.azure.com/runtime/clusters/x',
        nodeTypeRef: nodeType,
        dataPath: 'D:\\SvcFab',
        durabilityLevel: 'Bronze',
        certificate: { ...certificate, x509StoreName: 'My' },
      },
    },
  };
}

export function scaleSetResource(options: {
  name: string;
  capacity: number;
  secrets?: string[];
  extensions?: { name: string; properties: Record<string, unknown> }[];
  identityIds?: string[];
  mode?: 'Automatic' | 'Manual';
}): ScaleSetResource {
  return {
    name: options.name,
    location: 'westeurope',
    type: 'Microsoft.Compute/virtualMachineScaleSets',
    sku: { name: 'Standard_D2s_v3', tier: 'Standard', capacity: options.capacity },
    ...(options.identityIds !== undefined
      ? {
          identity: {
            type: 'UserAssigned',
            userAssignedIdentities: Object.fromEntries(options.identityIds.map((id) => [id, {}])),
          },
        }
      : {}),
    properties: {
      upgradePolicy: { mode: options.mode ?? 'Automatic' },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: options.name,
          secrets:
            options.secrets === undefined || options.secrets.length === 0
              ? []
              : [
                  {
                    sourceVault: {
                      id: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
                    },
                    vaultCertificates: options.secrets.map((certificateUrl) => ({
                      certificateUrl,
                      certificateStore: 'My',
                    })),
                  },
                ],
        },
        extensionProfile: { extensions: options.extensions ?? [] },
      },
    },
  };
}
