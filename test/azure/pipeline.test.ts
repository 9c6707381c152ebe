import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  captureRawPolicy,
  captureResponses,
  inOperation,
  metricsPolicy,
  operationFromRequest,
} from '../../src/azure/pipeline.js';
import { mergePages } from '../../src/azure/keyvault.js';
import { registry } from '../../src/observability/metrics.js';

function respond(status: number, body = '{}') {
  return (request: PipelineRequest): Promise<PipelineResponse> =>
    Promise.resolve({ request, status, headers: createHttpHeaders(), bodyAsText: body });
}

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)!.get();
  return (
    metric.values.find(
      (v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && !('le' in v.labels),
    )?.value ?? 0
  );
}

describe('operationFromRequest', () => {
  it('names ARM requests by provider and resource types, never by resource names', () => {
    expect(
      operationFromRequest(
        'GET',
        'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/nt1/virtualMachines?api-version=2026-03-01',
      ),
    ).toBe('GET Microsoft.Compute/virtualMachineScaleSets/virtualMachines');
    expect(
      operationFromRequest(
        'GET',
        'https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/locations/westeurope/operations/abc',
      ),
    ).toBe('GET Microsoft.Compute/locations/operations');
    expect(
      operationFromRequest(
        'PUT',
        'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/1',
      ),
    ).toBe('PUT Microsoft.Authorization/roleAssignments');
  });

  it('names Key Vault and Batch requests by collection and keywords', () => {
    expect(
      operationFromRequest('GET', 'https://kv.vault.azure.net/certificates/c/versions?api-version=7.5'),
    ).toBe('GET certificates/versions');
    expect(operationFromRequest('GET', 'https://kv.vault.azure.net/certificates/c/0123456789abcdef')).toBe(
      'GET certificates',
    );
    expect(
      operationFromRequest('GET', 'https://a.westeurope.batch.azure.com/pools/p/nodes/n1/extensions'),
    ).toBe('GET pools/nodes/extensions');
  });
});

describe('metricsPolicy', () => {
  it('counts each attempt by service, operation and code, and 429s as throttled', async () => {
    const policy = metricsPolicy('keyvault');
    const request = createPipelineRequest({ url: 'https://kv.vault.azure.net/certificates/c/versions' });
    const labels = { service: 'keyvault', operation: 'pollVersions', code: '429' };
    const before = await value('kvrollover_azure_requests_total', labels);
    const throttledBefore = await value('kvrollover_azure_throttled_total', { service: 'keyvault' });
    await inOperation('pollVersions', async () => {
      await policy.sendRequest(request, respond(429));
      await policy.sendRequest(request, respond(200));
    });
    expect(await value('kvrollover_azure_requests_total', labels)).toBe(before + 1);
    expect(await value('kvrollover_azure_requests_total', { ...labels, code: '200' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(await value('kvrollover_azure_throttled_total', { service: 'keyvault' })).toBe(
      throttledBefore + 1,
    );
  });

  it('labels failures without a response as error and rethrows', async () => {
    const policy = metricsPolicy('arm');
    const request = createPipelineRequest({
      url: 'https://management.azure.com/subscriptions/s/providers/X/y/z',
    });
    const labels = { service: 'arm', operation: 'GET X/y', code: 'error' };
    const before = await value('kvrollover_azure_requests_total', labels);
    await expect(policy.sendRequest(request, () => Promise.reject(new Error('ECONNRESET')))).rejects.toThrow(
      'ECONNRESET',
    );
    expect(await value('kvrollover_azure_requests_total', labels)).toBe(before + 1);
  });
});

describe('captureRawPolicy', () => {
  it('records responses only inside a capture scope', async () => {
    const request = createPipelineRequest({ url: 'https://kv.vault.azure.net/certificates/c/versions' });
    const { responses } = await captureResponses('list', async () => {
      await captureRawPolicy.sendRequest(request, respond(200, '{"value":[{"id":"a"}],"nextLink":"x"}'));
      await captureRawPolicy.sendRequest(request, respond(200, '{"value":[{"id":"b"}],"nextLink":null}'));
    });
    expect(responses).toHaveLength(2);
    expect(mergePages(responses, 'list').body).toEqual({ value: [{ id: 'a' }, { id: 'b' }] });
    // Outside a capture scope (e.g. a secret read) nothing is kept.
    const { responses: none } = await captureResponses('other', () => Promise.resolve());
    await inOperation('getSecret', () =>
      captureRawPolicy.sendRequest(request, respond(200, '{"value":"KEY"}')),
    );
    expect(none).toHaveLength(0);
  });
});
