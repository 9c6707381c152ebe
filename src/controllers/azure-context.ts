// What both controllers share inside one operator process: the operator's Azure credential, the
// per-namespace credentials of `spec.azure.credentialRef` Secrets, one Azure client set per
// (credential, subscription), ONE vault watcher for every resource of every kind (one poll per distinct
// certificate, design §9), the per-version bundle cache, and the "Azure reachable" readiness probe.
import { KubernetesObjectApi, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { AzureClients } from '../azure/clients.js';
import { scopeOf, type AzureCloud } from '../azure/cloud.js';
import {
  CredentialCache,
  credentialFromEnvironment,
  decodeSecretData,
  type OperatorCredential,
} from '../azure/credentials.js';
import { listCertificateVersions } from '../azure/keyvault.js';
import { TerminalError, errorMessage } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
import { systemRuntimeClock, type RuntimeClock } from '../kube/clock.js';
import type { ObjectKey } from '../kube/types.js';
import { cachedCheck, type Check } from '../observability/health.js';
import type { VaultSource } from './service-fabric/gather.js';
import { SharedReads } from './shared-reads.js';
import { VaultBodiesCache } from './vault-bodies.js';
import { cachedVaultSource, readVersionBodies } from './vault-source.js';
import { VaultWatcher, type WatchTarget } from './vault-watcher.js';

/** Key Vault clients need a subscription for nothing: any id serves the data plane. */
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

export interface AzureContextOptions {
  readonly cloud: AzureCloud;
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  readonly vaultPollIntervalMs: number;
  /** Called with the subscriber id (`Kind/namespace/name`) when its certificate changed in the vault. */
  readonly onVaultChange: (subscriber: string) => void;
  readonly clock?: RuntimeClock;
  readonly env?: NodeJS.ProcessEnv;
  /** Interval between polls of long-running operations (the SDKs' default when undefined). */
  readonly lroIntervalMs?: number;
}

export interface AzureContext {
  /** Clients for a resource: its namespace's `credentialRef` Secret, or the operator's own identity. */
  clientsFor(
    namespace: string,
    azure: { readonly subscriptionId: string; readonly credentialRef?: { readonly name: string } },
  ): Promise<AzureClients>;
  /** Vault reads for a resource: versions from the watcher, bundles from the shared cache. */
  vaultSourceFor(clients: AzureClients): VaultSource;
  /** The same, with the versions list read from the vault now (before a change nodes act on at once). */
  freshVaultSourceFor(clients: AzureClients): VaultSource;
  watch(subscriber: string, targets: readonly WatchTarget[]): void;
  unwatch(subscriber: string): void;
  /**
   * The watcher's summary of a certificate's versions (latest, enabled set) as a comparable string;
   * undefined before its first poll.
   */
  vaultState(vault: string, certificate: string): string | undefined;
  /** Identity and vault-access reads reused by converged resources (src/controllers/shared-reads.ts). */
  readonly sharedReads: SharedReads;
  /** Event Grid: poll a certificate now. */
  pollNow(vault: string, certificate: string): boolean;
  readonly probe: Check;
  stop(): void;
}

export function subscriberId(kind: string, key: ObjectKey): string {
  return `${kind}/${key}`;
}

export function createAzureContext(options: AzureContextOptions): AzureContext {
  const env = options.env ?? process.env;
  const operator = credentialFromEnvironment(options.cloud, env);
  const credentials = new CredentialCache(options.cloud, env);
  const clientSets = new Map<OperatorCredential, Map<string, AzureClients>>();
  // The generic client, not CoreV1Api: this GET is the operator's only core/v1 call, and CoreV1Api's
  // generated code is a tenth of the bundle (README, "Benchmark").
  const objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
  const clientsOf = (credential: OperatorCredential, subscriptionId: string): AzureClients => {
    let bySubscription = clientSets.get(credential);
    if (bySubscription === undefined)
      clientSets.set(credential, (bySubscription = new Map<string, AzureClients>()));
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
  const bodies = new VaultBodiesCache((vault, certificate, version) =>
    readVersionBodies(vaultClients, vault, certificate, version),
  );
  const watcher = new VaultWatcher({
    poll: async (vault, certificate) =>
      (await listCertificateVersions(vaultClients, vault, certificate)).body,
    notify: (subscriber) => options.onVaultChange(subscriber),
    clock: options.clock ?? systemRuntimeClock,
    intervalMs: options.vaultPollIntervalMs,
    onError: (target, err) =>
      options.log.warn(
        {
          reason: Reason.AzureError,
          vault: target.vault,
          certificate: target.certificate,
          err: errorMessage(err),
        },
        'Vault poll failed',
      ),
  });
  const armScope = scopeOf(options.cloud.resourceManagerAudience);
  const probe = cachedCheck(
    async () => {
      try {
        await operator.credential.getToken(armScope);
        return { ok: true };
      } catch (err: unknown) {
        return { ok: false, message: `Azure authentication failed: ${errorMessage(err)}` };
      }
    },
    60_000,
    15_000,
  );
  return {
    async clientsFor(namespace, azure) {
      if (azure.credentialRef === undefined) return clientsOf(operator, azure.subscriptionId);
      const name = azure.credentialRef.name;
      let secret;
      try {
        secret = await objects.read<V1Secret>({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { namespace, name },
        });
      } catch (err: unknown) {
        const code = (err as { code?: number }).code;
        if (code === 404)
          throw new TerminalError(
            `credential Secret ${namespace}/${name} (spec.azure.credentialRef) does not exist`,
            Reason.ResourceNotFound,
          );
        throw err;
      }
      const credential = credentials.forSecret(namespace, name, decodeSecretData(secret.data));
      return clientsOf(credential, azure.subscriptionId);
    },
    vaultSourceFor: (clients) => cachedVaultSource(clients, watcher, bodies),
    freshVaultSourceFor: (clients) => ({
      versions: async (vault, certificate) =>
        (await listCertificateVersions(clients, vault, certificate)).body,
      versionBodies: (vault, certificate, version) => bodies.get(vault, certificate, version),
    }),
    vaultState: (vault, certificate) => {
      const summary = watcher.cached(vault, certificate)?.summary;
      return summary === undefined ? undefined : `${summary.latest ?? ''}|${summary.enabledSet.join(',')}`;
    },
    sharedReads: new SharedReads(() => (options.clock ?? systemRuntimeClock).now()),
    watch: (subscriber, targets) => watcher.setWatches(subscriber, targets),
    unwatch: (subscriber) => watcher.unwatchAll(subscriber),
    pollNow: (vault, certificate) => watcher.pollNow(vault, certificate, 'event_grid'),
    probe,
    stop: () => watcher.stop(),
  };
}
