// Route registry of the Azure emulator's single HTTPS server. Every simulated service (ARM resource
// providers, Key Vault, AAD, Batch data plane) registers its operations here; the server authenticates,
// throttles, injects faults and counts before a handler runs, so handlers only model the resource.
function splitPath(path) {
    return path.split('/').filter((s) => s.length > 0);
}
/**
 * Patterns are paths with `:name` segments, e.g.
 * `/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/vaults/:vault`. A final `*name`
 * segment captures the rest of the path. Literal segments match case-insensitively, as ARM does.
 */
export class Router {
    routes = [];
    register(method, hostKind, pattern, handler, options = {}) {
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
    match(method, hostKind, path) {
        const parts = splitPath(path);
        let best;
        for (const route of this.routes) {
            if (route.hostKind !== hostKind || route.method !== method)
                continue;
            const params = matchSegments(route.segments, parts);
            if (!params)
                continue;
            const literals = route.segments.filter((s) => !s.startsWith(':') && !s.startsWith('*')).length;
            if (!best || literals > best.literals)
                best = { match: { route, params }, literals };
        }
        return best?.match;
    }
    /** True when some route of this host kind matches the path with another method (405 rather than 404). */
    hasPath(hostKind, path) {
        const parts = splitPath(path);
        return this.routes.some((r) => r.hostKind === hostKind && matchSegments(r.segments, parts) !== undefined);
    }
}
function matchSegments(segments, parts) {
    const params = {};
    for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        if (seg.startsWith('*')) {
            params[seg.slice(1)] = parts.slice(i).join('/');
            return params;
        }
        const part = parts[i];
        if (part === undefined)
            return undefined;
        if (seg.startsWith(':'))
            params[seg.slice(1)] = part;
        else if (seg.toLowerCase() !== part.toLowerCase())
            return undefined;
    }
    return parts.length === segments.length ? params : undefined;
}
// ---- response helpers ----------------------------------------------------------------------------
export function json(status, body, headers = {}) {
    return { status, body, headers };
}
export function noContent(status = 204, headers = {}) {
    return { status, headers };
}
/** ARM error envelope [ARM-ASYNC]: `{ error: { code, message } }`. */
export function armError(status, code, message, headers = {}) {
    return { status, body: { error: { code, message } }, headers };
}
/**
 * Key Vault error envelope [KV-SPEC KeyVaultError]: `{ error: { code, message, innererror? } }`.
 * The SDK surfaces `error.code` as `RestError.code`.
 */
export function vaultError(status, code, message, innerCode, headers = {}) {
    const error = { code, message };
    if (innerCode)
        error['innererror'] = { code: innerCode };
    return { status, body: { error }, headers };
}
/** AAD OAuth2 error body, e.g. `invalid_client` with `AADSTS7000215: Invalid client secret provided.` */
export function aadError(status, error, description, codes) {
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
//# sourceMappingURL=router.js.map