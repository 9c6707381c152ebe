// The Event Grid emulator: the Key Vault system topic delivers CertificateNewVersionCreated in the Event
// Grid schema [EG-KV] to a webhook that passed the validation handshake [EG-WH], for every way a version
// is made, and retries a failing endpoint a bounded number of times [EG-RETRY].
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CertificateClient } from '@azure/keyvault-certificates';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AzureSandbox } from '../../src/sandbox/azure/index.js';
import type { CertificatePolicyWire } from '../../src/sandbox/azure/keyvault/model.js';
import {
  EventGridValidationError,
  KEY_VAULT_CERTIFICATE_NEW_VERSION,
  SUBSCRIPTION_VALIDATION_EVENT,
} from '../../src/sandbox/azure/eventgrid.js';
import { clientOptions, operatorCredential, seedCas, seedVault, startTestSandbox } from './azure/helpers.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A webhook that records every request and answers with `respond`. */
class Webhook {
  readonly received: Received[] = [];
  respond: (body: unknown, index: number) => { status: number; body?: unknown } = (body) => {
    const first = (body as { eventType?: string; data?: { validationCode?: string } }[])[0];
    return first?.eventType === SUBSCRIPTION_VALIDATION_EVENT
      ? { status: 200, body: { validationResponse: first.data?.validationCode } }
      : { status: 200 };
  };
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        this.received.push({ headers: req.headers, body });
        const answer = this.respond(body, this.received.length - 1);
        const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/eventgrid`;
  }

  notifications(): Received[] {
    return this.received.filter((r) => r.headers['aeg-event-type'] === 'Notification');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const VAULT = 'kvr-test-vault';
const POLICY: CertificatePolicyWire = {
  issuer: { name: 'kvr-issuer' },
  x509_props: { subject: 'CN=eg.contoso.com', validity_months: 12 },
  key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
  secret_props: { contentType: 'application/x-pkcs12' },
  lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
};

let sandbox: AzureSandbox;
let hook: Webhook;
let url: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ throttling: false });
  seedVault(sandbox);
  await seedCas(sandbox);
  await sandbox.world.certificates.seedVersion(VAULT, 'eg-cert', POLICY);
}, 60_000);

afterAll(async () => {
  await sandbox?.world.eventGrid.close();
  await sandbox?.close();
});

afterEach(async () => {
  for (const s of sandbox.world.eventGrid.list()) sandbox.world.eventGrid.unsubscribe(s.name);
  await sandbox.world.eventGrid.drain();
  await hook?.close();
});

describe('Event Grid emulator', () => {
  it('validates the subscription first, then delivers CertificateNewVersionCreated in the Event Grid schema', async () => {
    hook = new Webhook();
    url = await hook.start();
    const sub = await sandbox.world.eventGrid.subscribe({ vault: VAULT, endpointUrl: url });
    expect(sub.provisioningState).toBe('Succeeded');
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.headers['aeg-event-type']).toBe('SubscriptionValidation');
    expect((hook.received[0]!.body as { eventType: string }[])[0]!.eventType).toBe(
      SUBSCRIPTION_VALIDATION_EVENT,
    );

    const renewed = await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    const [delivery] = hook.notifications();
    expect(delivery).toBeDefined();
    const events = delivery!.body as Record<string, unknown>[];
    expect(Array.isArray(events)).toBe(true);
    expect(events).toHaveLength(1);
    const vault = sandbox.world.vaults.getVault(VAULT)!;
    expect(events[0]).toMatchObject({
      topic: `/subscriptions/${vault.subscriptionId}/resourceGroups/rg-kvr/providers/Microsoft.KeyVault/vaults/${VAULT}`,
      subject: 'eg-cert',
      eventType: KEY_VAULT_CERTIFICATE_NEW_VERSION,
      dataVersion: '1',
      metadataVersion: '1',
      data: {
        Id: `https://${VAULT}.vault.azure.net/certificates/eg-cert/${renewed.version}`,
        VaultName: VAULT,
        ObjectType: 'Certificate',
        ObjectName: 'eg-cert',
        Version: renewed.version,
        NBF: Math.floor(renewed.notBefore.getTime() / 1000),
        EXP: Math.floor(renewed.notAfter.getTime() / 1000),
      },
    });
    expect(typeof events[0]!.id).toBe('string');
    expect(Number.isNaN(Date.parse(String(events[0]!.eventTime)))).toBe(false);
  });

  it('delivers for a create through the REST API and for auto-renewal on the virtual clock', async () => {
    hook = new Webhook();
    url = await hook.start();
    await sandbox.world.eventGrid.subscribe({ vault: VAULT, endpointUrl: url });
    const certs = new CertificateClient(
      `https://${VAULT}.vault.azure.net`,
      operatorCredential(sandbox),
      clientOptions(sandbox),
    );
    const poller = await certs.beginCreateCertificate(
      'eg-rest',
      { issuerName: 'kvr-issuer', subject: 'CN=rest.contoso.com', validityInMonths: 12 },
      { intervalInMs: 1 },
    );
    const created = await poller.pollUntilDone();
    sandbox.clock.advance(300 * 86_400_000); // past 80 % of eg-cert's 12 months: AutoRenew fires
    await sandbox.world.settle();
    await sandbox.world.eventGrid.drain();
    const subjects = hook
      .notifications()
      .flatMap((r) => (r.body as { subject: string; data: { Version: string } }[]).map((e) => e));
    expect(subjects.find((e) => e.subject === 'eg-rest')?.data.Version).toBe(created.properties.version);
    expect(subjects.some((e) => e.subject === 'eg-cert')).toBe(true);
  });

  it('creates no subscription when the endpoint does not echo the validation code', async () => {
    hook = new Webhook();
    hook.respond = () => ({ status: 202 });
    url = await hook.start();
    await expect(
      sandbox.world.eventGrid.subscribe({ vault: VAULT, endpointUrl: url }),
    ).rejects.toBeInstanceOf(EventGridValidationError);
    expect(sandbox.world.eventGrid.list()).toEqual([]);
    await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    expect(hook.notifications()).toEqual([]);
  });

  it('retries a 5xx a bounded number of times, and never retries a 400', async () => {
    hook = new Webhook();
    const validate = hook.respond;
    hook.respond = (body, i) => (i === 0 ? validate(body, i) : { status: 503 });
    url = await hook.start();
    await sandbox.world.eventGrid.subscribe({
      name: 'flaky',
      vault: VAULT,
      endpointUrl: url,
      maxDeliveryAttempts: 3,
    });
    await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    const tries = hook.notifications();
    expect(tries).toHaveLength(3);
    expect(tries.map((t) => t.headers['aeg-delivery-count'])).toEqual(['0', '1', '2']);
    expect(sandbox.world.eventGrid.deliveries().at(-1)).toMatchObject({
      subscription: 'flaky',
      attempts: 3,
      status: 503,
      outcome: 'dropped',
    });

    hook.respond = () => ({ status: 400 });
    const before = hook.notifications().length;
    await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    expect(hook.notifications().length - before).toBe(1);

    // A 503 then a 200: delivered on the second attempt.
    let calls = 0;
    hook.respond = () => ({ status: calls++ === 0 ? 503 : 200 });
    await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    expect(sandbox.world.eventGrid.deliveries().at(-1)).toMatchObject({ attempts: 2, outcome: 'delivered' });
  });

  it('does not deliver events of another vault to a vault-scoped subscription', async () => {
    hook = new Webhook();
    url = await hook.start();
    await sandbox.world.eventGrid.subscribe({ vault: 'some-other-vault', endpointUrl: url });
    await sandbox.world.certificates.renewNow(VAULT, 'eg-cert');
    await sandbox.world.eventGrid.drain();
    expect(hook.notifications()).toEqual([]);
  });
});
