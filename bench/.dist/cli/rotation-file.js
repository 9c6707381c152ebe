// Reads the rotation resource a CLI verb is pointed at (`-f FILE`, YAML or JSON, one document) and
// validates it exactly as the API server would; invalid input is a usage error (exit status 2).
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { formatFieldErrors, validateBatchPoolRotation, validateServiceFabricRotation, } from '../api/index.js';
import { KIND_BATCH_POOL, KIND_SERVICE_FABRIC } from '../domain/names.js';
import { UsageError } from './usage-error.js';
export async function readRotationFile(path) {
    if (path === undefined)
        throw new UsageError('missing -f FILE: the rotation resource (YAML or JSON)');
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (err) {
        throw new UsageError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
    const first = docs[0];
    if (first === undefined)
        throw new UsageError(`${path} holds no resource`);
    if (docs.length > 1)
        throw new UsageError(`${path} holds ${docs.length} documents; give one resource per file`);
    if (first.errors.length > 0)
        throw new UsageError(`${path} is not valid YAML: ${first.errors[0]?.message ?? ''}`);
    const object = first.toJS();
    const kind = object?.kind;
    if (kind === KIND_SERVICE_FABRIC) {
        const result = validateServiceFabricRotation(object);
        if (!result.ok)
            throw new UsageError(`${path} is not a valid ${kind}:\n${formatFieldErrors(result.errors)}`);
        return { kind, resource: result.value };
    }
    if (kind === KIND_BATCH_POOL) {
        const result = validateBatchPoolRotation(object);
        if (!result.ok)
            throw new UsageError(`${path} is not a valid ${kind}:\n${formatFieldErrors(result.errors)}`);
        return { kind, resource: result.value };
    }
    throw new UsageError(`${path}: kind must be ${KIND_SERVICE_FABRIC} or ${KIND_BATCH_POOL}, not ${JSON.stringify(kind ?? null)}`);
}
//# sourceMappingURL=rotation-file.js.map