// Schema parts shared by both kinds: Azure coordinates, the vault certificate's policy, the identity, the
// KeyVault VM extension, the rotation policy. Field names are a public contract (design §3).
import { Type } from '@sinclair/typebox';
import { Annotation } from '../domain/names.js';
import { durationMinutesCel } from './duration.js';
import * as P from './patterns.js';
import { IntegerEnum, StringEnum } from './schema-kit.js';
export const AZURE_DESCRIPTION = 'Where the Azure resources live and which credentials reach them.';
export const AzureSchema = Type.Object({
    subscriptionId: Type.String({
        description: 'The Azure subscription id (a GUID) holding the resource group.',
        pattern: P.GUID,
        maxLength: 36,
    }),
    resourceGroup: Type.String({
        description: 'The resource group holding the resources to rotate.',
        pattern: P.RESOURCE_GROUP,
        minLength: 1,
        maxLength: 90,
    }),
    credentialRef: Type.Optional(Type.Object({
        name: Type.String({
            description: 'Name of a Secret in the same namespace holding AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.',
            pattern: P.DNS_SUBDOMAIN,
            minLength: 1,
            maxLength: 253,
        }),
    }, {
        description: "Per-namespace Azure credentials. When absent the operator's own identity (workload identity or environment) is used.",
    })),
}, { description: AZURE_DESCRIPTION });
export const X509_STORE_NAMES = [
    'AddressBook',
    'AuthRoot',
    'CertificateAuthority',
    'Disallowed',
    'My',
    'Root',
    'TrustedPeople',
    'TrustedPublisher',
];
export const KEY_TYPES = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'];
export const RSA_KEY_SIZES = [2048, 3072, 4096];
export const EC_CURVES = ['P-256', 'P-384', 'P-521', 'P-256K'];
export const CONTENT_TYPES = ['application/x-pkcs12', 'application/x-pem-file'];
export const LIFETIME_ACTIONS = ['AutoRenew', 'EmailContacts'];
/** Server and client authentication, as the Service Fabric enrollment example declares them. */
export const DEFAULT_EKUS = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];
export const DEFAULT_LIFETIME_PERCENTAGE = 80;
/** Key Vault certificate policy (azure.md §6.2; ranges from [KV-SPEC]/[KV-CERT]). */
export const CertificatePolicySchema = Type.Object({
    issuerName: Type.String({
        description: "The vault's issuer: the name of an issuer object of the vault (a CA Key Vault enrolls with), `Self` for self-signed, or `Unknown` for a manual CSR/merge flow.",
        minLength: 1,
        maxLength: 127,
    }),
    subject: Type.Optional(Type.String({
        description: 'The X.500 subject. Defaults to `CN=<commonName>`; when given it must start with `CN=<commonName>`.',
        minLength: 4,
        maxLength: 512,
    })),
    subjectAlternativeNames: Type.Optional(Type.Object({
        dnsNames: Type.Array(Type.String({
            description: 'A DNS name.',
            minLength: 1,
            maxLength: 253,
        }), {
            description: 'DNS names; the common name must be one of them.',
            minItems: 1,
            maxItems: 100,
            'x-kubernetes-list-type': 'set',
        }),
    }, { description: 'Subject alternative names of the certificate.' })),
    enhancedKeyUsage: Type.Array(Type.String({ description: 'An extended key usage OID.', pattern: P.OID, maxLength: 64 }), {
        description: 'Extended key usages (OIDs). Defaults to server and client authentication.',
        default: DEFAULT_EKUS,
        maxItems: 20,
        'x-kubernetes-list-type': 'set',
    }),
    keyType: StringEnum(KEY_TYPES, {
        description: 'The key type. HSM keys cannot be exportable.',
        default: 'RSA',
    }),
    keySize: Type.Optional(IntegerEnum(RSA_KEY_SIZES, {
        description: 'RSA key size in bits (RSA key types only). Key Vault defaults to 2048.',
    })),
    curve: Type.Optional(StringEnum(EC_CURVES, {
        description: 'Elliptic curve (EC key types only). Key Vault defaults to P-256.',
    })),
    reuseKey: Type.Boolean({
        description: 'Keep the same key pair on renewal.',
        default: false,
    }),
    exportable: Type.Boolean({
        description: 'Whether the private key can leave the vault. Nodes install the certificate from its secret, which holds the key only when it is exportable.',
        default: true,
    }),
    contentType: StringEnum(CONTENT_TYPES, {
        description: "Format of the certificate's secret: PKCS#12 or PEM.",
        default: 'application/x-pkcs12',
    }),
    validityInMonths: Type.Integer({
        description: 'Validity of each issued version, in months.',
        minimum: 1,
        maximum: 1200,
        default: 12,
    }),
    lifetimeAction: Type.Object({
        action: StringEnum(LIFETIME_ACTIONS, {
            description: '`AutoRenew` renews the certificate in the vault; `EmailContacts` only notifies the vault contacts.',
            default: 'AutoRenew',
        }),
        lifetimePercentage: Type.Optional(Type.Integer({
            description: 'Act at this percentage of the lifetime (1–99). Exclusive with daysBeforeExpiry.',
            minimum: 1,
            maximum: 99,
        })),
        daysBeforeExpiry: Type.Optional(Type.Integer({
            description: 'Act this many days before expiry (1 to validityInMonths × 27). Exclusive with lifetimePercentage.',
            minimum: 1,
        })),
    }, {
        description: `When Key Vault renews (or notifies). Defaults to AutoRenew at ${DEFAULT_LIFETIME_PERCENTAGE} % of the lifetime.`,
        default: { action: 'AutoRenew', lifetimePercentage: DEFAULT_LIFETIME_PERCENTAGE },
        'x-kubernetes-validations': [
            {
                rule: 'has(self.lifetimePercentage) != has(self.daysBeforeExpiry)',
                message: 'set exactly one of lifetimePercentage and daysBeforeExpiry',
            },
        ],
    }),
}, {
    description: 'The vault certificate to enroll and keep renewing (optional). When given, the operator creates the certificate if it is absent and corrects policy drift (step EnsureVaultCertificate).',
    'x-kubernetes-validations': [
        {
            rule: "!has(self.keySize) || self.keyType.startsWith('RSA')",
            message: 'keySize applies to RSA keys only; use curve for EC keys',
            fieldPath: '.keySize',
        },
        {
            rule: "!has(self.curve) || self.keyType.startsWith('EC')",
            message: 'curve applies to EC keys only; use keySize for RSA keys',
            fieldPath: '.curve',
        },
        {
            rule: "!(self.exportable && self.keyType.endsWith('-HSM'))",
            message: 'HSM keys cannot be exportable: use keyType RSA or EC, or set exportable: false',
            fieldPath: '.exportable',
        },
        {
            rule: '!has(self.lifetimeAction.daysBeforeExpiry) || self.lifetimeAction.daysBeforeExpiry <= self.validityInMonths * 27',
            message: 'daysBeforeExpiry must be at most validityInMonths × 27 days',
            fieldPath: '.lifetimeAction.daysBeforeExpiry',
        },
    ],
});
/** Rules tying a policy to the common name, for a certificate schema with `commonName` and `policy`. */
export function policyCommonNameRules(commonNameOptional) {
    const hasCn = commonNameOptional ? 'has(self.commonName) && ' : '';
    return [
        {
            rule: `!(${hasCn}has(self.policy) && has(self.policy.subjectAlternativeNames)) || self.commonName in self.policy.subjectAlternativeNames.dnsNames`,
            message: 'policy.subjectAlternativeNames.dnsNames must include the commonName',
            fieldPath: '.policy.subjectAlternativeNames.dnsNames',
        },
        {
            rule: `!(${hasCn}has(self.policy) && has(self.policy.subject)) || self.policy.subject == 'CN=' + self.commonName || self.policy.subject.startsWith('CN=' + self.commonName + ',')`,
            message: 'policy.subject must start with CN=<commonName>',
            fieldPath: '.policy.subject',
        },
    ];
}
export const THUMBPRINTS_DESCRIPTION = 'SHA-1 thumbprints (40 hexadecimal characters) of the pinned direct issuers of the certificate. Required, non-empty, in mode CommonName: a renewal from an issuer not listed here breaks the cluster.';
export function issuerThumbprintsSchema(description) {
    return Type.Array(Type.String({
        description: 'A SHA-1 thumbprint: 40 hexadecimal characters.',
        pattern: P.THUMBPRINT,
        maxLength: 40,
    }), {
        description,
        default: [],
        maxItems: 16,
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-validations': [
            {
                rule: 'self.all(t, size(self.filter(u, u.upperAscii() == t.upperAscii())) == 1)',
                message: 'each thumbprint may appear only once (compared without regard to case)',
                reason: 'FieldValueDuplicate',
            },
        ],
    });
}
export function vaultSchema() {
    return Type.String({
        description: 'The Key Vault, by name (`kvr-demo-kv`) or URI (`https://kvr-demo-kv.vault.azure.net`).',
        pattern: P.VAULT,
        minLength: 3,
        maxLength: 120,
    });
}
export function vaultCertificateNameSchema() {
    return Type.String({
        description: "The vault certificate's name. It is observed versionless: every new version is a rotation.",
        pattern: P.VAULT_OBJECT_NAME,
        minLength: 1,
        maxLength: 127,
    });
}
export function identityProperties(clientId) {
    return {
        resourceId: Type.String({
            description: 'ARM id of the user-assigned managed identity the KeyVault extension runs as (`/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`).',
            pattern: P.USER_ASSIGNED_IDENTITY_ID,
            maxLength: 512,
        }),
        ...clientId,
        grantVaultAccess: Type.Boolean({
            description: "Whether the operator may grant the identity get/list on the vault's secrets (access policy or RBAC role). When false, missing access is reported (VaultAccessMissing) and blocks.",
            default: false,
        }),
    };
}
export const CLIENT_ID_DESCRIPTION = "The identity's client id (a GUID), written to the extension's authenticationSettings.msiClientId.";
export const EXTENSION_TYPES = ['KeyVaultForWindows', 'KeyVaultForLinux'];
export function keyVaultExtensionSchema(defaultType) {
    return Type.Object({
        pollingIntervalInS: Type.Integer({
            description: 'How often the extension polls the vault, in seconds (written to Azure as the string it expects).',
            minimum: 1,
            maximum: 2_592_000,
            default: 3600,
        }),
        linkOnRenewal: Type.Boolean({
            description: 'Windows only: link renewed certificates to the previous one by SAN. Dangerous when vault certificates share SANs (SanOverlapWithLinkOnRenewal).',
            default: false,
        }),
        requireInitialSync: Type.Boolean({
            description: 'Report the extension provisioned only after every observed certificate is installed. Disabling it lets nodes start without their certificate (InitialSyncDisabled).',
            default: true,
        }),
        type: StringEnum(EXTENSION_TYPES, {
            description: 'The extension type (publisher Microsoft.Azure.KeyVault).',
            default: defaultType,
        }),
        typeHandlerVersion: Type.String({
            description: 'The extension version; settings are written in the v3.0 object form.',
            pattern: P.HANDLER_VERSION,
            maxLength: 16,
            default: '3.0',
        }),
    }, {
        description: 'The Key Vault VM extension installed on every node to follow the versionless secret.',
        default: {},
        'x-kubernetes-validations': [
            {
                rule: "!(self.type == 'KeyVaultForLinux' && self.linkOnRenewal)",
                message: 'linkOnRenewal is not available with KeyVaultForLinux',
                fieldPath: '.linkOnRenewal',
            },
        ],
    });
}
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const APPROVALS = ['Automatic', 'Manual'];
export const MaintenanceWindowSchema = Type.Object({
    days: Type.Array(StringEnum(WEEKDAYS, { description: 'A day of the week.' }), {
        description: 'Days of the week the window opens on.',
        minItems: 1,
        maxItems: 7,
        'x-kubernetes-list-type': 'set',
    }),
    start: Type.String({
        description: 'Opening time of day, 24-hour `HH:MM`, in the window time zone.',
        pattern: P.TIME_OF_DAY,
        maxLength: 5,
    }),
    duration: Type.String({
        description: 'How long the window stays open (`4h`, `90m`, `1d`).',
        pattern: P.DURATION,
        maxLength: 6,
    }),
    timezone: Type.String({
        description: 'IANA time zone of `start` (`UTC`, `Europe/Paris`).',
        pattern: P.TIME_ZONE,
        maxLength: 64,
        default: 'UTC',
    }),
}, { description: 'A recurring window in which mutating steps may start.' });
const criticalMinutes = durationMinutesCel('self.expiryCritical');
const warningMinutes = durationMinutesCel('self.expiryWarning');
export function rotationPolicySchema(extra) {
    return Type.Object({
        expiryWarning: Type.String({
            description: 'Warn (CertificateExpiringSoon) when the certificate in use expires within this duration (`30d`, `12h`, `90m`).',
            pattern: P.DURATION,
            maxLength: 6,
            default: '30d',
        }),
        expiryCritical: Type.String({
            description: 'Critical expiry threshold; must be shorter than expiryWarning.',
            pattern: P.DURATION,
            maxLength: 6,
            default: '7d',
        }),
        approval: StringEnum(APPROVALS, {
            description: `\`Manual\`: each mutating step waits until the annotation ${Annotation.ApproveStep} names it.`,
            default: 'Automatic',
        }),
        maintenanceWindows: Type.Array(MaintenanceWindowSchema, {
            description: 'When non-empty, mutating steps start only inside one of these windows.',
            default: [],
            maxItems: 20,
            'x-kubernetes-list-type': 'atomic',
        }),
        suspend: Type.Boolean({
            description: 'Stop all mutation; observation and status continue.',
            default: false,
        }),
        quarantineUntrustedVersions: Type.Boolean({
            description: 'Disable a new vault version whose direct issuer is not pinned, before the nodes can install it.',
            default: false,
        }),
        ...extra,
    }, {
        description: 'How and when the operator may act.',
        default: {},
        'x-kubernetes-validations': [
            {
                rule: `${criticalMinutes} < ${warningMinutes}`,
                message: 'expiryCritical must be shorter than expiryWarning',
                fieldPath: '.expiryCritical',
            },
        ],
    });
}
export const RECREATE_POLICIES = ['Never', 'WhenIdle'];
//# sourceMappingURL=common.js.map