/**
 * The subscription of deploy/samples/*.yaml. Start the Azure emulator with this `subscriptionId` so the
 * samples apply unchanged; scenarios seed into whatever subscription the emulator has.
 */
export const DEMO_SUBSCRIPTION_ID = '5f2d7c3a-8e41-4b6a-9d0e-1c2b3a4f5e60';
export const DEMO_RESOURCE_GROUP = 'kvr-demo-rg';
export const DEMO_LOCATION = 'westeurope';
export const DEMO_VAULT = 'kvr-demo-kv';
export const DEMO_VAULT_ISSUER = 'kvr-demo-issuer';
/** Resource group, vault (access policies for the operator) and the PKI with the vault's issuer object. */
export async function seedVaultAndPki(ctx) {
    const { azure } = ctx;
    if (azure.getResourceGroup(DEMO_RESOURCE_GROUP) === undefined)
        azure.addResourceGroup(DEMO_RESOURCE_GROUP, DEMO_LOCATION);
    if (azure.vaults.getVault(DEMO_VAULT) === undefined) {
        azure.vaults.addVault({
            name: DEMO_VAULT,
            subscriptionId: azure.subscriptionId,
            resourceGroup: DEMO_RESOURCE_GROUP,
            location: DEMO_LOCATION,
            tenantId: azure.tenantId,
            enableRbacAuthorization: false,
            accessPolicies: ctx.operatorObjectId === undefined
                ? []
                : [
                    {
                        tenantId: azure.tenantId,
                        objectId: ctx.operatorObjectId,
                        permissions: {
                            certificates: ['get', 'list', 'update', 'create', 'import'],
                            secrets: ['get', 'list'],
                        },
                    },
                ],
        });
    }
    const root = await azure.cas.createRoot('Contoso Sandbox Root CA');
    const issuing = await azure.cas.createIntermediate(root.id, 'Contoso Sandbox Issuing CA 1');
    const spare = await azure.cas.createIntermediate(root.id, 'Contoso Sandbox Issuing CA 2');
    azure.certificates.setIssuer(DEMO_VAULT, DEMO_VAULT_ISSUER, issuing.id);
    return {
        rootId: root.id,
        issuingCaId: issuing.id,
        issuingThumbprint: issuing.thumbprint,
        spareCaId: spare.id,
        spareThumbprint: spare.thumbprint,
    };
}
/** A CA-issued, auto-renewing PKCS#12 certificate policy [KV-SPEC] (the SF-MGMT enrollment example's shape). */
export function certificatePolicy(commonName) {
    return {
        key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
        secret_props: { contentType: 'application/x-pkcs12' },
        x509_props: {
            subject: `CN=${commonName}`,
            sans: { dns_names: [commonName] },
            ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
            validity_months: 12,
        },
        lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
        issuer: { name: DEMO_VAULT_ISSUER },
    };
}
export function vaultResourceIdOf(azure) {
    return `/subscriptions/${azure.subscriptionId}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${DEMO_VAULT}`;
}
export function identityResourceIdOf(azure, name) {
    return `/subscriptions/${azure.subscriptionId}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}
//# sourceMappingURL=common.js.map