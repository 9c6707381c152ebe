// Writes the `/status` subresource: the caller computes the whole new status from the stored one; the
// writer stamps observedGeneration, compares (deep equality, nothing ignored) and skips the request when
// nothing changed, otherwise sends ONE JSON merge patch (RFC 7386) carrying only the difference plus
// `metadata.resourceVersion` as an optimistic-concurrency precondition. On 409 Conflict it re-reads the
// object and recomputes — the caller's `compute` sees the fresh status, so conditions keep their
// lastTransitionTime. It never sends `spec` (the status subresource ignores it anyway).
//
// client-node's default patch Content-Type is json-patch (test-substrate §1): the merge-patch type is
// set explicitly. Source: https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { TransientError } from '../domain/errors.js';
import { classifyKubeError, isConflict, isNotFound, KUBERNETES_API_ERROR } from './errors.js';
import { deepEqual, mergePatchDiff, toJson } from './json-diff.js';
export function kubeStatusClient(kc) {
    const api = kc.makeApiClient(CustomObjectsApi);
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    return {
        async getStatus(kind, namespace, name) {
            return (await api.getNamespacedCustomObjectStatus({
                group: kind.group,
                version: kind.version,
                plural: kind.plural,
                namespace,
                name,
            }));
        },
        async patchStatus(kind, namespace, name, body) {
            return (await api.patchNamespacedCustomObjectStatus({ group: kind.group, version: kind.version, plural: kind.plural, namespace, name, body }, mergePatch));
        },
    };
}
export class StatusWriter {
    client;
    maxConflictRetries;
    constructor(client, maxConflictRetries = 5) {
        this.client = client;
        this.maxConflictRetries = maxConflictRetries;
    }
    async write(request) {
        const { kind } = request;
        const namespace = request.object.metadata.namespace ?? '';
        const name = request.object.metadata.name;
        const generation = request.object.metadata.generation;
        let current = request.object;
        for (let attempt = 0;; attempt++) {
            const computed = request.compute(current.status === undefined ? undefined : structuredClone(current.status));
            const desired = toJson({
                ...computed,
                ...(generation !== undefined ? { observedGeneration: generation } : {}),
            });
            const stored = current.status ?? {};
            if (deepEqual(stored, desired))
                return { written: false, object: current };
            const statusPatch = mergePatchDiff(stored, desired);
            try {
                const body = { metadata: { resourceVersion: current.metadata.resourceVersion }, status: statusPatch };
                const updated = await this.client.patchStatus(kind, namespace, name, body);
                return { written: true, object: updated };
            }
            catch (err) {
                if (isNotFound(err))
                    return { written: false, object: undefined };
                if (!isConflict(err))
                    throw classifyKubeError(err, `patch status of ${kind.kind} ${namespace}/${name}`);
                if (attempt >= this.maxConflictRetries) {
                    throw new TransientError(`status of ${kind.kind} ${namespace}/${name}: still conflicting after ${attempt + 1} attempts`, KUBERNETES_API_ERROR, { cause: err });
                }
            }
            try {
                current = await this.client.getStatus(kind, namespace, name);
            }
            catch (err) {
                if (isNotFound(err))
                    return { written: false, object: undefined };
                throw classifyKubeError(err, `read ${kind.kind} ${namespace}/${name}`);
            }
        }
    }
}
//# sourceMappingURL=status-writer.js.map