import { describe, expect, it } from 'vitest';
import {
  formatFieldErrors,
  validateBatchPoolRotation,
  validateRotation,
  validateServiceFabricRotation,
  type FieldError,
  type KeyVaultExtensionSpec,
  type Mode,
  type RotationPolicy,
} from '../../src/api/index.js';
import { batchPoolSample, policy, serviceFabricSample, variant, type Json } from './fixtures.js';

function sfErrors(changes: Record<string, unknown>): readonly FieldError[] {
  const result = validateServiceFabricRotation(variant(serviceFabricSample(), changes));
  if (result.ok) throw new Error(`expected ${JSON.stringify(changes)} to be rejected`);
  return result.errors;
}

function bpErrors(changes: Record<string, unknown>): readonly FieldError[] {
  const result = validateBatchPoolRotation(variant(batchPoolSample(), changes));
  if (result.ok) throw new Error(`expected ${JSON.stringify(changes)} to be rejected`);
  return result.errors;
}

function sfAccepts(changes: Record<string, unknown>) {
  const result = validateServiceFabricRotation(variant(serviceFabricSample(), changes));
  if (!result.ok) throw new Error(formatFieldErrors(result.errors));
  return result.value;
}

function bpAccepts(changes: Record<string, unknown>) {
  const result = validateBatchPoolRotation(variant(batchPoolSample(), changes));
  if (!result.ok) throw new Error(formatFieldErrors(result.errors));
  return result.value;
}

/** The errors on one field (the assertion that the message names the field). */
function on(errors: readonly FieldError[], field: string): FieldError[] {
  return errors.filter((e) => e.field === field);
}

