// The operator's HTTP endpoints: /metrics (Prometheus text from the shared registry), /healthz and
// /readyz (probes). controller-runtime serves metrics and probes on two addresses
// (--metrics-bind-address, --health-probe-bind-address); so do we — pass the same address twice to
// share one listener.
import { createServer } from 'node:http';
import { renderReport } from './health.js';
/** Parses `host:port`, `:port` (all interfaces) or `0` (disabled → undefined). */
export function parseBindAddress(value) {
    if (value === '0')
        return undefined;
    const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
    if (match === null)
        throw new Error(`expected host:port, :port or 0, got '${value}'`);
    const port = Number(match[3]);
    if (port > 65535)
        throw new Error(`port ${port} is out of range`);
    const host = match[1] ?? match[2] ?? '';
    return { host: host === '' ? '0.0.0.0' : host, port };
}
async function handle(req, res, endpoints) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status, contentType, body) => {
        res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
        return;
    }
    if (url.pathname === '/metrics' && endpoints.registry !== undefined) {
        send(200, endpoints.registry.contentType, await endpoints.registry.metrics());
        return;
    }
    const probe = url.pathname === '/healthz' ? 'healthz' : url.pathname === '/readyz' ? 'readyz' : undefined;
    if (probe !== undefined && endpoints.health !== undefined) {
        const report = probe === 'healthz' ? await endpoints.health.healthz() : await endpoints.health.readyz();
        send(report.ok ? 200 : 503, 'text/plain; charset=utf-8', renderReport(probe, report, url.searchParams.has('verbose')));
        return;
    }
    send(404, 'text/plain; charset=utf-8', 'not found\n');
}
export async function startHttpServer(bind, endpoints) {
    return startHandlerServer(bind, (req, res) => {
        handle(req, res, endpoints).catch((err) => {
            if (!res.headersSent)
                res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
        });
    });
}
/** Serves any request handler (the Event Grid webhook) on its own address. */
export async function startHandlerServer(bind, handler) {
    const server = createServer(handler);
    server.keepAliveTimeout = 5_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(bind.port, bind.host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const info = server.address();
    return {
        address: { host: info.address, port: info.port },
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=http-server.js.map