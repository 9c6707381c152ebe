// What both controllers share inside one operator process: the operator's Azure credential, the
// per-namespace credentials of `spec.azure.credentialRef` Secrets, one Azure client set per
// (credential, subscription), ONE vault watcher for every resource of every kind (one poll per distinct
// certificate, design §9), the per-version bundle cache, and the "Azure reachable" readiness probe.
import { CoreV1Api } from '@kubernetes/client-node';
import { AzureClients } from '../azure/clients.js';
import { scopeOf } from '../azure/cloud.js';
import { CredentialCache, credentialFromEnvironment, decodeSecretData, } from '../azure/credentials.js';
import { listCertificateVersions } from '../azure/keyvault.js';
import { TerminalError, errorMessage } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
import { systemRuntimeClock } from '../kube/clock.js';
import { cachedCheck } from '../observability/health.js';
import { VaultBodiesCache } from './vault-bodies.js';
import { cachedVaultSource, readVersionBodies } from './vault-source.js';
import { VaultWatcher } from './vault-watcher.js';
/** Key Vault clients need a subscription for nothing: any id serves the data plane. */
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export function subscriberId(kind, key) {
    return `${kind}/${key}`;
}
export function createAzureContext(options) {
    const env = options.env ?? process.env;
    const operator = credentialFromEnvironment(options.cloud, env);
    const credentials = new CredentialCache(options.cloud, env);
    const clientSets = new Map();
    const core = options.kubeConfig.makeApiClient(CoreV1Api);
    const clientsOf = (credential, subscriptionId) => {
        let bySubscription = clientSets.get(credential);
        if (bySubscription === undefined)
            clientSets.set(credential, (bySubscription = new Map()));
        let clients = bySubscription.get(subscriptionId);
        if (clients === undefined) {
            clients = new AzureClients({
                cloud: options.cloud,
                credential: credential.credential,
                subscriptionId,
                ...(options.lroIntervalMs === undefined ? {} : { lroIntervalMs: options.lroIntervalMs }),
            });
            bySubscription.set(subscriptionId, clients);
        }
        return clients;
    };
    const vaultClients = clientsOf(operator, operator.subscriptionId ?? NO_SUBSCRIPTION);
    const bodies = new VaultBodiesCache((vault, certificate, version) => readVersionBodies(vaultClients, vault, certificate, version));
    const watcher = new VaultWatcher({
        poll: async (vault, certificate) => (await listCertificateVersions(vaultClients, vault, certificate)).body,
        notify: (subscriber) => options.onVaultChange(subscriber),
        clock: options.clock ?? systemRuntimeClock,
        intervalMs: options.vaultPollIntervalMs,
        onError: (target, err) => options.log.warn({
            reason: Reason.AzureError,
            vault: target.vault,
            certificate: target.certificate,
            err: errorMessage(err),
        }, 'Vault poll failed'),
    });
    const armScope = scopeOf(options.cloud.resourceManagerAudience);
    const probe = cachedCheck(async () => {
        try {
            await operator.credential.getToken(armScope);
            return { ok: true };
        }
        catch (err) {
            return { ok: false, message: `Azure authentication failed: ${errorMessage(err)}` };
        }
    }, 60_000, 15_000);
    return {
        async clientsFor(namespace, azure) {
            if (azure.credentialRef === undefined)
                return clientsOf(operator, azure.subscriptionId);
            const name = azure.credentialRef.name;
            let secret;
            try {
                secret = await core.readNamespacedSecret({ namespace, name });
            }
            catch (err) {
                const code = err.code;
                if (code === 404)
                    throw new TerminalError(`credential Secret ${namespace}/${name} (spec.azure.credentialRef) does not exist`, Reason.ResourceNotFound);
                throw err;
            }
            const credential = credentials.forSecret(namespace, name, decodeSecretData(secret.data));
            return clientsOf(credential, azure.subscriptionId);
        },
        vaultSourceFor: (clients) => cachedVaultSource(clients, watcher, bodies),
        watch: (subscriber, targets) => watcher.setWatches(subscriber, targets),
        unwatch: (subscriber) => watcher.unwatchAll(subscriber),
        pollNow: (vault, certificate) => watcher.pollNow(vault, certificate, 'event_grid'),
        probe,
        stop: () => watcher.stop(),
    };
}
//# sourceMappingURL=azure-context.js.map