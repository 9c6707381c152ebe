import { armError } from '../azure/router.js';
/** ARM refuses requests without `api-version` [KV-AUTH for Key Vault; ARM behaves the same]. */
export function missingApiVersion(ctx) {
    const version = ctx.query.get('api-version');
    if (version !== null && version !== '')
        return undefined;
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
}
export function resourceNotFound(type, name, resourceGroup) {
    return armError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}
export function resourceGroupNotFound(resourceGroup) {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * PATCH semantics used by ARM resource providers: objects merge recursively, arrays and scalars
 * replace, and `null` removes a key (how a user-assigned identity is dropped from `userAssignedIdentities`).
 */
export function mergePatch(target, patch) {
    if (!isRecord(patch))
        return structuredClone(patch);
    const base = isRecord(target) ? structuredClone(target) : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null)
            delete base[key];
        else if (isRecord(value))
            base[key] = mergePatch(base[key], value);
        else if (value !== undefined)
            base[key] = structuredClone(value);
    }
    return base;
}
export function asRecord(value) {
    return isRecord(value) ? value : undefined;
}
/** ARM error for a body that is not a JSON object. */
export function invalidBody() {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
}
/** Drops `undefined` so JSON bodies carry only what is set. */
export function compact(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=rest.js.map