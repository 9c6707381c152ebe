import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import type { AzureSandbox } from '../../../src/sandbox/azure/index.js';
import type { AzureWorld } from '../../../src/sandbox/azure/world.js';
import { json } from '../../../src/sandbox/azure/router.js';
import { operatorCredential, proxyAgent, startTestSandbox } from './helpers.js';

// A minimal provider registered through the public hook, to exercise both polling protocols.
function widgets(world: AzureWorld): void {
  const state = new Map<string, string>();
  const path = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Sandbox/widgets/:name';
  world.router.register(
    'PUT',
    'arm',
    path,
    (ctx) => {
      const name = ctx.params['name']!;
      const mode = ctx.query.get('mode') ?? 'async';
      state.set(name, 'Updating');
      const lro = world.lro.begin(ctx, {
        subscriptionId: ctx.params['sub']!,
        providerNamespace: 'Microsoft.Sandbox',
        location: 'westeurope',
        completeAfterMs: 60_000,
        onComplete: () => {
          state.set(name, 'Succeeded');
        },
        onFailed: () => {
          state.set(name, 'Failed');
        },
        result: () => ({ name, properties: { provisioningState: state.get(name) } }),
      });
      return json(
        mode === 'location' ? 202 : 201,
        { name, properties: { provisioningState: 'Updating' } },
        lro.headers(mode === 'location' ? 'location' : 'async'),
      );
    },
    { operation: 'Microsoft.Sandbox/widgets/write' },
  );
}

let sandbox: AzureSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ providers: [widgets], lroRetryAfterSeconds: 7 });
  token = (await operatorCredential(sandbox).getToken('https://management.azure.com/.default')).token;
});

afterAll(async () => {
  await sandbox?.close();
});

function request(
  method: string,
  url: string,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | undefined;
}> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        agent: proxyAgent(sandbox),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : '{}');
  });
}

const widgetUrl = (name: string, mode: string): string =>
  `https://management.azure.com/subscriptions/${sandbox.subscriptionId}/resourceGroups/rg/providers/Microsoft.Sandbox/widgets/${name}?api-version=2024-01-01&mode=${mode}`;

describe('ARM long-running operations', () => {
  it('Azure-AsyncOperation: InProgress with Retry-After until the virtual clock passes, then Succeeded', async () => {
    const put = await request('PUT', widgetUrl('w1', 'async'));
    expect(put.status).toBe(201);
    const opUrl = put.headers['azure-asyncoperation'] as string;
    expect(opUrl).toMatch(
      /^https:\/\/management\.azure\.com\/subscriptions\/.+\/providers\/Microsoft\.Sandbox\/locations\/westeurope\/operationStatuses\//,
    );
    expect(put.headers['retry-after']).toBe('7');
    const first = await request('GET', opUrl);
    expect(first.body?.['status']).toBe('InProgress');
    expect(first.headers['retry-after']).toBe('7');
    sandbox.clock.advance(60_000);
    const done = await request('GET', opUrl);
    expect(done.body).toMatchObject({ status: 'Succeeded' });
    expect(done.body?.['endTime']).toBeDefined();
  });

  it('Location: 202 while running, then 200 with the resource', async () => {
    const put = await request('PUT', widgetUrl('w2', 'location'));
    expect(put.status).toBe(202);
    const loc = put.headers['location'] as string;
    expect((await request('GET', loc)).status).toBe(202);
    sandbox.clock.advance(60_000);
    const done = await request('GET', loc);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ name: 'w2', properties: { provisioningState: 'Succeeded' } });
  });

  it('an injected LRO failure ends Failed with error{code,message}', async () => {
    sandbox.faults.add({
      operation: 'Microsoft.Sandbox/widgets/write',
      action: { type: 'failLro', code: 'WidgetBroken', message: 'It broke.' },
    });
    const put = await request('PUT', widgetUrl('w3', 'async'));
    sandbox.clock.advance(60_000);
    const done = await request('GET', put.headers['azure-asyncoperation'] as string);
    expect(done.body).toMatchObject({
      status: 'Failed',
      error: { code: 'WidgetBroken', message: 'It broke.' },
    });
    expect(sandbox.world.lro.pendingCount()).toBe(0);
  });
});
