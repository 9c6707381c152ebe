// Builders of specs and observations for planner tests, and a tiny model of how Azure applies each change
// (enough to drive the planner from any starting state to Steady in tests; the real emulator is elsewhere).
import { createHash } from 'node:crypto';
import type { ServiceFabricCertificateRotationSpec } from '../../src/api/index.js';
import type {
  ClusterObservation,
  ScaleSetObservation,
  ServiceFabricObservation,
  VaultVersionObservation,
} from '../../src/domain/observed/index.js';
import type { Change } from '../../src/domain/plan/index.js';

export type Spec = ServiceFabricCertificateRotationSpec;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A distinct, valid 40-hex thumbprint per label. */
export function tp(label: string): string {
  return createHash('sha1').update(label).digest('hex').toUpperCase();
}

export const ISSUER = tp('issuer-1');
export const OTHER_ISSUER = tp('issuer-2');
export const SUB = '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60';
export const RG = 'rg';
export const VAULT = 'kv1';
export const CERT = 'cluster-cert';
export const CN = 'cluster.contoso.com';
export const IDENTITY_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai`;
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const PRINCIPAL_ID = '99999999-2222-3333-4444-555555555555';
export const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${VAULT}`;
export const NOW = new Date('2026-06-01T12:00:00Z');

const DAY = 86_400_000;
export const daysFromNow = (d: number) => new Date(NOW.getTime() + d * DAY);

export function spec(overrides: Partial<Spec> = {}, certificate: Partial<Spec['certificate']> = {}): Spec {
  return {
    azure: { subscriptionId: SUB, resourceGroup: RG },
    cluster: {
      name: 'sf1',
      nodeTypes: [
        { name: 'nt0', vmssName: 'nt0vm' },
        { name: 'nt1', vmssName: 'nt1vm' },
      ],
    },
    certificate: {
      vault: VAULT,
      name: CERT,
      commonName: CN,
      issuerThumbprints: [ISSUER],
      x509StoreName: 'My',
      ...certificate,
    },
    mode: 'CommonName',
    identity: { resourceId: IDENTITY_ID, clientId: CLIENT_ID, grantVaultAccess: true },
    keyVaultExtension: {
      pollingIntervalInS: 3600,
      linkOnRenewal: false,
      requireInitialSync: true,
      type: 'KeyVaultForWindows',
      typeHandlerVersion: '3.0',
    },
    policy: {
      expiryWarning: '30d',
      expiryCritical: '7d',
      approval: 'Automatic',
      maintenanceWindows: [],
      suspend: false,
      quarantineUntrustedVersions: false,
    },
    ...overrides,
  };
}

export interface VersionOptions {
  issuer?: string | undefined;
  notBefore?: Date;
  notAfter?: Date;
  created?: Date;
  enabled?: boolean;
  selfSigned?: boolean;
  dnsNames?: string[];
  commonName?: string;
}

/** Vault version `name`; by default issued by ISSUER, valid from `daysFromNow(-n)` for a year. */
export function version(name: string, index: number, o: VersionOptions = {}): VaultVersionObservation {
  const thumbprint = tp(`version-${name}`);
  const notBefore = o.notBefore ?? daysFromNow(-100 + index * 10);
  return {
    version: name,
    certificateId: `https://${VAULT}.vault.azure.net/certificates/${CERT}/${name}`,
    secretId: `https://${VAULT}.vault.azure.net/secrets/${CERT}/${name}`,
    thumbprint,
    issuerThumbprint: o.selfSigned ? thumbprint : 'issuer' in o ? o.issuer : ISSUER,
    notBefore,
    notAfter: o.notAfter ?? new Date(notBefore.getTime() + 365 * DAY),
    created: o.created ?? notBefore,
    enabled: o.enabled ?? true,
    commonName: o.commonName ?? CN,
    dnsNames: o.dnsNames ?? [CN],
    selfSigned: o.selfSigned ?? false,
  };
}

export function secretFor(v: VaultVersionObservation) {
  return {
    sourceVaultId: VAULT_ID,
    certificateUrl: v.secretId,
    certificateStore: 'My',
    vaultName: VAULT,
    secretName: CERT,
    version: v.version,
  };
}

