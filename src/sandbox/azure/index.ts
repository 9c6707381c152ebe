// The Azure emulator: `startAzureSandbox` builds the world, registers the built-in services (AAD,
// Key Vault data plane, Key Vault management, managed identities, role assignments, ARM LROs), lets
// the caller's resource providers hook in, and starts the HTTPS server and the CONNECT proxy.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxAgent } from './agent.js';
import { registerRoleAssignments } from './arm/authorization.js';
import { registerKeyVaultManagement } from './arm/keyvault.js';
import { registerManagedIdentities } from './arm/msi.js';
import { registerAad } from './identity/aad.js';
import type { PrincipalRecord } from './identity/store.js';
import { TokenIssuer } from './identity/tokens.js';
import { registerVaultService } from './keyvault/service.js';
import { ARM_HOST, LOGIN_HOST, startServers } from './server.js';
import { createTransportCa } from './tls.js';
import type { ArmProvider, AzureWorldOptions } from './world.js';
import { AzureWorld } from './world.js';

export { AzureWorld } from './world.js';
export type { ArmProvider, AzureWorldOptions } from './world.js';

export interface AzureSandboxOptions extends AzureWorldOptions {
  /** Resource providers to register (AZ-ARM's compute, servicefabric, batch). */
  readonly providers?: readonly ArmProvider[];
  /** Directory for the CA bundle; a fresh temporary directory by default (removed on close). */
  readonly stateDir?: string;
  /** Regions whose `*.<region>.batch.azure.com` names the default server certificate covers. */
  readonly batchRegions?: readonly string[];
  /** The operator's service principal (seeded; a random secret when not given). */
  readonly operatorClientId?: string;
  readonly operatorClientSecret?: string;
  /** Fill the RSA key pool before returning (default 2 keys; 0 to skip). */
  readonly rsaPoolSize?: number;
}

export interface AzureSandbox {
  readonly world: AzureWorld;
  readonly clock: AzureWorld['clock'];
  readonly counters: AzureWorld['counters'];
  readonly faults: AzureWorld['faults'];
  /** `http://127.0.0.1:<port>` — the CONNECT proxy for HTTPS_PROXY. */
  readonly proxyUrl: string;
  /** `https://127.0.0.1:<port>` — the HTTPS server itself (ARM and AAD by path; vaults need the proxy). */
  readonly directUrl: string;
  readonly caPem: string;
  readonly caPath: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly armEndpoint: string;
  readonly authorityHost: string;
  /** The seeded service principal the operator authenticates as. */
  readonly operator: PrincipalRecord & { readonly secret: string };
  /**
   * For SDK clients in this process: pass as the client option `agent` (it reaches the sandbox directly
   * and trusts its CA). Clients in other processes use `env` (HTTPS_PROXY + NODE_EXTRA_CA_CERTS).
   */
  readonly agent: SandboxAgent;
  /** The dotenv variables of design §2 for the Azure part. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startAzureSandbox(options: AzureSandboxOptions = {}): Promise<AzureSandbox> {
  const world = new AzureWorld(options);
  const tokens = new TokenIssuer(world.tenantId);
  registerAad(world.router, world.identities, tokens);
  registerVaultService({
    router: world.router,
    pageSize: world.vaultPageSize,
    vaults: world.vaults,
    engine: world.certificates,
    clock: world.clock,
  });
  registerKeyVaultManagement(world);
  registerManagedIdentities(world);
  registerRoleAssignments(world);
  for (const provider of options.providers ?? []) world.registerArmProvider(provider);

  const secret = options.operatorClientSecret ?? randomBytes(24).toString('base64url');
  const operator = world.identities.addServicePrincipal({
    displayName: 'kv-rollover-operator',
    ...(options.operatorClientId ? { clientId: options.operatorClientId } : {}),
    secret,
  });

  const ownDir = options.stateDir === undefined;
  const dir = options.stateDir ?? (await mkdtemp(path.join(tmpdir(), 'kvr-azure-')));
  const ca = await createTransportCa();
  const caPath = path.join(dir, 'azure-sandbox-ca.pem');
  await writeFile(caPath, ca.certPem, { mode: 0o644 });
  await world.cas.fillRsaPool(options.rsaPoolSize ?? 2);
  const servers = await startServers(
    world,
    tokens,
    ca,
    options.batchRegions ?? ['westeurope', 'northeurope', 'eastus', 'westus2'],
  );

  const proxyUrl = `http://127.0.0.1:${servers.proxyPort}`;
  const armEndpoint = `https://${ARM_HOST}`;
  const authorityHost = `https://${LOGIN_HOST}`;
  const env: Record<string, string> = {
    AZURE_TENANT_ID: world.tenantId,
    AZURE_CLIENT_ID: operator.clientId,
    AZURE_CLIENT_SECRET: secret,
    AZURE_AUTHORITY_HOST: authorityHost,
    AZURE_SUBSCRIPTION_ID: world.subscriptionId,
    AZURE_RESOURCE_MANAGER_ENDPOINT: armEndpoint,
    NODE_EXTRA_CA_CERTS: caPath,
    HTTPS_PROXY: proxyUrl,
    NO_PROXY: '127.0.0.1,localhost',
  };
  const agent = new SandboxAgent(servers.httpsPort, ca.certPem);
  let closed = false;
  return {
    world,
    clock: world.clock,
    counters: world.counters,
    faults: world.faults,
    proxyUrl,
    directUrl: `https://127.0.0.1:${servers.httpsPort}`,
    caPem: ca.certPem,
    caPath,
    tenantId: world.tenantId,
    subscriptionId: world.subscriptionId,
    armEndpoint,
    authorityHost,
    operator: { ...operator, secret },
    env,
    agent,
    async close() {
      if (closed) return;
      closed = true;
      agent.destroy();
      await servers.close();
      await world.settle();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
