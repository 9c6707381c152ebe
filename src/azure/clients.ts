// Construction of the real Azure SDK clients, configured for the chosen cloud and instrumented with
// our pipeline policies. Nothing here disables a check: TLS trust comes from the system store or
// NODE_EXTRA_CA_CERTS, proxies from HTTPS_PROXY/NO_PROXY (core-rest-pipeline's proxyPolicy and
// ms-rest-js's both read them), and Key Vault's challenge-resource verification stays on.
import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/identity';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ServiceFabricManagementClient } from '@azure/arm-servicefabric';
import { BatchManagementClient } from '@azure/arm-batch';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { BatchServiceClient } from '@azure/batch';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import {
  azureRequestDurationSeconds,
  azureRequestsTotal,
  azureThrottledTotal,
} from '../observability/metrics.js';
import { isPublicArm, scopeOf, vaultUrl } from './cloud.js';
import type { AzureCloud } from './cloud.js';
import { agentOption } from './http-agent.js';
import { kvrolloverPolicies, operationFromRequest } from './pipeline.js';

export interface RetryOptions {
  readonly maxRetries?: number;
  readonly retryDelayInMs?: number;
  readonly maxRetryDelayInMs?: number;
}

export interface AzureClientsOptions {
  readonly cloud: AzureCloud;
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** Retry tuning for every client (defaults: the SDKs' own, 3 retries with exponential backoff). */
  readonly retryOptions?: RetryOptions;
  /** Interval between polls of long-running operations; undefined lets each SDK use the service's Retry-After. */
  readonly lroIntervalMs?: number;
}

/** One set of clients per (credential, subscription); vault and Batch account clients are made on demand. */
export class AzureClients {
  readonly compute: ComputeManagementClient;
  readonly serviceFabric: ServiceFabricManagementClient;
  readonly batchManagement: BatchManagementClient;
  readonly keyVaultManagement: KeyVaultManagementClient;
  readonly msi: ManagedServiceIdentityClient;
  readonly cloud: AzureCloud;
  readonly subscriptionId: string;
  readonly lroIntervalMs: number | undefined;
  private readonly certificateClients = new Map<string, CertificateClient>();
  private readonly secretClients = new Map<string, SecretClient>();
  private readonly batchDataClients = new Map<string, BatchServiceClient>();
  private readonly msiClients = new Map<string, ManagedServiceIdentityClient>();
  private readonly classicOptions: object;

  constructor(private readonly options: AzureClientsOptions) {
    const { cloud, credential, subscriptionId, retryOptions } = options;
    this.cloud = cloud;
    this.subscriptionId = subscriptionId;
    this.lroIntervalMs = options.lroIntervalMs;
    const armScope = scopeOf(cloud.resourceManagerAudience);
    const armPolicies = kvrolloverPolicies('arm');
    const retry = retryOptions === undefined ? {} : { retryOptions: { ...retryOptions } };
    const agent = agentOption(cloud.resourceManagerEndpoint);
    // Modular clients (@azure-rest/core-client): `endpoint` + `credentials.scopes`.
    const modular = {
      endpoint: cloud.resourceManagerEndpoint,
      credentials: { scopes: [armScope] },
      additionalPolicies: armPolicies,
      ...retry,
      ...agent,
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
      ...agent,
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
  msiFor(subscriptionId: string): ManagedServiceIdentityClient {
    let client = this.msiClients.get(subscriptionId.toLowerCase());
    if (client === undefined) {
      client = new ManagedServiceIdentityClient(this.options.credential, subscriptionId, this.classicOptions);
      this.msiClients.set(subscriptionId.toLowerCase(), client);
    }
    return client;
  }

  /** The Key Vault certificates client for a vault name or URL (one per vault). */
  certificates(vault: string): CertificateClient {
    const url = vaultUrl(vault, this.cloud);
    let client = this.certificateClients.get(url);
    if (client === undefined) {
      client = new CertificateClient(url, this.options.credential, this.vaultOptions(url));
      this.certificateClients.set(url, client);
    }
    return client;
  }

  /** The Key Vault secrets client for a vault (used only to read the issuer chain, key dropped at once). */
  secrets(vault: string): SecretClient {
    const url = vaultUrl(vault, this.cloud);
    let client = this.secretClients.get(url);
    if (client === undefined) {
      client = new SecretClient(url, this.options.credential, this.vaultOptions(url));
      this.secretClients.set(url, client);
    }
    return client;
  }

  /**
   * The Batch data-plane client for an account endpoint (`https://<account>.<region>.batch.azure.com`,
   * from the account's `accountEndpoint`, which ARM returns without a scheme).
   */
  batchData(accountEndpoint: string): BatchServiceClient {
    const url = /^https?:\/\//i.test(accountEndpoint) ? accountEndpoint : `https://${accountEndpoint}`;
    let client = this.batchDataClients.get(url);
    if (client === undefined) {
      client = new BatchServiceClient(
        batchTokenCredentials(this.options.credential, scopeOf(this.cloud.batchAudience)),
        url,
        // Innermost (last) factory: it sees every HTTP attempt, retries included.
        {
          requestPolicyFactories: (defaults) => [
            ...defaults,
            batchMetricsPolicyFactory as unknown as (typeof defaults)[number],
          ],
        },
      );
      this.batchDataClients.set(url, client);
    }
    return client;
  }

  private vaultOptions(url: string): {
    additionalPolicies: ReturnType<typeof kvrolloverPolicies>;
    retryOptions?: RetryOptions;
  } {
    return {
      ...agentOption(url),
      additionalPolicies: kvrolloverPolicies('keyvault'),
      ...(this.options.retryOptions === undefined ? {} : { retryOptions: { ...this.options.retryOptions } }),
    };
  }
}

// ---- Batch data plane (ms-rest-js): its own credential and policy interfaces, typed structurally ----

interface WebResourceLike {
  url: string;
  method: string;
  headers: { set(name: string, value: string): void };
}

interface HttpOperationResponseLike {
  status: number;
}

interface RequestPolicyLike {
  sendRequest(request: WebResourceLike): Promise<HttpOperationResponseLike>;
}

/**
 * ms-rest-js would wrap a TokenCredential with the ARM scope (its adapter only knows ARM audiences),
 * so the Batch data plane gets its own signer asking for the Batch audience.
 */
export function batchTokenCredentials(
  credential: TokenCredential,
  scope: string,
): { signRequest<T extends WebResourceLike>(request: T): Promise<T> } {
  return {
    async signRequest<T extends WebResourceLike>(request: T): Promise<T> {
      const token = await credential.getToken(scope);
      if (token === null) throw new Error(`no token for ${scope}`);
      request.headers.set('authorization', `Bearer ${token.token}`);
      return request;
    },
  };
}

const batchMetricsPolicyFactory = {
  create(next: RequestPolicyLike): RequestPolicyLike {
    return {
      async sendRequest(request: WebResourceLike): Promise<HttpOperationResponseLike> {
        const operation = operationFromRequest(request.method, request.url);
        const started = performance.now();
        let code = 'error';
        try {
          const response = await next.sendRequest(request);
          code = String(response.status);
          return response;
        } finally {
          azureRequestsTotal.inc({ service: 'batch', operation, code });
          azureRequestDurationSeconds.observe(
            { service: 'batch', operation },
            (performance.now() - started) / 1000,
          );
          if (code === '429') azureThrottledTotal.inc({ service: 'batch' });
        }
      },
    };
  },
};