/** A thumbprint-declared node type: SF extension by thumbprint, given versioned secrets, Automatic upgrades. */
export function scaleSet(
  name: string,
  secrets: VaultVersionObservation[],
  sfThumbprint?: string,
): ScaleSetObservation {
  return {
    name,
    id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`,
    provisioningState: 'Succeeded',
    upgradeMode: 'Automatic',
    identityType: undefined,
    userAssignedIdentityIds: [],
    secrets: secrets.map(secretFor),
    keyVaultExtensions: [],
    serviceFabricExtension: {
      name: `ServiceFabricNodeVmExt_${name}`,
      type: 'ServiceFabricNode',
      certificateThumbprint: sfThumbprint,
      certificateCommonNames: [],
      certificateSecondaryThumbprint: undefined,
      x509StoreName: 'My',
      provisionAfterExtensions: [],
    },
    instances: [0, 1, 2].map((i) => ({ instanceId: String(i), latestModelApplied: true, extensions: {} })),
  };
}

export function cluster(
  thumbprint: string | undefined,
  secondary?: string,
  codeVersion = '10.1.1.0',
): ClusterObservation {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ServiceFabric/clusters/sf1`,
    name: 'sf1',
    certificate:
      thumbprint === undefined
        ? undefined
        : { thumbprint, thumbprintSecondary: secondary, x509StoreName: 'My' },
    certificateCommonNames: undefined,
    clusterState: 'Ready',
    provisioningState: 'Succeeded',
    clusterCodeVersion: codeVersion,
    nodeTypeNames: ['nt0', 'nt1'],
  };
}

export interface WorldOptions {
  versions: VaultVersionObservation[];
  cluster: ClusterObservation;
  /** Versions installed as secrets on every scale set. */
  installed?: VaultVersionObservation[];
  canRead?: boolean | undefined;
  otherCertificates?: ServiceFabricObservation['otherCertificates'];
}

export function observation(o: WorldOptions): ServiceFabricObservation {
  const installed = o.installed ?? [];
  return {
    cluster: o.cluster,
    scaleSets: ['nt0vm', 'nt1vm'].map((n) => scaleSet(n, installed, o.cluster.certificate?.thumbprint)),
    vault: { name: CERT, versions: o.versions, policy: undefined, pendingOperation: false },
    access: {
      vaultId: VAULT_ID,
      model: 'AccessPolicy',
      identityCanReadSecrets: 'canRead' in o ? o.canRead : true,
      tenantId: 'tenant',
    },
    identity: { resourceId: IDENTITY_ID, principalId: PRINCIPAL_ID, clientId: CLIENT_ID, tenantId: 'tenant' },
    otherCertificates: o.otherCertificates ?? [],
  };
}

/** Deep-clone an observation so a test can change it freely. */
export function clone(o: ServiceFabricObservation): ServiceFabricObservation {
  return structuredClone(o);
}

export function withCluster(
  o: ServiceFabricObservation,
  patch: Partial<ClusterObservation>,
): ServiceFabricObservation {
  return { ...o, cluster: { ...o.cluster, ...patch } };
}

export function withScaleSets(
  o: ServiceFabricObservation,
  patch: (ss: ScaleSetObservation) => Partial<ScaleSetObservation>,
): ServiceFabricObservation {
  return { ...o, scaleSets: o.scaleSets.map((ss) => ({ ...ss, ...patch(ss) })) };
}

// ---- a minimal model of Azure applying changes ----

/**
 * Applies one change the way Azure would accept it, leaving the touched resource "updating" (cluster state
 * UpdatingUserCertificate, scale set Updating with instances off the latest model) until `settle`.
 */
