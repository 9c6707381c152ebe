// The observed-state model read from raw Azure REST bodies (the snapshot layout of design §2). Certificates
// come from openssl, so thumbprints, issuer thumbprints and dates are checked against openssl's own output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  observeServiceFabric,
  parseCluster,
  parseIdentity,
  parseScaleSet,
  parseScaleSetInstances,
  parseVaultAccess,
  parseVaultCertificate,
  presentationOrderOf,
  parseKeyVaultId,
  vaultNameOf,
  versionlessSecretUrl,
  type ServiceFabricBodies,
} from '../../src/domain/observed/index.js';
import { Step } from '../../src/domain/names.js';
import { planServiceFabric } from '../../src/domain/plan/index.js';
import { spec } from './fixtures.js';
import { OpensslPki, opensslDate, opensslThumbprint, opensslX5t, type IssuedCert } from './openssl-pki.js';

const SUB = '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60';
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const UAI = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai`;

let pki: OpensslPki;
let root: IssuedCert;
let inter: IssuedCert;
let leafOld: IssuedCert;
let leafNew: IssuedCert;

beforeAll(() => {
  pki = new OpensslPki();
  root = pki.selfSigned('Test Root');
  inter = pki.intermediate('Test Issuing CA', root);
  leafOld = pki.leaf({
    cn: 'cluster.contoso.com',
    dnsNames: ['cluster.contoso.com'],
    start: '20250601000000Z',
    end: '20260601000000Z',
    issuer: inter,
  });
  leafNew = pki.leaf({
    cn: 'cluster.contoso.com',
    dnsNames: ['cluster.contoso.com', 'www.contoso.com'],
    start: '20260401000000Z',
    end: '20270401000000Z',
    issuer: inter,
  });
});
afterAll(() => pki.dispose());

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** `GET certificates/{name}/{version}` as Key Vault returns it [KV-SPEC]. */
function bundle(cert: IssuedCert, version: string, created: string, policy?: unknown) {
  return {
    id: `https://kv1.vault.azure.net/certificates/cluster-cert/${version}`,
    kid: `https://kv1.vault.azure.net/keys/cluster-cert/${version}`,
    sid: `https://kv1.vault.azure.net/secrets/cluster-cert/${version}`,
    x5t: opensslX5t(cert.pemPath),
    cer: cert.der.toString('base64'),
    attributes: {
      enabled: true,
      nbf: Math.floor(opensslDate(cert.pemPath, 'startdate').getTime() / 1000),
      exp: Math.floor(opensslDate(cert.pemPath, 'enddate').getTime() / 1000),
      created: epoch(created),
      updated: epoch(created),
      recoveryLevel: 'Recoverable+Purgeable',
    },
    ...(policy === undefined ? {} : { policy }),
  };
}

const POLICY = {
  id: 'https://kv1.vault.azure.net/certificates/cluster-cert/policy',
  key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
  secret_props: { contentType: 'application/x-pkcs12' },
  x509_props: {
    subject: 'CN=cluster.contoso.com',
    sans: { dns_names: ['cluster.contoso.com'] },
    ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    key_usage: ['digitalSignature', 'keyEncipherment'],
    validity_months: 12,
  },
  lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
  issuer: { name: 'DigiCert', cert_transparency: false },
  attributes: { enabled: true, created: 1, updated: 1 },
};

