// Route registry of the Azure emulator's single HTTPS server. Every simulated service (ARM resource
// providers, Key Vault, AAD, Batch data plane) registers its operations here; the server authenticates,
// throttles, injects faults and counts before a handler runs, so handlers only model the resource.

import type { IncomingHttpHeaders } from 'node:http';

/** Which Azure front door a request reached; decided from the Host header (see server.ts). */
export type HostKind = 'arm' | 'vault' | 'login' | 'batch';

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE' | 'HEAD';

/** The caller, as proven by a bearer token the sandbox's AAD issued (see identity/tokens.ts). */
export interface Principal {
  readonly tenantId: string;
  /** Application (client) id: `appid` claim. */
  readonly appId: string;
  /** Object id of the service principal or managed identity: `oid` claim. */
  readonly objectId: string;
  /** Audience the token was issued for, e.g. `https://management.azure.com`. */
  readonly audience: string;
}

export interface RequestContext {
  readonly method: HttpMethod;
  readonly hostKind: HostKind;
  /** Host name the client addressed, lower case, without port (e.g. `myvault.vault.azure.net`). */
  readonly host: string;
  /**
   * The first DNS label for vault and batch hosts: the vault name, or the Batch account name
   * (`<account>.<region>.batch.azure.com`); empty for arm and login.
   */
  readonly hostName: string;
  /** Region for batch hosts (`<account>.<region>.batch.azure.com`); empty otherwise. */
  readonly hostRegion: string;
  /** Decoded path, without query string. */
  readonly path: string;
  /** Values of the `:name` segments of the matched pattern, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Decoded query (`api%2Dversion` arrives as `api-version`). */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The body parsed as JSON when the request declared a JSON (or no) content type and parsed; else undefined. */
  readonly body: unknown;
  /** Authenticated caller; undefined only on routes registered with `auth: false`. */
  readonly principal: Principal | undefined;
  /** Absolute base URL the client used, e.g. `https://management.azure.com` — for nextLink and LRO URLs. */
  readonly baseUrl: string;
  /** Operation name recorded in counters and matched by fault rules. */
  readonly operation: string;
}

export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless `raw` is set. `undefined` sends an empty body. */
  body?: unknown;
  /** Raw body (already serialised), sent as is. Takes precedence over `body`. */
  raw?: string | Buffer;
}

export type RouteHandler = (ctx: RequestContext) => RouteResponse | Promise<RouteResponse>;

export interface RouteOptions {
  /**
   * Operation name for counters, faults and throttling classes, e.g.
   * `Microsoft.Compute/virtualMachineScaleSets/read`. Defaults to `METHOD pattern`.
   */
  operation?: string;
  /** Require a bearer token for the host's audience (default true; AAD's own endpoints pass false). */
  auth?: boolean;
  /**
   * Key Vault throttling class [KV-LIM]: `create` counts against the 300-per-10-s CREATE/IMPORT budget
   * as well as the all-transactions budget. Default `all`.
   */
  vaultClass?: 'all' | 'create';
  /** ARM throttling class [ARM-THR]; defaults from the method (GET/HEAD read, DELETE delete, else write). */
  armClass?: 'read' | 'write' | 'delete';
}

export interface Route {
  readonly method: HttpMethod;
  readonly hostKind: HostKind;
  readonly pattern: string;
  readonly handler: RouteHandler;
  readonly options: Required<Pick<RouteOptions, 'operation' | 'auth' | 'vaultClass'>> &
    Pick<RouteOptions, 'armClass'>;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * Patterns are paths with `:name` segments, e.g.
 * `/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/vaults/:vault`. A final `*name`
 * segment captures the rest of the path. Literal segments match case-insensitively, as ARM does.
 */
export class Router {
  private readonly routes: Route[] = [];

  register(
    method: HttpMethod,
    hostKind: HostKind,
    pattern: string,
    handler: RouteHandler,
    options: RouteOptions = {},
  ): void {
    const segments = splitPath(pattern);
    this.routes.push({
      method,
      hostKind,
      pattern,
      handler,
      segments,
      options: {
        operation: options.operation ?? `${method} ${pattern}`,
        auth: options.auth ?? true,
        vaultClass: options.vaultClass ?? 'all',
        ...(options.armClass ? { armClass: options.armClass } : {}),
      },
    });
  }

  /** The most specific route (most literal segments) wins, so `/vaults/:v/accessPolicies/:kind` beats a catch-all. */
  match(method: string, hostKind: HostKind, path: string): RouteMatch | undefined {
    const parts = splitPath(path);
    let best: { match: RouteMatch; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.hostKind !== hostKind || route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      const literals = route.segments.filter((s) => !s.startsWith(':') && !s.startsWith('*')).length;
      if (!best || literals > best.literals) best = { match: { route, params }, literals };
    }
    return best?.match;
  }

  /** True when some route of this host kind matches the path with another method (405 rather than 404). */
  hasPath(hostKind: HostKind, path: string): boolean {
    const parts = splitPath(path);
    return this.routes.some((r) => r.hostKind === hostKind && matchSegments(r.segments, parts) !== undefined);
  }
}

function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.startsWith('*')) {
      params[seg.slice(1)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

// ---- response helpers ----------------------------------------------------------------------------

export function json(status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse {
  return { status, body, headers };
}

export function noContent(status = 204, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers };
}

/** ARM error envelope [ARM-ASYNC]: `{ error: { code, message } }`. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): RouteResponse {
  return { status, body: { error: { code, message } }, headers };
}

/**
 * Key Vault error envelope [KV-SPEC KeyVaultError]: `{ error: { code, message, innererror? } }`.
 * The SDK surfaces `error.code` as `RestError.code`.
 */
export function vaultError(
  status: number,
  code: string,
  message: string,
  innerCode?: string,
  headers: Record<string, string> = {},
): RouteResponse {
  const error: Record<string, unknown> = { code, message };
  if (innerCode) error['innererror'] = { code: innerCode };
  return { status, body: { error }, headers };
}

/** AAD OAuth2 error body, e.g. `invalid_client` with `AADSTS7000215: Invalid client secret provided.` */
export function aadError(status: number, error: string, description: string, codes: number[]): RouteResponse {
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: codes,
      timestamp: new Date().toISOString().replace('T', ' ').replace('Z', 'Z'),
      trace_id: '00000000-0000-0000-0000-000000000000',
      correlation_id: '00000000-0000-0000-0000-000000000000',
    },
  };
}