export function apply(o: ServiceFabricObservation, change: Change): ServiceFabricObservation {
  const next = clone(o) as Mutable<ServiceFabricObservation>;
  const cl = next.cluster as Mutable<ClusterObservation>;
  const ss = (name: string) => {
    const found = next.scaleSets.find((s) => s.name === name);
    if (!found) throw new Error(`no scale set ${name}`);
    return found as Mutable<ScaleSetObservation>;
  };
  const touchScaleSet = (s: Mutable<ScaleSetObservation>) => {
    s.provisioningState = 'Updating';
    s.instances = (s.instances ?? []).map((i) => ({ ...i, latestModelApplied: false }));
  };
  switch (change.op) {
    case 'AddScaleSetSecret': {
      const s = ss(change.vmss);
      const v = change.certificateUrl.split('/').at(-1) ?? '';
      s.secrets = [
        ...s.secrets,
        {
          sourceVaultId: change.sourceVaultId,
          certificateUrl: change.certificateUrl,
          certificateStore: change.certificateStore,
          vaultName: VAULT,
          secretName: CERT,
          version: v,
        },
      ];
      touchScaleSet(s);
      break;
    }
    case 'RemoveScaleSetSecret': {
      const s = ss(change.vmss);
      s.secrets = s.secrets.filter((x) => !change.certificateUrls.includes(x.certificateUrl));
      touchScaleSet(s);
      break;
    }
    case 'PatchCluster':
      cl.certificate = {
        thumbprint: change.certificate.thumbprint,
        thumbprintSecondary: change.certificate.thumbprintSecondary,
        x509StoreName: change.certificate.x509StoreName,
      };
      cl.clusterState = 'UpdatingUserCertificate';
      cl.provisioningState = 'Updating';
      break;
    case 'SetClusterCommonNames':
      cl.certificateCommonNames = {
        commonNames: change.certificateCommonNames.commonNames.map((c) => ({
          commonName: c.certificateCommonName,
          issuerThumbprints: c.certificateIssuerThumbprint.split(',').filter((x) => x !== ''),
        })),
        x509StoreName: change.certificateCommonNames.x509StoreName,
      };
      if (change.removeCertificate) cl.certificate = undefined;
      cl.clusterState = 'UpdatingUserCertificate';
      cl.provisioningState = 'Updating';
      break;
    case 'InstallKeyVaultExtension': {
      const s = ss(change.vmss);
      s.userAssignedIdentityIds = [
        ...new Set([...s.userAssignedIdentityIds, change.identityResourceId.toLowerCase()]),
      ];
      const sms = change.settings.secretsManagementSettings;
      s.keyVaultExtensions = [
        {
          name: change.extensionName,
          publisher: change.publisher,
          type: change.type,
          typeHandlerVersion: change.typeHandlerVersion,
          settingsForm: 'objects',
          pollingIntervalInS: Number(sms.pollingIntervalInS),
          linkOnRenewal: sms.linkOnRenewal,
          requireInitialSync: sms.requireInitialSync,
          observedCertificates: sms.observedCertificates.map((c) => ({ ...c })),
          msiClientId: change.settings.authenticationSettings.msiClientId,
          msiEndpoint: change.settings.authenticationSettings.msiEndpoint,
        },
      ];
      const sf = s.serviceFabricExtension;
      if (sf) {
        s.serviceFabricExtension = {
          ...sf,
          certificateThumbprint: undefined,
          certificateSecondaryThumbprint: undefined,
          certificateCommonNames: [...change.serviceFabricExtension.certificate.commonNames],
          provisionAfterExtensions: [...change.serviceFabricExtension.provisionAfterExtensions],
        };
      }
      s.secrets = s.secrets.filter((x) => !change.removeSecretUrls.includes(x.certificateUrl));
      touchScaleSet(s);
      break;
    }
    case 'SetServiceFabricExtensionCertificate': {
      const s = ss(change.vmss);
      const sf = s.serviceFabricExtension;
      if (sf?.name !== change.extensionName) throw new Error(`no extension ${change.extensionName}`);
      s.serviceFabricExtension = {
        ...sf,
        certificateThumbprint: change.certificate.thumbprint,
        certificateCommonNames: [],
        certificateSecondaryThumbprint: change.certificateSecondary?.thumbprint,
        x509StoreName: change.certificate.x509StoreName,
      };
      touchScaleSet(s);
      break;
    }
    case 'GrantVaultAccess':
      if (next.access) next.access = { ...next.access, identityCanReadSecrets: true };
      break;
    case 'DisableVaultVersion':
      next.vault = {
        ...next.vault,
        versions: next.vault.versions.map((v) =>
          v.version === change.version ? { ...v, enabled: false } : v,
        ),
      };
      break;
    case 'CreateVaultCertificate':
    case 'UpdateVaultCertificatePolicy':
      throw new Error(`the test model does not apply ${change.op}`);
  }
  return next;
}

/** Every running operation finishes: cluster Ready, scale sets Succeeded, every instance converged. */
export function settle(o: ServiceFabricObservation): ServiceFabricObservation {
  return {
    ...o,
    cluster: { ...o.cluster, clusterState: 'Ready', provisioningState: 'Succeeded' },
    scaleSets: o.scaleSets.map((s) => ({
      ...s,
      provisioningState: 'Succeeded',
      instances: (s.instances ?? []).map((i) => ({
        ...i,
        latestModelApplied: true,
        extensions: Object.fromEntries(s.keyVaultExtensions.map((e) => [e.name, 'succeeded' as const])),
      })),
    })),
  };
}