describe('ServiceFabricCertificateRotation validation', () => {
  it('accepts the sample and serves it with every default applied', () => {
    const value = sfAccepts({});
    expect(value.spec.certificate.x509StoreName).toBe('My');
    expect(value.spec.mode).toBe('CommonName');
    expect(value.spec.keyVaultExtension).toEqual({
      pollingIntervalInS: 3600,
      linkOnRenewal: false,
      requireInitialSync: true,
      type: 'KeyVaultForWindows',
      typeHandlerVersion: '3.0',
    });
    expect(value.spec.policy).toEqual({
      expiryWarning: '30d',
      expiryCritical: '7d',
      approval: 'Automatic',
      maintenanceWindows: [],
      suspend: false,
      quarantineUntrustedVersions: false,
    });
  });

  it('returns the value typed as served: defaulted sections are not optional', () => {
    const value = sfAccepts({});
    const policy: RotationPolicy = value.spec.policy;
    const extension: KeyVaultExtensionSpec = value.spec.keyVaultExtension;
    const mode: Mode = value.spec.mode;
    expect([policy.suspend, extension.linkOnRenewal, mode]).toEqual([false, false, 'CommonName']);
  });

  it('fills defaults inside a section the user omitted entirely', () => {
    const value = sfAccepts({ 'spec.policy': undefined, 'spec.keyVaultExtension': undefined });
    expect(value.spec.policy.approval).toBe('Automatic');
    expect(value.spec.policy.expiryCritical).toBe('7d');
    expect(value.spec.keyVaultExtension.requireInitialSync).toBe(true);
  });

  it('treats null as absent, as the API server does: defaulted when there is a default, else missing', () => {
    expect(sfAccepts({ 'spec.policy.approval': null }).spec.policy.approval).toBe('Automatic');
    expect(on(sfErrors({ 'spec.cluster.name': null }), 'spec.cluster.name')[0]?.type).toBe(
      'FieldValueRequired',
    );
  });

  it('does not modify its input', () => {
    const input = serviceFabricSample();
    const before = structuredClone(input);
    validateServiceFabricRotation(input);
    expect(input).toEqual(before);
  });

  it('rejects a wrong type, naming the field and the expected type', () => {
    const errors = sfErrors({ 'spec.keyVaultExtension.pollingIntervalInS': '3600' });
    const [error] = on(errors, 'spec.keyVaultExtension.pollingIntervalInS');
    expect(error?.message).toMatch(/must be of type integer/);
  });

  it('rejects an object where a list is expected', () => {
    const errors = sfErrors({ 'spec.cluster.nodeTypes': { name: 'nt1vm', vmssName: 'nt1vm' } });
    expect(on(errors, 'spec.cluster.nodeTypes')[0]?.message).toMatch(/must be of type array/);
  });

  it.each([
    ['spec.cluster.name'],
    ['spec.azure'],
    ['spec.azure.subscriptionId'],
    ['spec.certificate.vault'],
    ['spec.certificate.commonName'],
    ['spec.identity.resourceId'],
  ])('rejects a missing required field %s', (field) => {
    const errors = sfErrors({ [field]: undefined });
    expect(on(errors, field)[0]?.message).toMatch(/^Required value/);
  });

  it('rejects a resource without spec', () => {
    expect(on(sfErrors({ spec: undefined }), 'spec')[0]?.type).toBe('FieldValueRequired');
  });

  it.each([
    ['too short', 'ABCDEF'],
    ['not hexadecimal', 'Z'.repeat(40)],
    ['too long', 'A'.repeat(41)],
  ])('rejects an issuer thumbprint that is %s', (_, thumbprint) => {
    const errors = sfErrors({ 'spec.certificate.issuerThumbprints': [thumbprint] });
    const [error] = on(errors, 'spec.certificate.issuerThumbprints[0]');
    expect(error, formatFieldErrors(errors)).toBeDefined();
    expect(formatFieldErrors(on(errors, 'spec.certificate.issuerThumbprints[0]'))).toMatch(
      /40 hexadecimal characters|may not be more than 40/,
    );
  });

  it('rejects an empty issuer list in mode CommonName, naming the issuer list', () => {
    const errors = sfErrors({ 'spec.certificate.issuerThumbprints': [] });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe('spec.certificate.issuerThumbprints');
    expect(errors[0]?.message).toMatch(/mode CommonName needs at least one pinned issuer thumbprint/);
  });

  it('rejects a missing issuer list in mode CommonName (the default mode)', () => {
    const errors = sfErrors({ 'spec.certificate.issuerThumbprints': undefined, 'spec.mode': undefined });
    expect(on(errors, 'spec.certificate.issuerThumbprints')).toHaveLength(1);
  });

  it('accepts an empty issuer list in mode Thumbprint', () => {
    expect(sfAccepts({ 'spec.certificate.issuerThumbprints': [], 'spec.mode': 'Thumbprint' }).spec.mode).toBe(
      'Thumbprint',
    );
  });

  it('rejects the same thumbprint twice, whatever its case', () => {
    const tp = '8A2F4C6E1B3D5F7A9C0E2B4D6F8A1C3E5B7D9F02';
    const errors = sfErrors({ 'spec.certificate.issuerThumbprints': [tp, tp.toLowerCase()] });
    expect(on(errors, 'spec.certificate.issuerThumbprints')[0]?.type).toBe('FieldValueDuplicate');
    const exact = sfErrors({ 'spec.certificate.issuerThumbprints': [tp, tp] });
    expect(on(exact, 'spec.certificate.issuerThumbprints[1]')[0]?.type).toBe('FieldValueDuplicate');
  });

  it('rejects an unsupported enum value and lists the supported ones', () => {
    const errors = sfErrors({ 'spec.mode': 'commonname' });
    expect(on(errors, 'spec.mode')[0]?.message).toMatch(
      /Unsupported value: "commonname".*"CommonName", "Thumbprint"/,
    );
    expect(
      on(sfErrors({ 'spec.certificate.x509StoreName': 'MY' }), 'spec.certificate.x509StoreName'),
    ).toHaveLength(1);
  });

  it.each([['CN=cluster.contoso.com'], ['cluster.contoso.com, O=Contoso']])(
    'rejects the common name %j (hazard 12) and says what is expected',
    (commonName) => {
      const [error] = on(
        sfErrors({ 'spec.certificate.commonName': commonName }),
        'spec.certificate.commonName',
      );
      expect(error?.message).toMatch(/without `CN=`/);
    },
  );

  it('accepts a vault given by URI, and rejects a URI outside Key Vault', () => {
    sfAccepts({ 'spec.certificate.vault': 'https://kvr-demo-kv.vault.azure.net' });
    sfAccepts({ 'spec.certificate.vault': 'https://kvr-demo-kv.vault.azure.cn/' });
    const errors = sfErrors({ 'spec.certificate.vault': 'https://evil.example.com' });
    expect(on(errors, 'spec.certificate.vault')).toHaveLength(1);
  });

  it('rejects a subscription id that is not a GUID and an identity that is not user-assigned', () => {
    expect(on(sfErrors({ 'spec.azure.subscriptionId': 'my-sub' }), 'spec.azure.subscriptionId')).toHaveLength(
      1,
    );
    const systemAssigned =
      '/subscriptions/5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/nt1vm';
    expect(
      on(sfErrors({ 'spec.identity.resourceId': systemAssigned }), 'spec.identity.resourceId'),
    ).toHaveLength(1);
  });

  it('rejects at least one node type missing, and duplicate node types or scale sets', () => {
    expect(on(sfErrors({ 'spec.cluster.nodeTypes': [] }), 'spec.cluster.nodeTypes')).toHaveLength(1);
    const dupName = sfErrors({
      'spec.cluster.nodeTypes': [
        { name: 'nt1vm', vmssName: 'a' },
        { name: 'nt1vm', vmssName: 'b' },
      ],
    });
    expect(on(dupName, 'spec.cluster.nodeTypes[1]')[0]?.type).toBe('FieldValueDuplicate');
    const dupVmss = sfErrors({
      'spec.cluster.nodeTypes': [
        { name: 'nt1vm', vmssName: 'a' },
        { name: 'nt2vm', vmssName: 'a' },
      ],
    });
    expect(on(dupVmss, 'spec.cluster.nodeTypes')[0]?.type).toBe('FieldValueDuplicate');
  });

  it.each([
    ['30d', '30d'],
    ['24h', '1d'],
    ['45d', '30d'],
  ])('rejects expiryCritical %s not shorter than expiryWarning %s', (critical, warning) => {
    const errors = sfErrors({ 'spec.policy.expiryCritical': critical, 'spec.policy.expiryWarning': warning });
    expect(on(errors, 'spec.policy.expiryCritical')[0]?.message).toMatch(/shorter than expiryWarning/);
  });

  it('compares durations across units', () => {
    sfAccepts({ 'spec.policy.expiryCritical': '23h', 'spec.policy.expiryWarning': '1d' });
    sfAccepts({ 'spec.policy.expiryCritical': '90m', 'spec.policy.expiryWarning': '2h' });
    // the default warning (30d) applies when only the critical threshold is given
    expect(
      on(sfErrors({ 'spec.policy': { expiryCritical: '31d' } }), 'spec.policy.expiryCritical'),
    ).toHaveLength(1);
  });

  it('rejects a malformed duration with the expected form', () => {
    const [error] = on(sfErrors({ 'spec.policy.expiryWarning': '30 days' }), 'spec.policy.expiryWarning');
    expect(error?.message).toMatch(/`30d`, `12h`, `90m`/);
  });

  it('checks maintenance windows, including that the time zone exists', () => {
    const window = { days: ['Sat', 'Sun'], start: '02:00', duration: '4h' };
    expect(
      sfAccepts({ 'spec.policy.maintenanceWindows': [window] }).spec.policy.maintenanceWindows[0]?.timezone,
    ).toBe('UTC');
    sfAccepts({ 'spec.policy.maintenanceWindows': [{ ...window, timezone: 'Europe/Paris' }] });
    const errors = sfErrors({
      'spec.policy.maintenanceWindows': [
        { ...window, start: '25:00', days: ['Saturday'], timezone: 'Mars/Olympus' },
      ],
    });
    expect(on(errors, 'spec.policy.maintenanceWindows[0].start')).toHaveLength(1);
    expect(on(errors, 'spec.policy.maintenanceWindows[0].days[0]')).toHaveLength(1);
    expect(on(errors, 'spec.policy.maintenanceWindows[0].timezone')[0]?.message).toMatch(/IANA time zone/);
  });

  it('refuses linkOnRenewal with the Linux extension', () => {
    const errors = sfErrors({
      'spec.keyVaultExtension': { type: 'KeyVaultForLinux', linkOnRenewal: true },
    });
    expect(on(errors, 'spec.keyVaultExtension.linkOnRenewal')[0]?.message).toMatch(/not available/);
  });

  describe('certificate policy (issue 9)', () => {
    it('accepts a CA policy and defaults the rest', () => {
      const value = sfAccepts({ 'spec.certificate.policy': policy() });
      expect(value.spec.certificate.policy).toMatchObject({
        exportable: true,
        reuseKey: false,
        contentType: 'application/x-pkcs12',
        enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      });
    });

    it('defaults the lifetime action to AutoRenew at 80 %', () => {
      const value = sfAccepts({ 'spec.certificate.policy': { ...policy(), lifetimeAction: undefined } });
      expect(value.spec.certificate.policy?.lifetimeAction).toEqual({
        action: 'AutoRenew',
        lifetimePercentage: 80,
      });
    });

    it("refuses issuer 'Self' in mode CommonName, not in mode Thumbprint", () => {
      const self = { ...policy(), issuerName: 'Self' };
      const errors = sfErrors({ 'spec.certificate.policy': self });
      expect(on(errors, 'spec.certificate.policy.issuerName')[0]?.message).toMatch(/'Self' is refused/);
      sfAccepts({ 'spec.certificate.policy': self, 'spec.mode': 'Thumbprint' });
    });

    it('requires the common name among the SANs', () => {
      const errors = sfErrors({
        'spec.certificate.policy': {
          ...policy(),
          subjectAlternativeNames: { dnsNames: ['other.contoso.com'] },
        },
      });
      expect(on(errors, 'spec.certificate.policy.subjectAlternativeNames.dnsNames')[0]?.message).toMatch(
        /must include the commonName/,
      );
    });

    it('requires the subject to carry the common name', () => {
      sfAccepts({ 'spec.certificate.policy': { ...policy(), subject: 'CN=cluster.contoso.com, O=Contoso' } });
      const errors = sfErrors({
        'spec.certificate.policy': { ...policy(), subject: 'CN=other.contoso.com' },
      });
      expect(on(errors, 'spec.certificate.policy.subject')).toHaveLength(1);
    });

    it('requires exactly one lifetime trigger', () => {
      const both = sfErrors({
        'spec.certificate.policy': {
          ...policy(),
          lifetimeAction: { lifetimePercentage: 80, daysBeforeExpiry: 30 },
        },
      });
      expect(on(both, 'spec.certificate.policy.lifetimeAction')[0]?.message).toMatch(/exactly one/);
      const neither = sfErrors({
        'spec.certificate.policy': { ...policy(), lifetimeAction: { action: 'EmailContacts' } },
      });
      expect(on(neither, 'spec.certificate.policy.lifetimeAction')).toHaveLength(1);
    });

    it('enforces the documented ranges', () => {
      const tooLate = sfErrors({
        'spec.certificate.policy': {
          ...policy(),
          validityInMonths: 1,
          lifetimeAction: { daysBeforeExpiry: 28 },
        },
      });
      expect(on(tooLate, 'spec.certificate.policy.lifetimeAction.daysBeforeExpiry')).toHaveLength(1);
      sfAccepts({
        'spec.certificate.policy': {
          ...policy(),
          validityInMonths: 1,
          lifetimeAction: { daysBeforeExpiry: 27 },
        },
      });
      const percentage = sfErrors({
        'spec.certificate.policy': { ...policy(), lifetimeAction: { lifetimePercentage: 100 } },
      });
      expect(on(percentage, 'spec.certificate.policy.lifetimeAction.lifetimePercentage')).toHaveLength(1);
      const months = sfErrors({ 'spec.certificate.policy': { ...policy(), validityInMonths: 0 } });
      expect(on(months, 'spec.certificate.policy.validityInMonths')).toHaveLength(1);
    });

    it('ties key size and curve to the key type, and refuses exportable HSM keys', () => {
      const ec = sfErrors({ 'spec.certificate.policy': { ...policy(), keyType: 'EC', keySize: 2048 } });
      expect(on(ec, 'spec.certificate.policy.keySize')).toHaveLength(1);
      sfAccepts({
        'spec.certificate.policy': { ...policy(), keyType: 'EC', keySize: undefined, curve: 'P-384' },
      });
      const hsm = sfErrors({ 'spec.certificate.policy': { ...policy(), keyType: 'RSA-HSM' } });
      expect(on(hsm, 'spec.certificate.policy.exportable')[0]?.message).toMatch(
        /HSM keys cannot be exportable/,
      );
      expect(
        on(
          sfErrors({ 'spec.certificate.policy': { ...policy(), keySize: 1024 } }),
          'spec.certificate.policy.keySize',
        ),
      ).toHaveLength(1);
    });
  });

  it('reports an unknown (misspelt) field, or prunes it when asked', () => {
    const input = variant(serviceFabricSample(), { 'spec.cluster.nmae': 'x' });
    const rejected = validateServiceFabricRotation(input);
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) expect(on(rejected.errors, 'spec.cluster.nmae')[0]?.message).toMatch(/unknown field/);
    const pruned = validateServiceFabricRotation(input, { unknownFields: 'prune' });
    expect(pruned.ok && 'nmae' in pruned.value.spec.cluster).toBe(false);
  });

  it('checks the envelope: apiVersion, kind and name', () => {
    expect(on(sfErrors({ apiVersion: 'kvrollover.io/v1' }), 'apiVersion')).toHaveLength(1);
    expect(on(sfErrors({ 'metadata.name': 'Not_A_Name' }), 'metadata.name')).toHaveLength(1);
    expect(on(sfErrors({ 'metadata.name': undefined }), 'metadata.name')).toHaveLength(1);
    expect(on(sfErrors({ kind: 'BatchPoolCertificateRotation' }), 'kind')).toHaveLength(1);
  });

  it('rejects what is not an object', () => {
    for (const input of [null, 'x', 42, []]) expect(validateServiceFabricRotation(input).ok).toBe(false);
  });
});

