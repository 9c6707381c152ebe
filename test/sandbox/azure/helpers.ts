// Shared set-up for the Azure emulator conformance tests: a sandbox, and client options that reach it
// the way the product does (through the CONNECT proxy, by Azure's real host names). In-process the CA
// cannot come from NODE_EXTRA_CA_CERTS (read only at node start) and core-rest-pipeline ignores
// `tlsOptions` once a proxy is in use, so the tests hand the SDKs a proxy agent that carries the CA;
// env-only configuration is proven in a child process (env.test.ts).

import { HttpsProxyAgent } from 'https-proxy-agent';
import { ClientSecretCredential } from '@azure/identity';
import type { AzureSandbox, AzureSandboxOptions } from '../../../src/sandbox/azure/index.js';
import { startAzureSandbox } from '../../../src/sandbox/azure/index.js';

export const FAST_RETRY = { retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export async function startTestSandbox(options: AzureSandboxOptions = {}): Promise<AzureSandbox> {
  return startAzureSandbox({ lroRetryAfterSeconds: 0, ...options });
}

/** https-proxy-agent drops agent-level TLS options for the tunnelled connection; add the CA per connection. */
class CaProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly ca: string,
  ) {
    super(proxy);
  }
  override connect(
    req: Parameters<HttpsProxyAgent<string>['connect']>[0],
    opts: Parameters<HttpsProxyAgent<string>['connect']>[1],
  ) {
    return super.connect(req, { ...opts, ca: this.ca } as typeof opts);
  }
}

export function proxyAgent(sandbox: AzureSandbox): HttpsProxyAgent<string> {
  return new CaProxyAgent(sandbox.proxyUrl, sandbox.caPem);
}

export function clientOptions(sandbox: AzureSandbox): {
  agent: HttpsProxyAgent<string>;
  retryOptions: typeof FAST_RETRY;
} {
  return { agent: proxyAgent(sandbox), retryOptions: FAST_RETRY };
}

export function operatorCredential(sandbox: AzureSandbox): ClientSecretCredential {
  return new ClientSecretCredential(sandbox.tenantId, sandbox.operator.clientId, sandbox.operator.secret, {
    authorityHost: sandbox.authorityHost,
    ...clientOptions(sandbox),
  });
}

/** A vault in a resource group, with full certificate and secret permissions for the operator. */
export function seedVault(sandbox: AzureSandbox, name = 'kvr-test-vault', rbac = false): void {
  const w = sandbox.world;
  w.addResourceGroup('rg-kvr', 'westeurope');
  w.vaults.addVault({
    name,
    subscriptionId: w.subscriptionId,
    resourceGroup: 'rg-kvr',
    location: 'westeurope',
    tenantId: w.tenantId,
    enableRbacAuthorization: rbac,
    accessPolicies: rbac
      ? []
      : [
          {
            tenantId: w.tenantId,
            objectId: sandbox.operator.objectId,
            permissions: { certificates: ['all'], secrets: ['get', 'list'] },
          },
        ],
  });
}

export async function seedCas(
  sandbox: AzureSandbox,
  vault = 'kvr-test-vault',
): Promise<{ rootId: string; interA: string; interB: string }> {
  const cas = sandbox.world.cas;
  const root = await cas.createRoot('Sandbox Root CA');
  const a = await cas.createIntermediate(root.id, 'Sandbox Intermediate A');
  const b = await cas.createIntermediate(root.id, 'Sandbox Intermediate B');
  sandbox.world.certificates.setIssuer(vault, 'kvr-issuer', a.id);
  return { rootId: root.id, interA: a.id, interB: b.id };
}
