// ServiceFabricCertificateRotation (sfcr): one Service Fabric cluster, its node types' scale sets, and the
// vault certificate it should be secured with (design §3).
import { Type } from '@sinclair/typebox';
import { KIND_SERVICE_FABRIC } from '../domain/names.js';
import { AzureSchema, CLIENT_ID_DESCRIPTION, CertificatePolicySchema, THUMBPRINTS_DESCRIPTION, X509_STORE_NAMES, identityProperties, issuerThumbprintsSchema, keyVaultExtensionSchema, policyCommonNameRules, rotationPolicySchema, vaultCertificateNameSchema, vaultSchema, } from './common.js';
import { envelopeProperties } from './metadata.js';
import * as P from './patterns.js';
import { StringEnum } from './schema-kit.js';
import { MODES, RotationStatusSchema } from './status.js';
export const ServiceFabricCertificateSchema = Type.Object({
    vault: vaultSchema(),
    name: vaultCertificateNameSchema(),
    commonName: Type.String({
        description: 'The subject common name the cluster declares, bare: `cluster.contoso.com`, without `CN=` and without other RDNs.',
        pattern: P.COMMON_NAME,
        minLength: 1,
        maxLength: 64,
    }),
    issuerThumbprints: issuerThumbprintsSchema(THUMBPRINTS_DESCRIPTION),
    x509StoreName: StringEnum(X509_STORE_NAMES, {
        description: 'The Windows certificate store the cluster reads the certificate from.',
        default: 'My',
    }),
    policy: Type.Optional(CertificatePolicySchema),
}, {
    description: 'The vault certificate that secures the cluster, and how the cluster declares it.',
    'x-kubernetes-validations': policyCommonNameRules(false),
});
export const ServiceFabricSpecSchema = Type.Object({
    azure: AzureSchema,
    cluster: Type.Object({
        name: Type.String({
            description: 'The Microsoft.ServiceFabric/clusters resource name.',
            pattern: P.ARM_NAME,
            minLength: 1,
            maxLength: 64,
        }),
        nodeTypes: Type.Array(Type.Object({
            name: Type.String({
                description: "The node type's name in the cluster resource.",
                pattern: P.ARM_NAME,
                minLength: 1,
                maxLength: 64,
            }),
            vmssName: Type.String({
                description: 'The virtual machine scale set that hosts the node type.',
                pattern: P.ARM_NAME,
                minLength: 1,
                maxLength: 64,
            }),
        }, { description: 'A node type and its scale set.' }), {
            description: 'Every node type of the cluster with its scale set. A certificate change before every node type holds the certificate can take the cluster down, so list them all.',
            minItems: 1,
            maxItems: 50,
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-validations': [
                {
                    rule: 'self.all(a, self.exists_one(b, b.vmssName == a.vmssName))',
                    message: 'each node type needs its own scale set: vmssName values must be unique',
                    reason: 'FieldValueDuplicate',
                },
            ],
        }),
    }, { description: 'The Service Fabric cluster.' }),
    certificate: ServiceFabricCertificateSchema,
    mode: StringEnum(MODES, {
        description: '`CommonName`: convert the cluster to a common-name declaration with pinned issuers, then watch the automatic rollover. `Thumbprint`: stay thumbprint-declared; the operator performs each rollover itself.',
        default: 'CommonName',
    }),
    identity: Type.Object(identityProperties({
        clientId: Type.Optional(Type.String({ description: CLIENT_ID_DESCRIPTION, pattern: P.GUID, maxLength: 36 })),
    }), { description: 'The user-assigned managed identity the KeyVault extension uses on the nodes.' }),
    keyVaultExtension: keyVaultExtensionSchema('KeyVaultForWindows'),
    policy: rotationPolicySchema({}),
}, {
    description: 'The desired state: which cluster, which certificate, how it is declared, and when to act.',
    'x-kubernetes-validations': [
        {
            rule: "self.mode != 'CommonName' || (has(self.certificate.issuerThumbprints) && size(self.certificate.issuerThumbprints) > 0)",
            message: 'mode CommonName needs at least one pinned issuer thumbprint: without one, any certificate with the common name would be trusted',
            fieldPath: '.certificate.issuerThumbprints',
            reason: 'FieldValueRequired',
        },
        {
            rule: "self.mode != 'CommonName' || !has(self.certificate.policy) || self.certificate.policy.issuerName != 'Self'",
            message: "policy.issuerName 'Self' is refused in mode CommonName: a self-signed certificate declared by common name can be minted by anyone; use a CA issuer",
            fieldPath: '.certificate.policy.issuerName',
            reason: 'FieldValueForbidden',
        },
    ],
});
export const ServiceFabricRotationSchema = Type.Object({
    ...envelopeProperties(KIND_SERVICE_FABRIC),
    spec: ServiceFabricSpecSchema,
    status: Type.Optional(RotationStatusSchema),
}, {
    description: 'Keeps a Service Fabric cluster secured by a Key Vault certificate: converts it safely from thumbprint to common-name declaration (or performs thumbprint rollovers) and watches every renewal for hazards.',
});
//# sourceMappingURL=service-fabric.js.map