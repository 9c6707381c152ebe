// BatchPoolCertificateRotation (bpcr): one Batch pool whose nodes receive vault certificates through a
// user-assigned identity and the KeyVault extension (design §3; azure.md §5).
import { Type } from '@sinclair/typebox';
import { KIND_BATCH_POOL } from '../domain/names.js';
import { AzureSchema, CLIENT_ID_DESCRIPTION, CertificatePolicySchema, RECREATE_POLICIES, identityProperties, issuerThumbprintsSchema, keyVaultExtensionSchema, policyCommonNameRules, rotationPolicySchema, vaultCertificateNameSchema, vaultSchema, } from './common.js';
import { envelopeProperties } from './metadata.js';
import * as P from './patterns.js';
import { OpaqueObject, StringEnum } from './schema-kit.js';
import { RotationStatusSchema } from './status.js';
export const BatchCertificateReferenceSchema = Type.Object({
    secretId: Type.String({
        description: 'The versionless secret URL of the certificate, `https://<vault>.vault.azure.net/secrets/<name>`: the extension then installs every new version.',
        pattern: P.SECRET_URL,
        maxLength: 300,
        'x-kubernetes-validations': [
            {
                rule: `!self.matches('${P.VERSIONED_SECRET_SUFFIX}')`,
                message: 'secretId must be versionless (https://<vault>.vault.azure.net/secrets/<name>): remove the trailing version segment, or renewals will never reach the nodes',
            },
        ],
    }),
    storeLocation: Type.String({
        description: 'Where nodes install the certificate: a directory for KeyVaultForLinux (`/var/lib/waagent/Microsoft.Azure.KeyVault.Store`), `LocalMachine` or `CurrentUser` for KeyVaultForWindows.',
        pattern: P.STORE_LOCATION,
        maxLength: 512,
    }),
    storeName: Type.Optional(Type.String({
        description: 'Windows only: the certificate store name (`My`).',
        minLength: 1,
        maxLength: 128,
    })),
    keyExportable: Type.Optional(Type.Boolean({ description: 'Windows only: mark the installed private key exportable.' })),
}, {
    description: 'A vault certificate installed on the pool nodes.',
    'x-kubernetes-validations': [
        {
            rule: "!self.storeLocation.startsWith('/') || (!has(self.storeName) && !has(self.keyExportable))",
            message: 'storeName and keyExportable apply to Windows store locations (LocalMachine, CurrentUser) only',
            fieldPath: '.storeLocation',
        },
    ],
});
export const BatchCertificateSchema = Type.Object({
    vault: vaultSchema(),
    name: vaultCertificateNameSchema(),
    commonName: Type.Optional(Type.String({
        description: 'The subject common name, bare (no `CN=`); used to check policy subject and SANs.',
        pattern: P.COMMON_NAME,
        minLength: 1,
        maxLength: 64,
    })),
    issuerThumbprints: issuerThumbprintsSchema('SHA-1 thumbprints (40 hexadecimal characters) of the expected direct issuers; a new version from another issuer is reported (IssuerNotPinned).'),
    policy: Type.Optional(CertificatePolicySchema),
}, {
    description: 'The vault certificate to enroll and check (optional): its name must be one of the secrets in certificates.',
    'x-kubernetes-validations': [
        ...policyCommonNameRules(true),
        {
            rule: '!has(self.policy) || !has(self.policy.subjectAlternativeNames) || has(self.commonName)',
            message: 'give commonName when policy.subjectAlternativeNames is set',
            fieldPath: '.commonName',
            reason: 'FieldValueRequired',
        },
    ],
});
export const BatchPoolSpecSchema = Type.Object({
    azure: AzureSchema,
    batchAccount: Type.String({
        description: 'The Batch account name.',
        pattern: P.BATCH_ACCOUNT,
        minLength: 3,
        maxLength: 24,
    }),
    pool: Type.Object({
        name: Type.String({
            description: 'The pool id.',
            pattern: P.BATCH_POOL,
            minLength: 1,
            maxLength: 64,
        }),
        body: Type.Optional(OpaqueObject({
            description: 'For creation or recreation: the pool as the Batch management API takes it (`properties`: vmSize, deploymentConfiguration, scaleSettings, …). The operator adds the identity and the KeyVault extension.',
        })),
    }, { description: 'The Batch pool.' }),
    certificates: Type.Array(BatchCertificateReferenceSchema, {
        description: 'The vault certificates the pool nodes install.',
        minItems: 1,
        maxItems: 32,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['secretId'],
    }),
    certificate: Type.Optional(BatchCertificateSchema),
    identity: Type.Object(identityProperties({
        clientId: Type.String({ description: CLIENT_ID_DESCRIPTION, pattern: P.GUID, maxLength: 36 }),
    }), { description: 'The user-assigned managed identity of the pool, used by the KeyVault extension.' }),
    keyVaultExtension: keyVaultExtensionSchema('KeyVaultForLinux'),
    policy: rotationPolicySchema({
        recreate: StringEnum(RECREATE_POLICIES, {
            description: '`WhenIdle`: recreate the pool when immutable properties (its extensions) must change and it has no running tasks. `Never`: report PoolRecreationRequired and stop.',
            default: 'Never',
        }),
    }),
}, {
    description: 'The desired state: which pool, which certificates, and when to act.',
    'x-kubernetes-validations': [
        {
            rule: "self.keyVaultExtension.type == 'KeyVaultForLinux' ? self.certificates.all(c, c.storeLocation.startsWith('/')) : self.certificates.all(c, !c.storeLocation.startsWith('/'))",
            message: 'certificates[].storeLocation must match keyVaultExtension.type: a directory (/…) for KeyVaultForLinux, LocalMachine or CurrentUser for KeyVaultForWindows',
            fieldPath: '.certificates',
        },
        {
            rule: "!has(self.certificate) || self.certificates.exists(c, c.secretId.matches('/secrets/' + self.certificate.name + '(/[0-9a-fA-F]{32})?/?$'))",
            message: 'certificate.name must be the name of one of the secrets listed in certificates[].secretId',
            fieldPath: '.certificate.name',
        },
    ],
});
export const BatchPoolRotationSchema = Type.Object({
    ...envelopeProperties(KIND_BATCH_POOL),
    spec: BatchPoolSpecSchema,
    status: Type.Optional(RotationStatusSchema),
}, {
    description: 'Keeps the certificates of an Azure Batch pool rotating from Key Vault through a user-assigned identity and the KeyVault VM extension; recreates the pool when its extensions must change and policy allows.',
});
//# sourceMappingURL=batch-pool.js.map