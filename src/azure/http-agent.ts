// Connection reuse for Azure requests sent through an HTTPS proxy. Connecting directly, the SDKs keep
// connections alive (@typespec/ts-http-runtime's node client caches a keepAlive agent), but their proxy
// policy creates `new HttpsProxyAgent(proxyUrl)` without keepAlive: every request then opens a CONNECT
// tunnel and a TLS handshake — about half the operator's CPU per reconcile in the benchmark. The
// pipeline's `agent` option takes precedence over the proxy policy (it skips a request that already has
// an agent), so a client whose endpoint the proxy applies to gets one shared keep-alive proxy agent.
// The proxy is chosen exactly as the SDK's proxy policy does: HTTPS_PROXY, ALL_PROXY, HTTP_PROXY (upper
// case first), bypassed per NO_PROXY (`host` exact, `.domain` for the domain and its subdomains).
import type { Agent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';

const proxyAgents = new Map<string, Agent>();

/**
 * Only ever used for `https:` endpoints. agent-base decides "secure or not" from the request options'
 * `protocol`, which the SDK's node client does not set, and then from a stack trace of a new Error —
 * slow (a source-mapped stack per request) and inconsistent: a socket freed under the plain-HTTP pool
 * name is never found again under the HTTPS one, so keep-alive never reused a connection.
 */
class HttpsOnlyProxyAgent extends HttpsProxyAgent<string> {
  override isSecureEndpoint(): boolean {
    return true;
  }
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

/** The proxy URL the SDKs would use for `endpoint`, or undefined when it is reached directly. */
export function proxyFor(endpoint: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = envValue(env, 'HTTPS_PROXY') ?? envValue(env, 'ALL_PROXY') ?? envValue(env, 'HTTP_PROXY');
  if (proxy === undefined) return undefined;
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return proxy;
  }
  const bypass = (envValue(env, 'NO_PROXY') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bypassed = bypass.some((pattern) =>
    pattern.startsWith('.') ? host.endsWith(pattern) || host === pattern.slice(1) : host === pattern,
  );
  return bypassed ? undefined : proxy;
}

/**
 * The `agent` pipeline option for a client of `endpoint`: a keep-alive proxy agent shared by every
 * client behind the same proxy, or undefined (the SDK's own keep-alive agent) when no proxy applies.
 */
export function keepAliveAgentFor(endpoint: string, env: NodeJS.ProcessEnv = process.env): Agent | undefined {
  const proxy = proxyFor(endpoint, env);
  if (proxy === undefined || !endpoint.toLowerCase().startsWith('https:')) return undefined;
  let agent = proxyAgents.get(proxy);
  if (agent === undefined) {
    // Sockets idle longer than ARM's and Key Vault's front doors keep them would be reset anyway.
    agent = new HttpsOnlyProxyAgent(proxy, { keepAlive: true, keepAliveMsecs: 30_000, maxFreeSockets: 16 });
    proxyAgents.set(proxy, agent);
  }
  return agent;
}

/** `{ agent }` to spread into a client's options, or nothing. */
export function agentOption(endpoint: string): { agent?: Agent } {
  const agent = keepAliveAgentFor(endpoint);
  return agent === undefined ? {} : { agent };
}