describe('BatchPoolCertificateRotation validation', () => {
  it('accepts the sample, defaults the Linux extension and keeps the pool body as given', () => {
    const value = bpAccepts({ 'spec.keyVaultExtension': undefined });
    expect(value.spec.keyVaultExtension.type).toBe('KeyVaultForLinux');
    expect(value.spec.policy.recreate).toBe('Never');
    expect(value.spec.identity.grantVaultAccess).toBe(true);
    const body = value.spec.pool.body as Json;
    expect((body.properties as Json).vmSize).toBe('STANDARD_D2S_V3');
  });

  it('rejects a versioned secret URL with a message saying to drop the version', () => {
    const errors = bpErrors({
      'spec.certificates': [
        {
          secretId: 'https://kvr-demo-kv.vault.azure.net/secrets/pool-cert/0123456789abcdef0123456789abcdef',
          storeLocation: '/var/lib/waagent/Microsoft.Azure.KeyVault.Store',
        },
      ],
    });
    expect(errors).toHaveLength(1);
    const onSecret = on(errors, 'spec.certificates[0].secretId');
    expect(onSecret).toHaveLength(1);
    expect(onSecret[0]?.message).toMatch(/must be versionless.*remove the trailing version/);
  });

  it('rejects a secret URL that is not a Key Vault secret', () => {
    const errors = bpErrors({
      'spec.certificates': [
        { secretId: 'https://kvr-demo-kv.vault.azure.net/certificates/pool-cert', storeLocation: '/x' },
      ],
    });
    expect(on(errors, 'spec.certificates[0].secretId')).toHaveLength(1);
  });

  it('requires at least one certificate and the client id', () => {
    expect(on(bpErrors({ 'spec.certificates': [] }), 'spec.certificates')).toHaveLength(1);
    expect(
      on(bpErrors({ 'spec.identity.clientId': undefined }), 'spec.identity.clientId')[0]?.message,
    ).toMatch(/^Required value/);
  });

  it('ties store locations to the extension type', () => {
    const windowsLocation = bpErrors({
      'spec.certificates': [
        { secretId: 'https://kvr-demo-kv.vault.azure.net/secrets/pool-cert', storeLocation: 'LocalMachine' },
      ],
    });
    expect(on(windowsLocation, 'spec.certificates')[0]?.message).toMatch(/must match keyVaultExtension.type/);
    bpAccepts({
      'spec.keyVaultExtension': { type: 'KeyVaultForWindows' },
      'spec.certificates': [
        {
          secretId: 'https://kvr-demo-kv.vault.azure.net/secrets/pool-cert',
          storeLocation: 'LocalMachine',
          storeName: 'My',
          keyExportable: true,
        },
      ],
    });
    const storeNameOnLinux = bpErrors({
      'spec.certificates': [
        {
          secretId: 'https://kvr-demo-kv.vault.azure.net/secrets/pool-cert',
          storeLocation: '/x',
          storeName: 'My',
        },
      ],
    });
    expect(on(storeNameOnLinux, 'spec.certificates[0].storeLocation')).toHaveLength(1);
  });

  it('requires the declared certificate to be one of the installed secrets', () => {
    const errors = bpErrors({ 'spec.certificate.name': 'other-cert' });
    expect(on(errors, 'spec.certificate.name')[0]?.message).toMatch(/one of the secrets/);
  });

  it('rejects expiryCritical not shorter than expiryWarning, and an unknown recreate policy', () => {
    const errors = bpErrors({ 'spec.policy.expiryCritical': '60d', 'spec.policy.recreate': 'Always' });
    expect(on(errors, 'spec.policy.recreate')).toHaveLength(1);
    // CEL rules wait until the object is otherwise valid, as in the API server
    const cel = bpErrors({ 'spec.policy.expiryCritical': '60d' });
    expect(on(cel, 'spec.policy.expiryCritical')).toHaveLength(1);
  });

  it('checks that the pool body can be created with a managed identity', () => {
    const noVmConfig = bpErrors({ 'spec.pool.body.properties.deploymentConfiguration': {} });
    expect(
      on(noVmConfig, 'spec.pool.body.properties.deploymentConfiguration.virtualMachineConfiguration')[0]
        ?.message,
    ).toMatch(/Virtual Machine Configuration/);
    expect(
      on(bpErrors({ 'spec.pool.body.properties.vmSize': undefined }), 'spec.pool.body.properties.vmSize'),
    ).toHaveLength(1);
    expect(on(bpErrors({ 'spec.pool.body': { vmSize: 'x' } }), 'spec.pool.body.properties')).toHaveLength(1);
    expect(bpAccepts({ 'spec.pool.body': undefined }).spec.pool.body).toBeUndefined();
  });

  it('rejects a batch account name with upper case', () => {
    expect(on(bpErrors({ 'spec.batchAccount': 'KvrDemo' }), 'spec.batchAccount')).toHaveLength(1);
  });
});

describe('validateRotation', () => {
  it('dispatches on kind', () => {
    expect(validateRotation(serviceFabricSample()).ok).toBe(true);
    expect(validateRotation(batchPoolSample()).ok).toBe(true);
    const result = validateRotation({ kind: 'Certificate' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.field).toBe('kind');
  });

  it('formats errors one per line, field first', () => {
    const result = validateRotation(
      variant(serviceFabricSample(), { 'spec.certificate.issuerThumbprints': [] }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatFieldErrors(result.errors)).toMatch(/^spec\.certificate\.issuerThumbprints: /);
  });
});
