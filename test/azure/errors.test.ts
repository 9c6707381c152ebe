import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../src/domain/errors.js';
import { Reason } from '../../src/domain/names.js';
import { azureCall, classifyAzureError, retryAfterMs } from '../../src/azure/errors.js';
import type { AzureCallContext } from '../../src/azure/errors.js';

const ctx: AzureCallContext = {
  service: 'arm',
  operation: 'updateScaleSet',
  resource: 'scale set "nt1vm" in resource group "sf-rg"',
  permission: 'Microsoft.Compute/virtualMachineScaleSets/write',
};

function restError(status: number, body?: unknown, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/x' });
  const bodyAsText = body === undefined ? undefined : JSON.stringify(body);
  return new RestError(`HTTP ${status}`, {
    statusCode: status,
    request,
    response: {
      status,
      headers: createHttpHeaders(headers),
      request,
      ...(bodyAsText === undefined ? {} : { bodyAsText }),
    },
  });
}

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('retryAfterMs', () => {
  const from = (h: Record<string, string>) => (n: string) => h[n];
  it('reads milliseconds headers first, then seconds, then an HTTP date', () => {
    expect(retryAfterMs(from({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(retryAfterMs(from({ 'x-ms-retry-after-ms': '40' }), NOW)).toBe(40);
    expect(retryAfterMs(from({ 'retry-after': '17' }), NOW)).toBe(17_000);
    expect(retryAfterMs(from({ 'retry-after': new Date(NOW + 5_000).toUTCString() }), NOW)).toBe(5_000);
    expect(retryAfterMs(from({ 'retry-after': new Date(NOW - 5_000).toUTCString() }), NOW)).toBe(0);
    expect(retryAfterMs(from({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfterMs(from({}), NOW)).toBeUndefined();
  });
});

describe('classifyAzureError', () => {
  it('429 is transient AzureThrottled with the Retry-After delay', () => {
    const e = classifyAzureError(
      restError(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '12' }),
      ctx,
      NOW,
    );
    expect(e).toBeInstanceOf(TransientError);
    expect(e.reason).toBe(Reason.AzureThrottled);
    expect((e as TransientError).retryAfterMs).toBe(12_000);
    expect(e.message).toContain('TooManyRequests');
  });

  it('5xx, 408 and timeouts without a response are transient AzureError', () => {
    for (const status of [500, 502, 503, 504, 408]) {
      const e = classifyAzureError(restError(status), ctx, NOW);
      expect(e).toBeInstanceOf(TransientError);
      expect(e.reason).toBe(Reason.AzureError);
    }
    const network = new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
    const e = classifyAzureError(network, ctx, NOW);
    expect(e).toBeInstanceOf(TransientError);
    expect(e.message).toContain('ECONNREFUSED');
    const abort = new Error('The operation was aborted.');
    abort.name = 'AbortError';
    expect(classifyAzureError(abort, ctx, NOW)).toBeInstanceOf(TransientError);
  });

  it("409 RetryableErrorDueToAnotherOperation is transient and keeps the RP's words", () => {
    const e = classifyAzureError(
      restError(409, {
        error: { code: 'RetryableErrorDueToAnotherOperation', message: 'Operation in progress.' },
      }),
      ctx,
      NOW,
    );
    expect(e).toBeInstanceOf(TransientError);
    expect(e.message).toContain('RetryableErrorDueToAnotherOperation: Operation in progress');
  });

  it('400 is terminal with the resource provider code and message', () => {
    const e = classifyAzureError(
      restError(400, {
        error: {
          code: 'InvalidCommonNameThumbprintPair',
          message: 'Common names and issuer thumbprints should not be both defined.',
        },
      }),
      ctx,
      NOW,
    );
    expect(e).toBeInstanceOf(TerminalError);
    expect(e.reason).toBe(Reason.AzureError);
    expect(e.message).toContain('InvalidCommonNameThumbprintPair');
    expect(e.message).toContain('should not be both defined');
    expect(e.message).toContain('nt1vm');
  });

  it('403 is terminal PermissionDenied naming the missing permission', () => {
    const e = classifyAzureError(
      restError(403, {
        error: { code: 'AuthorizationFailed', message: "The client 'x' does not have authorization" },
      }),
      ctx,
      NOW,
    );
    expect(e).toBeInstanceOf(TerminalError);
    expect(e.reason).toBe(Reason.PermissionDenied);
    expect(e.message).toContain('AuthorizationFailed');
    expect(e.message).toContain('Microsoft.Compute/virtualMachineScaleSets/write');
  });

  it('401 and credential failures are terminal PermissionDenied', () => {
    expect(classifyAzureError(restError(401), ctx, NOW).reason).toBe(Reason.PermissionDenied);
    const unavailable = new Error('WorkloadIdentityCredential: no token file');
    unavailable.name = 'CredentialUnavailableError';
    const e = classifyAzureError(unavailable, ctx, NOW);
    expect(e).toBeInstanceOf(TerminalError);
    expect(e.reason).toBe(Reason.PermissionDenied);
    const rejected = new Error('invalid_client: AADSTS7000215: Invalid client secret provided.');
    rejected.name = 'AuthenticationRequiredError';
    expect(classifyAzureError(rejected, ctx, NOW)).toBeInstanceOf(TerminalError);
    const aadDown = Object.assign(new Error('AAD 503'), { name: 'AuthenticationError', statusCode: 503 });
    expect(classifyAzureError(aadDown, ctx, NOW)).toBeInstanceOf(TransientError);
  });

  it('404 is terminal ResourceNotFound naming the resource', () => {
    const e = classifyAzureError(
      restError(404, {
        error: {
          code: 'ResourceNotFound',
          message: "The Resource 'Microsoft.Compute/virtualMachineScaleSets/nt1vm' was not found.",
        },
      }),
      ctx,
      NOW,
    );
    expect(e).toBeInstanceOf(TerminalError);
    expect(e.reason).toBe(Reason.ResourceNotFound);
    expect(e.message.startsWith('scale set "nt1vm" in resource group "sf-rg" was not found')).toBe(true);
  });

  it('reads Key Vault and Batch error bodies', () => {
    const kv = classifyAzureError(
      restError(403, {
        error: {
          code: 'Forbidden',
          message: 'Caller is not authorized',
          innererror: { code: 'ForbiddenByRbac' },
        },
      }),
      { service: 'keyvault', operation: 'getCertificate' },
      NOW,
    );
    expect(kv.message).toContain('Forbidden: Caller is not authorized');
    const batch = classifyAzureError(
      restError(409, {
        'odata.error': {
          code: 'PoolBeingResized',
          message: { lang: 'en-US', value: 'The pool is being resized' },
        },
      }),
      { service: 'batch', operation: 'listPoolNodes' },
      NOW,
    );
    expect(batch).toBeInstanceOf(TransientError);
    expect(batch.message).toContain('PoolBeingResized: The pool is being resized');
  });

  it('recognises a RestError from another copy of the pipeline by its shape (ms-rest-js headers)', () => {
    const foreign = Object.assign(new Error('too many'), {
      name: 'RestError',
      statusCode: 429,
      response: { headers: { get: (n: string) => (n === 'retry-after' ? '3' : undefined) }, bodyAsText: '' },
    });
    const e = classifyAzureError(foreign, ctx, NOW);
    expect(e.reason).toBe(Reason.AzureThrottled);
    expect((e as TransientError).retryAfterMs).toBe(3_000);
  });

  it('passes already classified errors through and azureCall rethrows classified', async () => {
    const t = new TerminalError('x', Reason.AzureError);
    expect(classifyAzureError(t, ctx)).toBe(t);
    await expect(azureCall(ctx, () => Promise.reject(restError(404)))).rejects.toMatchObject({
      name: 'TerminalError',
      reason: Reason.ResourceNotFound,
    });
    await expect(azureCall(ctx, () => Promise.resolve(7))).resolves.toBe(7);
  });
});
