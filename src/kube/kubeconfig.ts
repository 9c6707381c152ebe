// One connection pool to the API server per process. @kubernetes/client-node 2.x builds a new undici
// Agent for every API request (`applySecurityAuthentication` → `createDispatcher`), so no connection
// is ever reused: each request pays a TLS handshake and leaves its socket open until undici's
// keep-alive timeout. Under a burst of reconciles the benchmark saw ~1,100 idle TLS sockets and
// ~300 MB of native memory in the operator (issue 8). PooledKubeConfig keeps the first dispatcher
// made for a given TLS identity (server, CA, client certificate) and hands it to every later request.
// Users whose credentials come from an exec plugin or auth provider may get a new client certificate
// at any request, so their dispatchers are never pooled (client-node's own behaviour).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];
type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

function fileOrUndefined(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export class PooledKubeConfig extends KubeConfig {
  private readonly dispatchers = new Map<string, Dispatcher>();

  /** A digest of what the dispatcher's TLS depends on (never the key material itself), or undefined. */
  private tlsIdentity(): string | undefined {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (cluster === null || user === null) return undefined;
    if (user.exec !== undefined || user.authProvider !== undefined) return undefined;
    const parts = [
      cluster.server,
      cluster.tlsServerName,
      cluster.skipTLSVerify,
      cluster.proxyUrl,
      cluster.caData ?? fileOrUndefined(cluster.caFile),
      user.certData ?? fileOrUndefined(user.certFile),
      user.keyData ?? fileOrUndefined(user.keyFile),
    ];
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const created = context.getDispatcher();
    const identity = this.tlsIdentity();
    if (created === undefined || identity === undefined) return;
    const shared = this.dispatchers.get(identity);
    if (shared === undefined) {
      // A rotated CA or client certificate makes a new identity: retire the old pool gracefully.
      for (const old of this.dispatchers.values()) void old.close().catch(() => undefined);
      this.dispatchers.clear();
      this.dispatchers.set(identity, created);
      return;
    }
    context.setDispatcher(shared);
    // The fresh one never connected: nothing to wait for.
    void created.destroy().catch(() => undefined);
  }

  /** Closes the pooled connections (at shutdown). */
  async closeConnections(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}