describe('parseCluster', () => {
  it('reads a thumbprint declaration', () => {
    const c = parseCluster({
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ServiceFabric/clusters/sf1`,
      name: 'sf1',
      type: 'Microsoft.ServiceFabric/clusters',
      location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded',
        clusterState: 'Ready',
        clusterCodeVersion: '7.2.457.9590',
        certificate: {
          thumbprint: 'ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01',
          x509StoreName: 'My',
        },
        nodeTypes: [{ name: 'nt0', isPrimary: true, vmInstanceCount: 5 }, { name: 'nt1' }],
        upgradeMode: 'Automatic',
      },
    });
    expect(c).toEqual({
      id: expect.stringContaining('/clusters/sf1'),
      name: 'sf1',
      certificate: {
        thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
        thumbprintSecondary: undefined,
        x509StoreName: 'My',
      },
      certificateCommonNames: undefined,
      clusterState: 'Ready',
      provisioningState: 'Succeeded',
      clusterCodeVersion: '7.2.457.9590',
      nodeTypeNames: ['nt0', 'nt1'],
    });
  });

  it('reads a common-name declaration with comma-separated issuer pins', () => {
    const c = parseCluster({
      properties: {
        clusterState: 'UpdatingUserCertificate',
        certificateCommonNames: {
          commonNames: [
            {
              certificateCommonName: 'cluster.contoso.com',
              certificateIssuerThumbprint:
                'abcdef0123456789abcdef0123456789abcdef01, 1234567890ABCDEF1234567890ABCDEF12345678',
            },
          ],
          x509StoreName: 'My',
        },
      },
    });
    expect(c.certificate).toBeUndefined();
    expect(c.certificateCommonNames).toEqual({
      commonNames: [
        {
          commonName: 'cluster.contoso.com',
          issuerThumbprints: [
            'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
            '1234567890ABCDEF1234567890ABCDEF12345678',
          ],
        },
      ],
      x509StoreName: 'My',
    });
  });

  it.each([
    ['7.2.445.9590', 'NotBefore'],
    ['7.2.457.9590', 'NotBefore'],
    ['10.1.1951.9590', 'NotBefore'],
    ['7.2.432.9590', 'NotAfter'],
    ['7.1.503.9590', 'NotAfter'],
    ['6.5.676.9590', 'NotAfter'],
    [undefined, 'NotBefore'],
  ])('runtime %s presents by %s', (version, order) => {
    expect(presentationOrderOf(version)).toBe(order);
  });
});

/** `GET virtualMachineScaleSets/{name}` REST body (nested `properties`). */
function vmssBody(kv: unknown) {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/nt0vm`,
    name: 'nt0vm',
    location: 'westeurope',
    sku: { name: 'Standard_D2s_v3', tier: 'Standard', capacity: 3 },
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: { [UAI]: { principalId: 'p', clientId: 'c' } },
    },
    properties: {
      provisioningState: 'Succeeded',
      upgradePolicy: { mode: 'Automatic' },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: 'nt0vm',
          secrets: [
            {
              sourceVault: { id: VAULT_ID },
              vaultCertificates: [
                {
                  certificateUrl:
                    'https://kv1.vault.azure.net/secrets/cluster-cert/0123456789abcdef0123456789abcdef',
                  certificateStore: 'My',
                },
              ],
            },
          ],
        },
        extensionProfile: {
          extensions: [
            {
              name: 'ServiceFabricNodeVmExt_nt0vm',
              properties: {
                publisher: 'Microsoft.Azure.ServiceFabric',
                type: 'ServiceFabricNode',
                typeHandlerVersion: '1.1',
                autoUpgradeMinorVersion: true,
                provisionAfterExtensions: ['KVVMExtension'],
                settings: {
                  clusterEndpoint: 'https://westeurope.servicefabric.azure.com/runtime/clusters/x',
                  nodeTypeRef: 'nt0',
                  dataPath: 'D:\\SvcFab',
                  durabilityLevel: 'Bronze',
                  certificate: {
                    thumbprint: 'abcdef0123456789abcdef0123456789abcdef01',
                    x509StoreName: 'My',
                  },
                  certificateSecondary: {
                    thumbprint: '1234567890abcdef1234567890abcdef12345678',
                    x509StoreName: 'My',
                  },
                },
              },
            },
            ...(kv === undefined ? [] : [kv]),
          ],
        },
      },
    },
  };
}

describe('parseScaleSet', () => {
  it('reads secrets, identity, upgrade policy and the Service Fabric extension', () => {
    const ss = parseScaleSet('nt0vm', vmssBody(undefined));
    expect(ss).toMatchObject({
      name: 'nt0vm',
      provisioningState: 'Succeeded',
      upgradeMode: 'Automatic',
      identityType: 'UserAssigned',
      userAssignedIdentityIds: [UAI.toLowerCase()],
      secrets: [
        {
          sourceVaultId: VAULT_ID,
          certificateStore: 'My',
          vaultName: 'kv1',
          secretName: 'cluster-cert',
          version: '0123456789abcdef0123456789abcdef',
        },
      ],
      keyVaultExtensions: [],
      serviceFabricExtension: {
        name: 'ServiceFabricNodeVmExt_nt0vm',
        certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
        certificateSecondaryThumbprint: '1234567890ABCDEF1234567890ABCDEF12345678',
        certificateCommonNames: [],
        provisionAfterExtensions: ['KVVMExtension'],
      },
      instances: undefined,
    });
  });

  it('reads a KeyVault extension in the v1.0 string form', () => {
    const ss = parseScaleSet(
      'nt0vm',
      vmssBody({
        name: 'KVVMExtensionForWindows',
        properties: {
          publisher: 'Microsoft.Azure.KeyVault',
          type: 'KeyVaultForWindows',
          typeHandlerVersion: '1.0',
          settings: {
            secretsManagementSettings: {
              pollingIntervalInS: '3600',
              certificateStoreName: 'MY',
              linkOnRenewal: false,
              certificateStoreLocation: 'LocalMachine',
              requireInitialSync: true,
              observedCertificates: ['https://kv1.vault.azure.net/secrets/cluster-cert'],
            },
            authenticationSettings: {
              msiEndpoint: 'http://169.254.169.254/metadata/identity',
              msiClientId: 'cid',
            },
          },
        },
      }),
    );
    expect(ss.keyVaultExtensions).toEqual([
      {
        name: 'KVVMExtensionForWindows',
        publisher: 'Microsoft.Azure.KeyVault',
        type: 'KeyVaultForWindows',
        typeHandlerVersion: '1.0',
        settingsForm: 'strings',
        pollingIntervalInS: 3600,
        linkOnRenewal: false,
        requireInitialSync: true,
        observedCertificates: [
          {
            url: 'https://kv1.vault.azure.net/secrets/cluster-cert',
            certificateStoreName: 'MY',
            certificateStoreLocation: 'LocalMachine',
          },
        ],
        msiClientId: 'cid',
        msiEndpoint: 'http://169.254.169.254/metadata/identity',
      },
    ]);
  });

  it('reads a KeyVault extension in the v3.0 object form', () => {
    const ss = parseScaleSet(
      'nt0vm',
      vmssBody({
        name: 'KVVMExtension',
        properties: {
          publisher: 'Microsoft.Azure.KeyVault',
          type: 'KeyVaultForWindows',
          typeHandlerVersion: '3.0',
          settings: {
            secretsManagementSettings: {
              pollingIntervalInS: '300',
              linkOnRenewal: true,
              requireInitialSync: false,
              observedCertificates: [
                {
                  url: 'https://kv1.vault.azure.net/secrets/cluster-cert/abc',
                  certificateStoreName: 'My',
                  certificateStoreLocation: 'LocalMachine',
                },
              ],
            },
            authenticationSettings: {
              msiEndpoint: 'http://169.254.169.254/metadata/identity',
              msiClientId: 'cid',
            },
          },
        },
      }),
    );
    expect(ss.keyVaultExtensions[0]).toMatchObject({
      settingsForm: 'objects',
      pollingIntervalInS: 300,
      linkOnRenewal: true,
      requireInitialSync: false,
      observedCertificates: [
        { url: 'https://kv1.vault.azure.net/secrets/cluster-cert/abc', certificateStoreName: 'My' },
      ],
    });
  });

  it('reads per-instance latestModelApplied and extension statuses', () => {
    const instances = parseScaleSetInstances({
      value: [
        {
          instanceId: '0',
          name: 'nt0vm_0',
          properties: {
            latestModelApplied: true,
            instanceView: {
              extensions: [
                {
                  name: 'KVVMExtension',
                  type: 'Microsoft.Azure.KeyVault.KeyVaultForWindows',
                  statuses: [
                    {
                      code: 'ProvisioningState/succeeded',
                      level: 'Info',
                      displayStatus: 'Provisioning succeeded',
                    },
                  ],
                },
                {
                  name: 'ServiceFabricNodeVmExt_nt0vm',
                  statuses: [{ code: 'ProvisioningState/failed/0', level: 'Error' }],
                },
              ],
            },
          },
        },
        {
          instanceId: '1',
          properties: {
            latestModelApplied: false,
            instanceView: {
              extensions: [
                { name: 'KVVMExtension', statuses: [{ code: 'ProvisioningState/transitioning' }] },
              ],
            },
          },
          resources: [{ name: 'Other', properties: { provisioningState: 'Succeeded' } }],
        },
      ],
    });
    expect(instances).toEqual([
      {
        instanceId: '0',
        latestModelApplied: true,
        extensions: { KVVMExtension: 'succeeded', ServiceFabricNodeVmExt_nt0vm: 'failed' },
      },
      {
        instanceId: '1',
        latestModelApplied: false,
        extensions: { Other: 'succeeded', KVVMExtension: 'transitioning' },
      },
    ]);
  });
});

describe('parseVaultCertificate', () => {
  it('reads versions from the list and their bundles, the issuer from the chain, ordered by creation', () => {
    const versions = {
      value: [
        {
          id: 'https://kv1.vault.azure.net/certificates/cluster-cert/bbbb',
          x5t: opensslX5t(leafNew.pemPath),
          attributes: { enabled: true, created: epoch('2026-04-01T00:00:00Z') },
        },
        {
          id: 'https://kv1.vault.azure.net/certificates/cluster-cert/aaaa',
          x5t: opensslX5t(leafOld.pemPath),
          attributes: { enabled: false, created: epoch('2025-06-01T00:00:00Z') },
        },
      ],
    };
    const vault = parseVaultCertificate('cluster-cert', versions, {
      BBBB: {
        bundle: bundle(leafNew, 'bbbb', '2026-04-01T00:00:00Z', POLICY),
        chainPem: inter.pem + root.pem,
      },
    });
    expect(vault.versions.map((v) => v.version)).toEqual(['aaaa', 'bbbb']);
    const [older, newer] = vault.versions;
    // Only the list entry was read for the older version: thumbprint from x5t, no chain.
    expect(older).toMatchObject({
      thumbprint: opensslThumbprint(leafOld.pemPath),
      enabled: false,
      issuerThumbprint: undefined,
      dnsNames: [],
    });
    expect(older?.secretId).toBe('https://kv1.vault.azure.net/secrets/cluster-cert/aaaa');
    expect(newer).toMatchObject({
      thumbprint: opensslThumbprint(leafNew.pemPath),
      issuerThumbprint: opensslThumbprint(inter.pemPath),
      commonName: 'cluster.contoso.com',
      dnsNames: ['cluster.contoso.com', 'www.contoso.com'],
      enabled: true,
      selfSigned: false,
      secretId: 'https://kv1.vault.azure.net/secrets/cluster-cert/bbbb',
    });
    expect(newer?.notBefore?.getTime()).toBe(opensslDate(leafNew.pemPath, 'startdate').getTime());
    expect(newer?.notAfter?.getTime()).toBe(opensslDate(leafNew.pemPath, 'enddate').getTime());
    expect(vault.policy).toEqual({
      issuerName: 'DigiCert',
      subject: 'CN=cluster.contoso.com',
      dnsNames: ['cluster.contoso.com'],
      validityInMonths: 12,
      autoRenew: true,
      lifetimePercentage: 80,
      daysBeforeExpiry: undefined,
      contentType: 'application/x-pkcs12',
      keyType: 'RSA',
      keySize: 2048,
      reuseKey: false,
      exportable: true,
      ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    });
  });

  it('pins a self-signed version to itself', () => {
    const self = pki.selfSigned('cluster.contoso.com', { ca: false, dnsNames: ['cluster.contoso.com'] });
    const vault = parseVaultCertificate(
      'cluster-cert',
      {
        value: [
          { id: 'https://kv1.vault.azure.net/certificates/cluster-cert/ssss', attributes: { enabled: true } },
        ],
      },
      { ssss: { bundle: bundle(self, 'ssss', '2026-01-01T00:00:00Z') } },
    );
    expect(vault.versions[0]).toMatchObject({
      selfSigned: true,
      issuerThumbprint: opensslThumbprint(self.pemPath),
    });
  });
});

describe('parseVaultAccess and parseIdentity', () => {
  const vault = (props: object) => ({ id: VAULT_ID, name: 'kv1', properties: { tenantId: 't', ...props } });

  it.each([
    { name: 'get and list', secrets: ['get', 'list'], can: true },
    { name: 'Get and List (any case)', secrets: ['Get', 'List'], can: true },
    { name: 'all', secrets: ['all'], can: true },
    { name: 'get only', secrets: ['get'], can: false },
  ])('access policy with $name', ({ secrets, can }) => {
    const access = parseVaultAccess(
      vault({
        accessPolicies: [
          { tenantId: 't', objectId: 'PRINCIPAL', permissions: { secrets, keys: [], certificates: [] } },
        ],
      }),
      'principal',
    );
    expect(access).toEqual({
      vaultId: VAULT_ID,
      model: 'AccessPolicy',
      identityCanReadSecrets: can,
      tenantId: 't',
    });
  });

  it('no policy for the principal means no access', () => {
    const access = parseVaultAccess(
      vault({ accessPolicies: [{ objectId: 'other', permissions: { secrets: ['get', 'list'] } }] }),
      'p',
    );
    expect(access.identityCanReadSecrets).toBe(false);
  });

  it('RBAC: judged from role assignments, unknown without them', () => {
    const rbac = vault({ enableRbacAuthorization: true, accessPolicies: [] });
    expect(parseVaultAccess(rbac, 'p')).toMatchObject({ model: 'Rbac', identityCanReadSecrets: undefined });
    const assignments = {
      value: [
        {
          properties: {
            principalId: 'p',
            roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          },
        },
      ],
    };
    expect(parseVaultAccess(rbac, 'p', assignments).identityCanReadSecrets).toBe(true);
    expect(parseVaultAccess(rbac, 'q', assignments).identityCanReadSecrets).toBe(false);
  });

  it('reads a user-assigned identity', () => {
    expect(
      parseIdentity({ id: UAI, name: 'uai', properties: { tenantId: 't', principalId: 'p', clientId: 'c' } }),
    ).toEqual({ resourceId: UAI, principalId: 'p', clientId: 'c', tenantId: 't' });
  });
});

describe('observeServiceFabric', () => {
  it('turns a snapshot into the observation the planner reads', () => {
    const tpOld = opensslThumbprint(leafOld.pemPath);
    const cl = {
      name: 'sf1',
      properties: {
        clusterState: 'Ready',
        provisioningState: 'Succeeded',
        clusterCodeVersion: '10.1.1951.9590',
        certificate: { thumbprint: tpOld, x509StoreName: 'My' },
        nodeTypes: [{ name: 'nt0' }, { name: 'nt1' }],
      },
    };
    const scaleSetBody = (name: string) => {
      const body = vmssBody(undefined);
      const profile = body.properties.virtualMachineProfile;
      return {
        ...body,
        name,
        identity: undefined,
        properties: {
          ...body.properties,
          virtualMachineProfile: {
            ...profile,
            osProfile: {
              ...profile.osProfile,
              secrets: [
                {
                  sourceVault: { id: VAULT_ID },
                  vaultCertificates: [
                    {
                      certificateUrl: 'https://kv1.vault.azure.net/secrets/cluster-cert/aaaa',
                      certificateStore: 'My',
                    },
                  ],
                },
              ],
            },
          },
        },
      };
    };
    const bodies: ServiceFabricBodies = {
      cluster: cl,
      scaleSets: { nt0vm: { body: scaleSetBody('nt0vm') }, nt1vm: { body: scaleSetBody('nt1vm') } },
      vault: {
        certificateName: 'cluster-cert',
        versions: {
          value: [
            {
              id: 'https://kv1.vault.azure.net/certificates/cluster-cert/aaaa',
              attributes: { enabled: true, created: epoch('2025-06-01T00:00:00Z') },
            },
            {
              id: 'https://kv1.vault.azure.net/certificates/cluster-cert/bbbb',
              attributes: { enabled: true, created: epoch('2026-04-01T00:00:00Z') },
            },
          ],
        },
        byVersion: {
          aaaa: { bundle: bundle(leafOld, 'aaaa', '2025-06-01T00:00:00Z', POLICY), chainPem: inter.pem },
          bbbb: { bundle: bundle(leafNew, 'bbbb', '2026-04-01T00:00:00Z', POLICY), chainPem: inter.pem },
        },
      },
      access: {
        id: VAULT_ID,
        properties: {
          tenantId: 't',
          accessPolicies: [{ objectId: 'p', permissions: { secrets: ['get', 'list'] } }],
        },
      },
      identity: {
        id: UAI,
        properties: { principalId: 'p', clientId: '11111111-2222-3333-4444-555555555555', tenantId: 't' },
      },
    };
    const observed = observeServiceFabric(bodies);
    const s = spec(
      {
        cluster: {
          name: 'sf1',
          nodeTypes: [
            { name: 'nt0', vmssName: 'nt0vm' },
            { name: 'nt1', vmssName: 'nt1vm' },
          ],
        },
      },
      {
        issuerThumbprints: [opensslThumbprint(inter.pemPath)],
      },
    );
    expect(versionlessSecretUrl(s.certificate.vault, s.certificate.name)).toBe(
      'https://kv1.vault.azure.net/secrets/cluster-cert',
    );
    const plan = planServiceFabric(s, observed, new Date('2026-05-01T00:00:00Z'));
    expect(plan.hazards).toEqual([]);
    expect(plan.currentStep).toBe(Step.InstallGoalCertificate);
    expect(plan.steps.flatMap((x) => x.changes)).toEqual(
      ['nt0vm', 'nt1vm'].map((vmss) => ({
        op: 'AddScaleSetSecret',
        vmss,
        sourceVaultId: VAULT_ID,
        certificateUrl: 'https://kv1.vault.azure.net/secrets/cluster-cert/bbbb',
        certificateStore: 'My',
      })),
    );
    expect(plan.certificates).toEqual({
      vaultLatest: {
        version: 'bbbb',
        thumbprint: opensslThumbprint(leafNew.pemPath),
        issuerThumbprint: opensslThumbprint(inter.pemPath),
        subject: 'CN=cluster.contoso.com',
        notBefore: '2026-04-01T00:00:00.000Z',
        notAfter: '2027-04-01T00:00:00.000Z',
      },
      inUse: expect.objectContaining({ thumbprint: tpOld, notAfter: '2026-06-01T00:00:00.000Z' }),
    });
  });
});

describe('Key Vault identifiers and tolerant settings', () => {
  it.each([
    ['kv1', 'kv1', 'https://kv1.vault.azure.net/secrets/c'],
    ['KV1', 'kv1', 'https://kv1.vault.azure.net/secrets/c'],
    ['https://kv1.vault.azure.net/', 'kv1', 'https://kv1.vault.azure.net/secrets/c'],
    ['https://kv1.vault.azure.cn', 'kv1', 'https://kv1.vault.azure.cn/secrets/c'],
  ])('vault %s → name %s, observed URL %s', (vault, name, url) => {
    expect(vaultNameOf(vault)).toBe(name);
    expect(versionlessSecretUrl(vault, 'c')).toBe(url);
  });

  it('parses object ids with and without a version, and rejects others', () => {
    expect(parseKeyVaultId('https://KV1.vault.azure.net/secrets/Cert/ABC')).toEqual({
      host: 'kv1.vault.azure.net',
      vaultName: 'kv1',
      collection: 'secrets',
      name: 'Cert',
      version: 'ABC',
    });
    expect(parseKeyVaultId('https://kv1.vault.azure.net/secrets/Cert')?.version).toBeUndefined();
    expect(parseKeyVaultId('not a url')).toBeUndefined();
    expect(parseKeyVaultId('https://kv1.vault.azure.net/a/b/c/d')).toBeUndefined();
  });

  it('reads extension settings written as a JSON string with string booleans', () => {
    const ss = parseScaleSet(
      'nt0vm',
      vmssBody({
        name: 'kv',
        properties: {
          publisher: 'microsoft.azure.keyvault',
          type: 'KeyVaultForWindows',
          settings: JSON.stringify({
            secretsManagementSettings: {
              pollingIntervalInS: '600',
              requireInitialSync: 'true',
              linkOnRenewal: 'false',
              observedCertificates: ['https://kv1.vault.azure.net/secrets/cluster-cert'],
            },
          }),
        },
      }),
    );
    expect(ss.keyVaultExtensions[0]).toMatchObject({
      pollingIntervalInS: 600,
      requireInitialSync: true,
      linkOnRenewal: false,
    });
  });
});

describe('vault version enabled flag', () => {
  it('is taken from the versions list, which is re-read, over a cached bundle', async () => {
    const { parseVaultVersion } = await import('../../src/domain/observed/index.js');
    const id = 'https://kv.vault.azure.net/certificates/c/0123456789abcdef0123456789abcdef';
    const cachedBundle = { id, attributes: { enabled: true, created: 1 } };
    const disabledInList = { id, attributes: { enabled: false, created: 1 } };
    expect(parseVaultVersion(disabledInList, { bundle: cachedBundle }).enabled).toBe(false);
    expect(parseVaultVersion({ id }, { bundle: { id, attributes: { enabled: false } } }).enabled).toBe(false);
    expect(parseVaultVersion({ id }, {}).enabled).toBe(true);
  });
});
