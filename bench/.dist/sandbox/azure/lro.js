// ARM long-running operations [ARM-ASYNC]. A resource provider handler answers 201/202 (or 200) with
// the headers of `LroHandle.headers()`; the SDK poller then follows `Azure-AsyncOperation` (status body
// `{status: InProgress|Succeeded|Failed|Canceled, error?}`) or `Location` (202 while running, then 200
// with the resource or 204). Without one of those headers the JS poller never polls (test-substrate §3),
// so every asynchronous write in the emulator must go through here.
import { randomUUID } from 'node:crypto';
import { armError, json, noContent } from './router.js';
const OP_PATH = '/subscriptions/:sub/providers/:ns/locations/:loc';
export class LroManager {
    clock;
    options;
    operations = new Map();
    constructor(clock, router, options) {
        this.clock = clock;
        this.options = options;
        router.register('GET', 'arm', `${OP_PATH}/operationStatuses/:id`, (ctx) => this.statusResponse(ctx), {
            operation: 'ARM/operationStatuses/read',
        });
        router.register('GET', 'arm', `${OP_PATH}/operationResults/:id`, (ctx) => this.resultResponse(ctx), {
            operation: 'ARM/operationResults/read',
        });
        clock.onAdvance(() => {
            for (const op of this.operations.values())
                this.evaluate(op);
        });
    }
    /**
     * Starts an operation for the request being handled. `ctx.operation` selects injected failures and
     * `ctx.baseUrl` makes the polling URLs point back at the host the client used.
     */
    begin(ctx, options) {
        const id = randomUUID();
        const injected = this.options.injectedFailure?.(ctx.operation);
        const op = {
            id,
            options: injected ? { ...options, failWith: injected } : options,
            startedAt: this.clock.now().getTime(),
            name: id,
            polls: 0,
            status: 'InProgress',
        };
        this.operations.set(id, op);
        const base = `${ctx.baseUrl}/subscriptions/${options.subscriptionId}/providers/${options.providerNamespace}/locations/${options.location}`;
        const apiVersion = 'api-version=2024-07-01';
        const asyncOperationUrl = `${base}/operationStatuses/${id}?${apiVersion}`;
        const locationUrl = `${base}/operationResults/${id}?${apiVersion}`;
        const retryAfter = String(this.options.retryAfterSeconds);
        return {
            id,
            asyncOperationUrl,
            locationUrl,
            headers: (kind = 'both') => ({
                ...(kind !== 'location' ? { 'Azure-AsyncOperation': asyncOperationUrl } : {}),
                ...(kind !== 'async' ? { Location: locationUrl } : {}),
                'Retry-After': retryAfter,
            }),
            status: () => op.status,
        };
    }
    /** Number of operations not yet terminal (benchmarks and tests read it). */
    pendingCount() {
        let n = 0;
        for (const op of this.operations.values())
            if (op.status === 'InProgress')
                n++;
        return n;
    }
    evaluate(op) {
        if (op.status !== 'InProgress')
            return;
        const now = this.clock.now();
        const progress = { polls: op.polls, elapsedMs: now.getTime() - op.startedAt, now };
        const o = op.options;
        const hasCondition = o.completeAfterPolls !== undefined || o.completeAfterMs !== undefined || o.isDone;
        const done = (!hasCondition && op.polls >= 1) ||
            (o.completeAfterPolls !== undefined && op.polls >= o.completeAfterPolls) ||
            (o.completeAfterMs !== undefined && progress.elapsedMs >= o.completeAfterMs) ||
            (o.isDone?.(progress) ?? false);
        if (!done)
            return;
        op.endedAt = now.getTime();
        const error = o.failWith ?? o.onComplete?.() ?? undefined;
        if (error) {
            op.status = 'Failed';
            op.error = error;
            o.onFailed?.(error);
        }
        else {
            op.status = 'Succeeded';
        }
    }
    find(ctx) {
        const op = this.operations.get(ctx.params['id'] ?? '');
        if (op && op.options.subscriptionId.toLowerCase() !== (ctx.params['sub'] ?? '').toLowerCase())
            return undefined;
        return op;
    }
    statusResponse(ctx) {
        const op = this.find(ctx);
        if (!op)
            return armError(404, 'OperationNotFound', `The operation '${ctx.params['id']}' was not found.`);
        op.polls++;
        this.evaluate(op);
        const body = {
            id: ctx.path,
            name: op.name,
            status: op.status,
            startTime: new Date(op.startedAt).toISOString(),
        };
        if (op.endedAt !== undefined)
            body['endTime'] = new Date(op.endedAt).toISOString();
        if (op.error)
            body['error'] = { code: op.error.code, message: op.error.message };
        const headers = op.status === 'InProgress' ? { 'Retry-After': String(this.options.retryAfterSeconds) } : {};
        return json(200, body, headers);
    }
    resultResponse(ctx) {
        const op = this.find(ctx);
        if (!op)
            return armError(404, 'OperationNotFound', `The operation '${ctx.params['id']}' was not found.`);
        op.polls++;
        this.evaluate(op);
        if (op.status === 'InProgress') {
            return noContent(202, {
                Location: `${ctx.baseUrl}${ctx.path}?${ctx.query.toString()}`,
                'Retry-After': String(this.options.retryAfterSeconds),
            });
        }
        if (op.error)
            return armError(400, op.error.code, op.error.message);
        const result = op.options.result?.();
        return result === undefined ? noContent(204) : json(200, result);
    }
}
//# sourceMappingURL=lro.js.map