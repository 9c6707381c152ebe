import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EventType,
  certificateOf,
  createEventGridHandler,
  parseEvent,
} from '../../src/observability/eventgrid.js';
import type { EventGridHandlerOptions } from '../../src/observability/eventgrid.js';
import { registry } from '../../src/observability/metrics.js';
import { FakeClock } from '../../src/kube/clock.js';
import { VaultWatcher } from '../../src/controllers/vault-watcher.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function serve(options: Partial<EventGridHandlerOptions> = {}) {
  const polls: [string, string][] = [];
  const rejected: string[] = [];
  const handler = createEventGridHandler({
    pollNow: (vault, cert) => {
      polls.push([vault, cert]);
      return vault !== 'unwatched';
    },
    onRejected: (r) => rejected.push(r),
    ...options,
  });
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, polls, rejected };
}

// The documented example's shape, with its stray spaces in a key and a value [EG-KV].
function kvEvent(type: string, vault = 'sample-kv', name = 'newcert'): object {
  return {
    id: '00eccf70-95a7-4e7c-8299-2eb17ee9ad64',
    topic: `/subscriptions/s/resourceGroups/sample-rg/providers/Microsoft.KeyVault/vaults/${vault}`,
    subject: name,
    eventType: type,
    eventTime: '2019-07-25T01:08:33.1036736Z',
    data: {
      Id: `https://${vault}.vault.azure.net/certificates/${name}/ee059b2bb5bc48398a53b168c6cdcb10`,
      VaultName: vault,
      ObjectType: 'Certificate',
      'ObjectName ': name,
      Version: ' ee059b2bb5bc48398a53b168c6cdcb10',
      NBF: '1559081980',
      EXP: '1559082102',
    },
    dataVersion: '1',
    metadataVersion: '1',
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

async function counter(eventType: string, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('kvrollover_event_grid_events_total')!.get();
  return (
    metric.values.find((v) => v.labels.event_type === eventType && v.labels.outcome === outcome)?.value ?? 0
  );
}

describe('Event Grid webhook', () => {
  it('answers the subscription validation handshake with the code', async () => {
    const { base, polls } = await serve();
    const before = await counter('validation', 'validated');
    const res = await post(
      `${base}/eventgrid`,
      [
        {
          id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
          topic: '/subscriptions/s',
          subject: '',
          data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6', validationUrl: 'https://x' },
          eventType: EventType.SubscriptionValidation,
          eventTime: '2018-01-25T22:12:19.4556811Z',
          metadataVersion: '1',
          dataVersion: '1',
        },
      ],
      { 'aeg-event-type': 'SubscriptionValidation' },
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    expect(polls).toHaveLength(0);
    expect(await counter('validation', 'validated')).toBe(before + 1);
  });

  it('refuses a validation event without the aeg-event-type header', async () => {
    const { base } = await serve();
    const res = await post(`${base}/`, [
      { eventType: EventType.SubscriptionValidation, data: { validationCode: 'c' } },
    ]);
    expect(res.status).toBe(400);
  });

  it('polls the certificate of CertificateNewVersionCreated and CertificateNearExpiry, tolerating stray spaces', async () => {
    const { base, polls } = await serve();
    const before = await counter(EventType.CertificateNewVersionCreated, 'accepted');
    const res = await post(`${base}/`, [
      kvEvent(EventType.CertificateNewVersionCreated, 'kv1', 'cluster'),
      kvEvent(EventType.CertificateNearExpiry, 'kv2', 'batch'),
    ]);
    expect(res.status).toBe(200);
    expect(polls).toEqual([
      ['kv1', 'cluster'],
      ['kv2', 'batch'],
    ]);
    expect(await counter(EventType.CertificateNewVersionCreated, 'accepted')).toBe(before + 1);
  });

  it('accepts CloudEvents 1.0 deliveries of the same events', async () => {
    const { base, polls } = await serve();
    const res = await post(`${base}/`, {
      specversion: '1.0',
      type: EventType.CertificateNewVersionCreated,
      source: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv9',
      subject: 'web',
      id: '1',
      data: { Id: 'https://kv9.vault.azure.net/certificates/web/abc', VaultName: 'kv9', ObjectName: 'web' },
    });
    expect(res.status).toBe(200);
    expect(polls).toEqual([['kv9', 'web']]);
  });

  it('counts an event for an unwatched certificate as ignored, not as an error', async () => {
    const { base } = await serve();
    const before = await counter(EventType.CertificateNearExpiry, 'ignored');
    const res = await post(`${base}/`, [kvEvent(EventType.CertificateNearExpiry, 'unwatched', 'x')]);
    expect(res.status).toBe(200);
    expect(await counter(EventType.CertificateNearExpiry, 'ignored')).toBe(before + 1);
  });

  it('rejects other event types, non-arrays, non-JSON and other methods', async () => {
    const { base, polls } = await serve();
    expect((await post(`${base}/`, [kvEvent('Microsoft.KeyVault.SecretNewVersionCreated')])).status).toBe(
      400,
    );
    expect((await post(`${base}/`, [{ hello: 'world' }])).status).toBe(400);
    expect((await post(`${base}/`, '{not json')).status).toBe(400);
    expect((await post(`${base}/`, [])).status).toBe(400);
    const get = await fetch(`${base}/`);
    expect(get.status).toBe(405);
    expect(polls).toHaveLength(0);
  });

  it('rejects bodies over the limit with 413', async () => {
    const { base } = await serve({ maxBodyBytes: 100 });
    const res = await post(`${base}/`, [kvEvent(EventType.CertificateNearExpiry)]);
    expect(res.status).toBe(413);
  });

  it('requires the shared secret when configured, by header or query', async () => {
    const { base, polls, rejected } = await serve({ sharedSecret: 's3cr3t-value' });
    const body = [kvEvent(EventType.CertificateNewVersionCreated, 'kv1', 'c')];
    expect((await post(`${base}/`, body)).status).toBe(401);
    expect((await post(`${base}/?code=wrong-value!`, body)).status).toBe(401);
    expect((await post(`${base}/?code=s3cr3t-value`, body)).status).toBe(200);
    expect((await post(`${base}/`, body, { 'x-kvrollover-secret': 's3cr3t-value' })).status).toBe(200);
    expect(polls).toHaveLength(2);
    // The secret never appears in what the handler reports.
    expect(rejected.join(' ')).not.toContain('s3cr3t');
  });

  it('completes the CloudEvents OPTIONS abuse-protection handshake', async () => {
    const { base } = await serve();
    const res = await fetch(`${base}/`, {
      method: 'OPTIONS',
      headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    const bad = await fetch(`${base}/`, { method: 'OPTIONS' });
    expect(bad.status).toBe(400);
  });
});

describe('event parsing', () => {
  it('falls back to the data Id, then topic and subject, for the vault and object names', () => {
    const fromId = parseEvent({
      eventType: 'x',
      data: { Id: 'https://kva.vault.azure.net/certificates/cert-a/v1' },
    })!;
    expect(certificateOf(fromId)).toEqual({ vault: 'kva', certificate: 'cert-a' });
    const fromTopic = parseEvent({
      eventType: 'x',
      topic: '/subscriptions/s/providers/Microsoft.KeyVault/vaults/kvb',
      subject: 'cert-b',
      data: {},
    })!;
    expect(certificateOf(fromTopic)).toEqual({ vault: 'kvb', certificate: 'cert-b' });
    expect(certificateOf(parseEvent({ eventType: 'x', data: {} })!)).toBeUndefined();
  });
});

describe('Event Grid → vault watcher', () => {
  it('a CertificateNewVersionCreated push polls that certificate at once and notifies its subscribers', async () => {
    const clock = new FakeClock();
    let body: unknown = {
      value: [{ id: 'https://kv1.vault.azure.net/certificates/cluster/v1', attributes: { created: 1 } }],
    };
    const polls: string[] = [];
    const notified: string[] = [];
    const watcher = new VaultWatcher({
      poll: (vault, cert) => {
        polls.push(`${vault}/${cert}`);
        return Promise.resolve(body);
      },
      notify: (subscriber) => notified.push(subscriber),
      clock,
      intervalMs: 3_600_000,
      random: () => 0,
    });
    watcher.setWatches('default/sf1', [{ vault: 'https://kv1.vault.azure.net/', certificate: 'cluster' }]);
    await clock.advance(0); // baseline
    expect(polls).toHaveLength(1);

    const server = createServer(createEventGridHandler({ pollNow: (v, c) => watcher.pollNow(v, c) }));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    body = {
      value: [
        { id: 'https://kv1.vault.azure.net/certificates/cluster/v1', attributes: { created: 1 } },
        { id: 'https://kv1.vault.azure.net/certificates/cluster/v2', attributes: { created: 2 } },
      ],
    };
    const res = await post(`${base}/`, [kvEvent(EventType.CertificateNewVersionCreated, 'kv1', 'cluster')]);
    expect(res.status).toBe(200);
    await clock.advance(0);
    expect(polls).toHaveLength(2);
    expect(notified).toEqual(['default/sf1']);
    watcher.stop();
  });
});
