// Pipeline policies added to every Azure client:
// - `metricsPolicy` (per retry: every HTTP attempt, including Key Vault's 401 challenge and each 429)
//   counts azure_requests_total / azure_request_duration_seconds / azure_throttled_total;
// - `captureRawPolicy` (per call: the final response of each request after retries) records the REST
//   body exactly as Azure returned it, so `kv-rollover snapshot` writes what the REST API says and the
//   domain parsers read the same bytes the snapshot holds.
// Both read the current call's scope from AsyncLocalStorage: the SDKs give no other hook that also
// sees the requests of paged lists and LRO polls.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { azureRequestDurationSeconds, azureRequestsTotal, azureThrottledTotal, } from '../observability/metrics.js';
const scopes = new AsyncLocalStorage();
/** Runs `fn` with `operation` as the metrics label of every request it makes. */
export function inOperation(operation, fn) {
    return scopes.run({ operation, captured: undefined }, fn);
}
/**
 * Runs `fn` (one SDK call, paged or not) and returns the final responses of its requests, in order.
 * Use only for responses that hold public material.
 */
export async function captureResponses(operation, fn) {
    const captured = [];
    const result = await scopes.run({ operation, captured }, fn);
    return { result, responses: captured };
}
/**
 * A bounded label for requests made outside any scope (e.g. a poller resumed later):
 * `GET Microsoft.Compute/virtualMachineScaleSets/virtualMachines`, `GET certificates/versions`.
 */
export function operationFromRequest(method, url) {
    let path;
    try {
        path = new URL(url).pathname.split('/').filter((s) => s !== '');
    }
    catch {
        return method;
    }
    const providers = path.map((s) => s.toLowerCase()).lastIndexOf('providers');
    if (providers >= 0 && path[providers + 1] !== undefined) {
        // ARM: namespace, then alternating type/name segments; a trailing odd segment is a collection or action.
        const types = [path[providers + 1]];
        for (let i = providers + 2; i < path.length; i += 2)
            types.push(path[i]);
        return `${method} ${types.join('/')}`;
    }
    // Key Vault (`/certificates/{name}[/{version}|/versions|/policy|/pending]`) and Batch (`/pools/{id}/nodes/...`).
    const keywords = new Set(['versions', 'policy', 'pending', 'nodes', 'extensions', 'issuers', 'contacts']);
    const head = path[0] ?? '';
    const rest = path.slice(1).filter((s) => keywords.has(s.toLowerCase()));
    return `${method} ${[head, ...rest].join('/')}`;
}
function operationOf(request) {
    return scopes.getStore()?.operation ?? operationFromRequest(request.method, request.url);
}
export function metricsPolicy(service) {
    return {
        name: `kvrollover-metrics-${service}`,
        async sendRequest(request, next) {
            const operation = operationOf(request);
            const started = performance.now();
            let code = 'error';
            try {
                const response = await next(request);
                code = String(response.status);
                return response;
            }
            catch (err) {
                const status = err.statusCode;
                if (typeof status === 'number')
                    code = String(status);
                throw err;
            }
            finally {
                azureRequestsTotal.inc({ service, operation, code });
                azureRequestDurationSeconds.observe({ service, operation }, (performance.now() - started) / 1000);
                if (code === '429')
                    azureThrottledTotal.inc({ service });
            }
        },
    };
}
export const captureRawPolicy = {
    name: 'kvrollover-capture-raw',
    async sendRequest(request, next) {
        const response = await next(request);
        const captured = scopes.getStore()?.captured;
        if (captured !== undefined) {
            captured.push({
                method: request.method,
                url: request.url,
                status: response.status,
                bodyAsText: response.bodyAsText ?? undefined,
            });
        }
        return response;
    },
};
/** The `additionalPolicies` every core-rest-pipeline based client gets. */
export function kvrolloverPolicies(service) {
    return [
        { policy: captureRawPolicy, position: 'perCall' },
        { policy: metricsPolicy(service), position: 'perRetry' },
    ];
}
/** The last 2xx response with `method` among the captured ones (the final answer of a single GET). */
export function lastSuccessful(responses, method = 'GET') {
    for (let i = responses.length - 1; i >= 0; i--) {
        const r = responses[i];
        if (r !== undefined && r.method === method && r.status >= 200 && r.status < 300)
            return r;
    }
    return undefined;
}
//# sourceMappingURL=pipeline.js.map