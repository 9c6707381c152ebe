import { DEMO_LOCATION, DEMO_RESOURCE_GROUP, DEMO_VAULT, certificatePolicy, identityResourceIdOf, seedVaultAndPki, } from './common.js';
import { accountEndpoint } from '../world/batch-pool.js';
export const BATCH_ACCOUNT = 'kvrdemobatch';
export const BATCH_POOL = 'kvr-demo-pool';
export const BATCH_CERTIFICATE = 'pool-cert';
export const BATCH_COMMON_NAME = 'pool.contoso.com';
export const BATCH_IDENTITY = 'kvr-demo-pool-identity';
/** The client id deploy/samples/batchpoolcertificaterotation.yaml declares. */
export const BATCH_IDENTITY_CLIENT_ID = '3c9e1a7b-2d4f-4e6a-8b0c-5d7f9a1b3c2e';
export const batchScenario = {
    name: 'batch',
    description: 'Batch account kvrdemobatch (no pools yet), vault certificate pool-cert, identity kvr-demo-pool-identity without vault access: ready for a pool with the KeyVault extension.',
    async seed(ctx) {
        const { azure, sim } = ctx;
        const pki = await seedVaultAndPki(ctx);
        const cert = await azure.certificates.seedVersion(DEMO_VAULT, BATCH_CERTIFICATE, certificatePolicy(BATCH_COMMON_NAME));
        const identity = azure.identities.userAssignedIdentity(azure.subscriptionId, DEMO_RESOURCE_GROUP, BATCH_IDENTITY) ??
            azure.identities.addUserAssignedIdentity({
                subscriptionId: azure.subscriptionId,
                resourceGroup: DEMO_RESOURCE_GROUP,
                name: BATCH_IDENTITY,
                location: DEMO_LOCATION,
                ...(azure.identities.byClientId(BATCH_IDENTITY_CLIENT_ID) === undefined
                    ? { clientId: BATCH_IDENTITY_CLIENT_ID }
                    : {}),
            });
        const account = sim.batchAccount(azure.subscriptionId, DEMO_RESOURCE_GROUP, BATCH_ACCOUNT) ??
            sim.createBatchAccount(azure.subscriptionId, DEMO_RESOURCE_GROUP, BATCH_ACCOUNT, DEMO_LOCATION);
        const identityId = identityResourceIdOf(azure, BATCH_IDENTITY);
        return {
            env: {
                KVROLLOVER_SANDBOX_RESOURCE_GROUP: DEMO_RESOURCE_GROUP,
                KVROLLOVER_SANDBOX_VAULT: DEMO_VAULT,
                KVROLLOVER_SANDBOX_VAULT_URI: `https://${DEMO_VAULT}.vault.azure.net/`,
                KVROLLOVER_SANDBOX_CERTIFICATE: BATCH_CERTIFICATE,
                KVROLLOVER_SANDBOX_ISSUER_THUMBPRINT: pki.issuingThumbprint,
                KVROLLOVER_SANDBOX_BATCH_ACCOUNT: BATCH_ACCOUNT,
                KVROLLOVER_SANDBOX_BATCH_ENDPOINT: `https://${accountEndpoint(account)}`,
                KVROLLOVER_SANDBOX_POOL: BATCH_POOL,
                KVROLLOVER_SANDBOX_POOL_IDENTITY_ID: identityId,
                KVROLLOVER_SANDBOX_POOL_IDENTITY_CLIENT_ID: identity.clientId,
            },
            summary: [
                `Batch account ${BATCH_ACCOUNT} (https://${accountEndpoint(account)}), no pools`,
                `vault https://${DEMO_VAULT}.vault.azure.net/ certificate ${BATCH_CERTIFICATE} ${cert.version} (issuer ${pki.issuingThumbprint})`,
                `identity ${identityId} (client id ${identity.clientId}; no vault access yet)`,
            ],
        };
    },
};
//# sourceMappingURL=batch.js.map