// Construction of the real Azure SDK clients, configured for the chosen cloud and instrumented with
// our pipeline policies. Nothing here disables a check: TLS trust comes from the system store or
// NODE_EXTRA_CA_CERTS, proxies from HTTPS_PROXY/NO_PROXY (core-rest-pipeline's proxyPolicy and
// ms-rest-js's both read them), and Key Vault's challenge-resource verification stays on.
import { performance } from 'node:perf_hooks';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ServiceFabricManagementClient } from '@azure/arm-servicefabric';
import { BatchManagementClient } from '@azure/arm-batch';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { BatchServiceClient } from '@azure/batch';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { azureRequestDurationSeconds, azureRequestsTotal, azureThrottledTotal, } from '../observability/metrics.js';
import { isPublicArm, scopeOf, vaultUrl } from './cloud.js';
import { kvrolloverPolicies, operationFromRequest } from './pipeline.js';
/** One set of clients per (credential, subscription); vault and Batch account clients are made on demand. */
export class AzureClients {
    options;
    compute;
    serviceFabric;
    batchManagement;
    keyVaultManagement;
    msi;
    cloud;
    subscriptionId;
    lroIntervalMs;
    certificateClients = new Map();
    secretClients = new Map();
    batchDataClients = new Map();
    msiClients = new Map();
    classicOptions;
    constructor(options) {
        this.options = options;
        const { cloud, credential, subscriptionId, retryOptions } = options;
        this.cloud = cloud;
        this.subscriptionId = subscriptionId;
        this.lroIntervalMs = options.lroIntervalMs;
        const armScope = scopeOf(cloud.resourceManagerAudience);
        const armPolicies = kvrolloverPolicies('arm');
        const retry = retryOptions === undefined ? {} : { retryOptions: { ...retryOptions } };
        // Modular clients (@azure-rest/core-client): `endpoint` + `credentials.scopes`.
        const modular = {
            endpoint: cloud.resourceManagerEndpoint,
            credentials: { scopes: [armScope] },
            additionalPolicies: armPolicies,
            ...retry,
        };
        // core-client (AutoRest track 2) clients: `endpoint` alone redirects requests but turns the token
        // scope into `<endpoint>/.default`, so the ARM audience is passed explicitly (test-substrate §3).
        const classic = {
            ...(isPublicArm(cloud)
                ? {}
                : { endpoint: cloud.resourceManagerEndpoint, $host: cloud.resourceManagerEndpoint }),
            credentialScopes: [armScope],
            additionalPolicies: armPolicies,
            ...retry,
        };
        this.compute = new ComputeManagementClient(credential, subscriptionId, modular);
        this.keyVaultManagement = new KeyVaultManagementClient(credential, subscriptionId, modular);
        this.serviceFabric = new ServiceFabricManagementClient(credential, subscriptionId, classic);
        this.batchManagement = new BatchManagementClient(credential, subscriptionId, classic);
        this.msi = new ManagedServiceIdentityClient(credential, subscriptionId, classic);
        this.classicOptions = classic;
        this.msiClients.set(subscriptionId.toLowerCase(), this.msi);
    }
    /** The managed-identity client for a subscription (an identity may live in another one). */
    msiFor(subscriptionId) {
        let client = this.msiClients.get(subscriptionId.toLowerCase());
        if (client === undefined) {
            client = new ManagedServiceIdentityClient(this.options.credential, subscriptionId, this.classicOptions);
            this.msiClients.set(subscriptionId.toLowerCase(), client);
        }
        return client;
    }
    /** The Key Vault certificates client for a vault name or URL (one per vault). */
    certificates(vault) {
        const url = vaultUrl(vault, this.cloud);
        let client = this.certificateClients.get(url);
        if (client === undefined) {
            client = new CertificateClient(url, this.options.credential, this.vaultOptions());
            this.certificateClients.set(url, client);
        }
        return client;
    }
    /** The Key Vault secrets client for a vault (used only to read the issuer chain, key dropped at once). */
    secrets(vault) {
        const url = vaultUrl(vault, this.cloud);
        let client = this.secretClients.get(url);
        if (client === undefined) {
            client = new SecretClient(url, this.options.credential, this.vaultOptions());
            this.secretClients.set(url, client);
        }
        return client;
    }
    /**
     * The Batch data-plane client for an account endpoint (`https://<account>.<region>.batch.azure.com`,
     * from the account's `accountEndpoint`, which ARM returns without a scheme).
     */
    batchData(accountEndpoint) {
        const url = /^https?:\/\//i.test(accountEndpoint) ? accountEndpoint : `https://${accountEndpoint}`;
        let client = this.batchDataClients.get(url);
        if (client === undefined) {
            client = new BatchServiceClient(batchTokenCredentials(this.options.credential, scopeOf(this.cloud.batchAudience)), url, 
            // Innermost (last) factory: it sees every HTTP attempt, retries included.
            {
                requestPolicyFactories: (defaults) => [
                    ...defaults,
                    batchMetricsPolicyFactory,
                ],
            });
            this.batchDataClients.set(url, client);
        }
        return client;
    }
    vaultOptions() {
        return {
            additionalPolicies: kvrolloverPolicies('keyvault'),
            ...(this.options.retryOptions === undefined ? {} : { retryOptions: { ...this.options.retryOptions } }),
        };
    }
}
/**
 * ms-rest-js would wrap a TokenCredential with the ARM scope (its adapter only knows ARM audiences),
 * so the Batch data plane gets its own signer asking for the Batch audience.
 */
export function batchTokenCredentials(credential, scope) {
    return {
        async signRequest(request) {
            const token = await credential.getToken(scope);
            if (token === null)
                throw new Error(`no token for ${scope}`);
            request.headers.set('authorization', `Bearer ${token.token}`);
            return request;
        },
    };
}
const batchMetricsPolicyFactory = {
    create(next) {
        return {
            async sendRequest(request) {
                const operation = operationFromRequest(request.method, request.url);
                const started = performance.now();
                let code = 'error';
                try {
                    const response = await next.sendRequest(request);
                    code = String(response.status);
                    return response;
                }
                finally {
                    azureRequestsTotal.inc({ service: 'batch', operation, code });
                    azureRequestDurationSeconds.observe({ service: 'batch', operation }, (performance.now() - started) / 1000);
                    if (code === '429')
                        azureThrottledTotal.inc({ service: 'batch' });
                }
            },
        };
    },
};
//# sourceMappingURL=clients.js.map