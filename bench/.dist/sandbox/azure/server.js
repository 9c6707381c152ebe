// Transport of the Azure emulator: one HTTPS server on 127.0.0.1 answering for Azure's real host names,
// and a CONNECT proxy on loopback that tunnels only those names to it. The Key Vault SDK refuses a vault
// whose host does not end in the challenge's resource domain (test-substrate §2), so vaults must be
// reached as `<vault>.vault.azure.net`: clients set HTTPS_PROXY to the proxy and trust the transport CA.
// The proxy never connects anywhere but the sandbox's own HTTPS port; any other host is refused.
//
// Every request passes, in order: host → service, route match, `api-version` check, bearer-token
// authentication for the service's audience, throttling, fault injection, the handler, counters.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import { AUDIENCES } from './identity/tokens.js';
import { armError, vaultError } from './router.js';
export const ARM_HOST = 'management.azure.com';
export const LOGIN_HOST = 'login.microsoftonline.com';
const VAULT_RE = /^([a-z0-9-]{3,24})\.vault\.azure\.net$/;
const BATCH_RE = /^([a-z0-9]{3,24})\.([a-z0-9]+)\.batch\.azure\.com$/;
const MAX_BODY = 16 * 1024 * 1024;
/** Host names the proxy tunnels (to the sandbox only). */
export function isSandboxHost(host) {
    const h = host.toLowerCase();
    return h === ARM_HOST || h === LOGIN_HOST || VAULT_RE.test(h) || BATCH_RE.test(h);
}
function classifyHost(rawHost) {
    const host = (rawHost ?? '')
        .replace(/:\d+$/, '')
        .replace(/^\[|\]$/g, '')
        .toLowerCase();
    if (host === ARM_HOST)
        return { kind: 'arm', host, hostName: '', hostRegion: '' };
    if (host === LOGIN_HOST)
        return { kind: 'login', host, hostName: '', hostRegion: '' };
    const v = VAULT_RE.exec(host);
    if (v)
        return { kind: 'vault', host, hostName: v[1], hostRegion: '' };
    const b = BATCH_RE.exec(host);
    if (b)
        return { kind: 'batch', host, hostName: b[1], hostRegion: b[2] };
    if (host === '127.0.0.1' || host === 'localhost' || host === '::1')
        return { kind: 'loopback', host, hostName: '', hostRegion: '' };
    return undefined;
}
export async function startServers(world, tokens, ca, batchRegions) {
    const defaultCert = await ca.issueServer([
        ARM_HOST,
        LOGIN_HOST,
        '*.vault.azure.net',
        ...batchRegions.map((r) => `*.${r}.batch.azure.com`),
        'localhost',
    ], ['127.0.0.1']);
    const sniCache = new Map();
    const server = https.createServer({
        cert: defaultCert.certPem,
        key: defaultCert.keyPem,
        // Batch hosts in regions not covered by the default certificate get a certificate of their own.
        SNICallback: (servername, cb) => {
            const name = servername.toLowerCase();
            if (!BATCH_RE.test(name) || batchRegions.includes(BATCH_RE.exec(name)[2])) {
                cb(null, undefined);
                return;
            }
            let ctx = sniCache.get(name);
            if (!ctx) {
                ctx = ca.issueServer([name]).then((c) => tls.createSecureContext({ cert: c.certPem, key: c.keyPem }));
                sniCache.set(name, ctx);
            }
            ctx.then((c) => cb(null, c), (e) => cb(e instanceof Error ? e : new Error(String(e))));
        },
    });
    server.on('request', (req, res) => {
        handle(world, tokens, req, res).catch(() => {
            // A malformed request must never take the sandbox down.
            if (!res.headersSent)
                res.writeHead(400).end();
            else
                res.destroy();
        });
    });
    await listen(server);
    const httpsPort = server.address().port;
    const tunnels = new Set();
    const proxy = http.createServer((req, res) => {
        // Plain-HTTP proxying (absolute-form requests) is not offered: Azure is HTTPS only.
        world.counters.record('proxy', 'HTTP refused', 403);
        res
            .writeHead(403, { 'Content-Type': 'text/plain' })
            .end('kv-rollover sandbox proxy: only CONNECT to Azure hosts is served\n');
        req.resume();
    });
    proxy.on('connect', (req, client, head) => {
        const target = req.url ?? '';
        const m = /^([^:]+):(\d+)$/.exec(target);
        const host = m?.[1]?.toLowerCase() ?? '';
        if (!m || m[2] !== '443' || !isSandboxHost(host)) {
            world.counters.record('proxy', 'CONNECT refused', 403);
            client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nkv-rollover sandbox proxy refuses ${target}: not an emulated Azure host\n`);
            return;
        }
        world.counters.record('proxy', 'CONNECT', 200);
        // The only outbound connection this proxy ever makes: to the sandbox's own HTTPS port on loopback.
        const upstream = net.connect(httpsPort, '127.0.0.1', () => {
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            if (head.length > 0)
                upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        tunnels.add(client).add(upstream);
        const cleanup = () => {
            tunnels.delete(client);
            tunnels.delete(upstream);
            client.destroy();
            upstream.destroy();
        };
        client.on('error', cleanup).on('close', cleanup);
        upstream.on('error', cleanup).on('close', cleanup);
    });
    await listen(proxy);
    const proxyPort = proxy.address().port;
    return {
        httpsPort,
        proxyPort,
        async close() {
            for (const s of tunnels)
                s.destroy();
            server.closeAllConnections();
            proxy.closeAllConnections();
            await Promise.all([closeServer(server), closeServer(proxy)]);
        },
    };
}
function listen(server) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
}
function closeServer(server) {
    return new Promise((resolve) => server.close(() => resolve()));
}
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on('data', (c) => {
            size += c.length;
            if (size > MAX_BODY) {
                reject(new Error('request body too large'));
                req.destroy();
                return;
            }
            chunks.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}
function parseJson(raw, contentType) {
    if (raw.length === 0)
        return undefined;
    if (contentType && !/json/i.test(contentType))
        return undefined;
    try {
        return JSON.parse(raw.toString('utf8'));
    }
    catch {
        return undefined;
    }
}
function errorFor(kind, status, code, message, headers = {}) {
    if (kind === 'vault' || kind === 'batch')
        return vaultError(status, code, message, undefined, headers);
    return armError(status, code, message, headers);
}
function send(res, kind, response) {
    const headers = { ...response.headers };
    const requestId = randomUUID();
    if (kind === 'arm') {
        headers['x-ms-request-id'] ??= requestId;
        headers['x-ms-correlation-request-id'] ??= requestId;
    }
    else if (kind === 'vault') {
        headers['x-ms-request-id'] ??= requestId;
        headers['x-ms-keyvault-service-version'] ??= '1.9.0.0';
        headers['x-ms-keyvault-region'] ??= 'westeurope';
    }
    else if (kind === 'login') {
        headers['x-ms-request-id'] ??= requestId;
    }
    let payload = response.raw;
    if (payload === undefined && response.body !== undefined) {
        payload = JSON.stringify(response.body);
        headers['Content-Type'] ??= 'application/json; charset=utf-8';
    }
    headers['Content-Length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
    res.writeHead(response.status, headers);
    res.end(payload);
}
async function handle(world, tokens, req, res) {
    const info = classifyHost(req.headers.host);
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    let rawBody;
    try {
        rawBody = await readBody(req);
    }
    catch {
        res.destroy();
        return;
    }
    if (!info) {
        send(res, 'arm', armError(421, 'MisdirectedRequest', `The sandbox does not serve host '${req.headers.host ?? ''}'.`));
        return;
    }
    const path = decodeURIComponent(url.pathname);
    // Direct loopback requests (an ARM endpoint of https://127.0.0.1:port) reach ARM or AAD by path.
    let kind = info.kind === 'loopback' ? 'arm' : info.kind;
    let match = world.router.match(method, kind, path);
    if (!match && info.kind === 'loopback' && world.router.match(method, 'login', path)) {
        kind = 'login';
        match = world.router.match(method, 'login', path);
    }
    if (!match) {
        const status = world.router.hasPath(kind, path) ? 405 : 404;
        world.counters.record(kind, 'unmatched', status);
        send(res, kind, status === 405
            ? errorFor(kind, 405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`)
            : kind === 'arm'
                ? armError(404, 'InvalidResourceType', `The resource type could not be found for path '${path}'.`)
                : errorFor(kind, 404, 'NotFound', `The requested path '${path}' was not found.`));
        return;
    }
    const { route, params } = match;
    const operation = route.options.operation;
    const finish = (response) => {
        world.counters.record(kind, operation, response.status);
        send(res, kind, response);
    };
    // Key Vault and ARM require api-version on every request [KV-AUTH][ARM].
    if ((kind === 'vault' || kind === 'arm') && !url.searchParams.get('api-version')) {
        finish(kind === 'vault'
            ? vaultError(400, 'BadParameter', 'The request URI contains an invalid or missing api-version query parameter.')
            : armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'));
        return;
    }
    let principal;
    if (route.options.auth && kind !== 'login') {
        const check = tokens.verify(req.headers.authorization, AUDIENCES[kind]);
        if (!check.ok) {
            finish(unauthenticated(kind, check.reason, world.tenantId, check.audience));
            return;
        }
        principal = check.principal;
    }
    // ARM knows one subscription (plus any a resource group was seeded in).
    const subInPath = kind === 'arm' ? /^\/subscriptions\/([^/]+)/i.exec(path)?.[1] : undefined;
    if (subInPath && !world.knowsSubscription(subInPath)) {
        finish(armError(404, 'SubscriptionNotFound', `The subscription '${subInPath}' could not be found.`));
        return;
    }
    // Throttling [ARM-THR][KV-LIM]; the remaining-budget headers go on every ARM answer.
    let throttleHeaders = {};
    if (kind === 'arm') {
        const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1] ?? 'tenant';
        const cls = route.options.armClass ??
            (method === 'GET' || method === 'HEAD' ? 'read' : method === 'DELETE' ? 'delete' : 'write');
        const d = world.throttle.arm(sub, principal?.objectId ?? 'anonymous', cls);
        throttleHeaders = d.headers;
        if (!d.allowed) {
            finish(armError(429, 'SubscriptionRequestsThrottled', `Number of '${cls}' requests for subscription '${sub}' actor '${principal?.objectId ?? ''}' exceeded. Please try again after '${d.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`, { ...d.headers, 'Retry-After': String(d.retryAfterSeconds) }));
            return;
        }
    }
    else if (kind === 'vault') {
        const d = world.throttle.vault(info.hostName, route.options.vaultClass);
        if (!d.allowed) {
            finish(vaultError(429, 'Throttled', 'Request was not allowed because application is throttled. For more details on throttling, please refer to https://aka.ms/kvthrottling', undefined, {
                'Retry-After': String(d.retryAfterSeconds),
            }));
            return;
        }
    }
    const fault = world.faults.take({ service: kind, operation, method, path });
    if (fault) {
        if (fault.type === 'timeout') {
            world.counters.record(kind, operation, 0);
            setTimeout(() => res.socket?.destroy(), fault.holdMs ?? 50).unref();
            return;
        }
        if (fault.type === 'throttle') {
            const retry = String(fault.retryAfterSeconds ?? 0);
            finish(errorFor(kind, 429, kind === 'arm' ? 'TooManyRequests' : 'Throttled', 'Request was throttled (injected fault).', { ...throttleHeaders, 'Retry-After': retry }));
            return;
        }
        const headers = { ...throttleHeaders };
        if (fault.retryAfterSeconds !== undefined)
            headers['Retry-After'] = String(fault.retryAfterSeconds);
        finish(errorFor(kind, fault.status, fault.code ?? (fault.status >= 500 ? 'InternalServerError' : 'BadRequest'), fault.message ?? 'Injected fault.', headers));
        return;
    }
    const ctx = {
        method,
        hostKind: kind,
        host: info.host,
        hostName: info.hostName,
        hostRegion: info.hostRegion,
        path,
        params,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody, req.headers['content-type']),
        principal,
        baseUrl: `https://${req.headers.host ?? info.host}`,
        operation,
    };
    let response;
    try {
        response = await route.handler(ctx);
    }
    catch (err) {
        response = errorFor(kind, 500, 'InternalServerError', `Sandbox handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    finish({ ...response, headers: { ...throttleHeaders, ...response.headers } });
}
function unauthenticated(kind, reason, tenantId, audience) {
    if (kind === 'vault') {
        // [KV-AUTH]: 401 with the challenge naming the authority and the resource to request a token for;
        // the authority host and body are as Key Vault sends them (recorded SDK test sessions).
        const challenge = `Bearer authorization="https://login.windows.net/${tenantId}", resource="https://vault.azure.net"`;
        const message = reason === 'missing'
            ? 'AKV10000: Request is missing a Bearer or PoP token.'
            : reason === 'audience'
                ? `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${audience ?? ''}.`
                : 'AKV10032: Invalid issuer or token.';
        return vaultError(401, 'Unauthorized', message, undefined, { 'WWW-Authenticate': challenge });
    }
    if (kind === 'batch') {
        return vaultError(401, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.', undefined, {
            'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${tenantId}", resource="https://batch.core.windows.net/"`,
        });
    }
    const headers = {
        'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/${tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
    };
    switch (reason) {
        case 'missing':
            return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", headers);
        case 'expired':
            return armError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.', headers);
        case 'audience':
            return armError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${audience ?? ''}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`, headers);
        case 'tenant':
            return armError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer. It must match the tenant 'https://sts.windows.net/${tenantId}/'.`, headers);
        default:
            return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', headers);
    }
}
//# sourceMappingURL=server.js.map