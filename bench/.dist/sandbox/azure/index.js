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
import { TokenIssuer } from './identity/tokens.js';
import { registerVaultService } from './keyvault/service.js';
import { ARM_HOST, LOGIN_HOST, startServers } from './server.js';
import { createTransportCa } from './tls.js';
import { AzureWorld } from './world.js';
export { AzureWorld } from './world.js';
export async function startAzureSandbox(options = {}) {
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
    for (const provider of options.providers ?? [])
        world.registerArmProvider(provider);
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
    const servers = await startServers(world, tokens, ca, options.batchRegions ?? ['westeurope', 'northeurope', 'eastus', 'westus2']);
    const proxyUrl = `http://127.0.0.1:${servers.proxyPort}`;
    const armEndpoint = `https://${ARM_HOST}`;
    const authorityHost = `https://${LOGIN_HOST}`;
    const env = {
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
            if (closed)
                return;
            closed = true;
            agent.destroy();
            await servers.close();
            await world.settle();
            if (ownDir)
                await rm(dir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=index.js.map