// Long-running operations, resumable across operator restarts. Every write that Azure runs as an LRO
// returns an `LroHandle` once the initial request was accepted; its `resumeToken` is a string the
// controller keeps in status. After a crash, `resumeOperation(token)` (in operations.ts) rebuilds the
// poller from it, so the operator waits for the same operation instead of sending the write again.
//
// Two poller generations are wrapped: @azure/core-lro 3 (`PollerLike`: arm-compute 24) and core-lro 2
// (`SimplePollerLike`: arm-servicefabric 3, arm-batch 9). Key Vault's create-certificate operation is
// keyed by the certificate's name, so its token holds only the names (keyvault.ts resumes the SDK's create
// poller at "started", which polls the pending operation).
import { TerminalError, TransientError } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
import { classifyAzureError } from './errors.js';
export const LroKind = {
    ScaleSetUpdate: 'ScaleSetUpdate',
    ClusterPut: 'ClusterPut',
    PoolDelete: 'PoolDelete',
    CertificateCreate: 'CertificateCreate',
};
export function encodeResumeToken(body) {
    return JSON.stringify(body);
}
export function decodeResumeToken(token) {
    let parsed;
    try {
        parsed = JSON.parse(token);
    }
    catch {
        throw new TerminalError('the stored operation resume token is not JSON', Reason.AzureError);
    }
    const o = parsed;
    const kinds = Object.values(LroKind);
    if (typeof o.kind !== 'string' || !kinds.includes(o.kind) || typeof o.state !== 'string') {
        throw new TerminalError('the stored operation resume token is not one kv-rollover wrote', Reason.AzureError);
    }
    return { kind: o.kind, state: o.state, resource: typeof o.resource === 'string' ? o.resource : '' };
}
function isV3(p) {
    return typeof p.serialize === 'function';
}
function statusOf(p) {
    return isV3(p) ? (p.operationState ?? { status: 'running' }) : p.getOperationState();
}
async function serializeOf(p) {
    return isV3(p) ? p.serialize() : p.toString();
}
function toState(status) {
    switch (status) {
        case 'succeeded':
            return 'succeeded';
        case 'failed':
            return 'failed';
        case 'canceled':
        case 'cancelled':
            return 'canceled';
        default:
            return 'running';
    }
}
function failure(state, error, ctx) {
    // A failed LRO (e.g. VMExtensionProvisioningError, an SF upgrade rolled back) is retried with backoff:
    // the next reconcile re-reads the world and re-plans; the message keeps Azure's reason.
    if (error !== undefined) {
        const classified = classifyAzureError(error, ctx);
        if (classified instanceof TransientError)
            return classified;
        if (classified.reason === Reason.AzureError) {
            return new TransientError(classified.message, Reason.AzureError, { cause: error });
        }
        return classified;
    }
    return new TransientError(`${ctx.operation} on ${ctx.resource ?? 'the resource'} ended ${state}`, Reason.AzureError);
}
export function decodePollerState(state) {
    const parsed = JSON.parse(state);
    if (!Array.isArray(parsed.args) || typeof parsed.poller !== 'string') {
        throw new TerminalError('the stored operation resume token has no poller state', Reason.AzureError);
    }
    return { args: parsed.args.map(String), poller: parsed.poller };
}
/**
 * Wraps an SDK poller whose initial request has been sent. `args` are what a resume needs besides the
 * poller's own state (e.g. resource group and name for the core-client SDKs' `resumeFrom`).
 */
export async function handleFromPoller(kind, poller, ctx, args = []) {
    if (isV3(poller))
        await poller.submitted();
    const resource = ctx.resource ?? '';
    const token = async () => encodeResumeToken({
        kind,
        state: JSON.stringify({ args, poller: await serializeOf(poller) }),
        resource,
    });
    const initialToken = await token();
    const progress = async () => {
        const { status, error } = statusOf(poller);
        const state = toState(status);
        const resumeToken = await token();
        return state === 'succeeded' || state === 'running'
            ? { state, resumeToken }
            : { state, resumeToken, error: failure(state, error, ctx) };
    };
    return {
        kind,
        resumeToken: initialToken,
        async poll() {
            const done = isV3(poller) ? poller.isDone : poller.isDone();
            if (!done) {
                try {
                    await poller.poll();
                }
                catch (err) {
                    const { status } = statusOf(poller);
                    const state = toState(status);
                    if (state === 'failed' || state === 'canceled') {
                        return { state, resumeToken: await token(), error: failure(state, err, ctx) };
                    }
                    throw classifyAzureError(err, ctx);
                }
            }
            return progress();
        },
        async wait() {
            try {
                await poller.pollUntilDone();
            }
            catch (err) {
                const { status } = statusOf(poller);
                const state = toState(status);
                throw state === 'failed' || state === 'canceled'
                    ? failure(state, err, ctx)
                    : classifyAzureError(err, ctx);
            }
            const { state } = await progress();
            if (state !== 'succeeded')
                throw failure(state, statusOf(poller).error, ctx);
        },
    };
}
//# sourceMappingURL=lro.js.map