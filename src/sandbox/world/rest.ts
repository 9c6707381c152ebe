// Small REST helpers shared by the world's ARM resource providers (compute, Service Fabric, Batch).
import type { RequestContext, RouteResponse } from '../azure/router.js';
import { armError } from '../azure/router.js';

/** ARM refuses requests without `api-version` [KV-AUTH for Key Vault; ARM behaves the same]. */
export function missingApiVersion(ctx: RequestContext): RouteResponse | undefined {
  const version = ctx.query.get('api-version');
  if (version !== null && version !== '') return undefined;
  return armError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): RouteResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function resourceGroupNotFound(resourceGroup: string): RouteResponse {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * PATCH semantics used by ARM resource providers: objects merge recursively, arrays and scalars
 * replace, and `null` removes a key (how a user-assigned identity is dropped from `userAssignedIdentities`).
 */
export function mergePatch<T>(target: T, patch: unknown): T {
  if (!isRecord(patch)) return structuredClone(patch) as T;
  const base: Record<string, unknown> = isRecord(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else if (isRecord(value)) base[key] = mergePatch(base[key], value);
    else if (value !== undefined) base[key] = structuredClone(value);
  }
  return base as T;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** ARM error for a body that is not a JSON object. */
export function invalidBody(): RouteResponse {
  return armError(
    400,
    'InvalidRequestContent',
    'The request content was invalid and could not be deserialized.',
  );
}

/** Drops `undefined` so JSON bodies carry only what is set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
