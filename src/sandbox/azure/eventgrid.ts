// Event Grid for the emulated vaults: a Key Vault system topic per vault and webhook event subscriptions
// on it. Every new certificate version (create, renewNow, auto-renewal, import) becomes a
// `Microsoft.KeyVault.CertificateNewVersionCreated` event in the Event Grid schema [EG-KV], delivered
// as a one-element array with `aeg-event-type: Notification` [EG-WH][EG-RETRY]. A subscription is
// usable only after the endpoint passed the validation handshake (it echoes `validationCode` with a 200)
// [EG-WH]. Delivery is asynchronous and never blocks the vault request that made the version.
//
// Departures from Event Grid, on purpose: plain http:// endpoints on loopback are allowed (Event Grid
// wants public HTTPS); the retry schedule is compressed (a few attempts within a second instead of
// 10 s, 30 s, 1 min … for 24 h [EG-RETRY]); no dead-lettering, no batching options, no CloudEvents
// schema, no validationUrl (manual) handshake; `eventTime` is the virtual clock's time.
//
// [EG-RETRY] https://learn.microsoft.com/azure/event-grid/delivery-and-retry — one event per delivery,
// payload an array; no retry for webhook 400, 401, 413 (older revisions add 403); other failures and
// timeouts are retried with backoff.
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { VirtualClock } from '../clock.js';
import type { CertificateEngine, NewCertificateVersion } from './keyvault/engine.js';
import { vaultResourceId, vaultUri } from './keyvault/store.js';

export const KEY_VAULT_CERTIFICATE_NEW_VERSION = 'Microsoft.KeyVault.CertificateNewVersionCreated';
export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/** One event in the Event Grid schema [EG-KV]. */
export interface EventGridEvent {
  readonly id: string;
  readonly topic: string;
  readonly subject: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly data: Record<string, unknown>;
  readonly dataVersion: string;
  readonly metadataVersion: string;
}

export interface EventSubscriptionOptions {
  /** Subscription name (default: generated). */
  readonly name?: string;
  /** The vault whose system topic this subscribes to (case-insensitive); every vault when omitted. */
  readonly vault?: string;
  /** The webhook; `http:` (sandbox only) or `https:`. */
  readonly endpointUrl: string;
  /** Event types to deliver (default: CertificateNewVersionCreated only). */
  readonly includedEventTypes?: readonly string[];
  /** Static delivery-attribute headers sent with every event (e.g. a shared secret). */
  readonly deliveryHeaders?: Readonly<Record<string, string>>;
  /** Attempts per event, the first included (default 3). */
  readonly maxDeliveryAttempts?: number;
}

export interface EventSubscription {
  readonly name: string;
  readonly vault: string | undefined;
  readonly endpointUrl: string;
  readonly includedEventTypes: readonly string[];
  /** Always `Succeeded`: a subscription whose validation fails is not created. */
  readonly provisioningState: 'Succeeded';
}

/** What happened to one delivery (the last `deliveryLogLimit` are kept, for tests and the bench). */
export interface DeliveryRecord {
  readonly subscription: string;
  readonly eventType: string;
  readonly subject: string;
  readonly attempts: number;
  /** HTTP status of the last attempt; 0 when it got no response (connection error or timeout). */
  readonly status: number;
  readonly outcome: 'delivered' | 'dropped';
}

export interface EventGridOptions {
  /** Real milliseconds between attempts (default [100, 500]; the last value repeats). */
  readonly retryDelaysMs?: readonly number[];
  /** Real milliseconds to wait for a response (Event Grid waits 30 s [EG-RETRY]; default 10 s). */
  readonly responseTimeoutMs?: number;
  /** Delivery records kept (default 1000). */
  readonly deliveryLogLimit?: number;
}

/** Webhook statuses Event Grid does not retry [EG-RETRY]. */
const NOT_RETRIED = new Set([400, 401, 403, 413]);

export class EventGridValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventGridValidationError';
  }
}

interface Response {
  readonly status: number;
  readonly body: string;
}

export class EventGridEmulator {
  private readonly subscriptions = new Map<string, EventSubscription & { maxAttempts: number }>();
  private readonly headers = new Map<string, Readonly<Record<string, string>>>();
  private readonly inflight = new Set<Promise<void>>();
  /** Pending retry waits: close() cancels them and lets their deliveries end. */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private readonly log: DeliveryRecord[] = [];
  private readonly retryDelaysMs: readonly number[];
  private readonly responseTimeoutMs: number;
  private readonly logLimit: number;
  private readonly unsubscribeSource: () => void;
  private closed = false;

  constructor(
    engine: Pick<CertificateEngine, 'onVersionCreated'>,
    private readonly clock: Pick<VirtualClock, 'now'>,
    options: EventGridOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [100, 500];
    this.responseTimeoutMs = options.responseTimeoutMs ?? 10_000;
    this.logLimit = options.deliveryLogLimit ?? 1000;
    this.unsubscribeSource = engine.onVersionCreated((created) => this.publish(created));
  }

  /**
   * Creates a webhook subscription: first the validation handshake (a SubscriptionValidationEvent the
   * endpoint must answer with 200 and `{"validationResponse": <code>}` [EG-WH]); throws
   * EventGridValidationError when it does not, and then no subscription exists.
   */
  async subscribe(options: EventSubscriptionOptions): Promise<EventSubscription> {
    if (this.closed) throw new Error('Event Grid emulator is closed');
    const url = new URL(options.endpointUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RangeError(`endpoint must be http(s): ${options.endpointUrl}`);
    const name = options.name ?? `kvr-${randomUUID().slice(0, 8)}`;
    const code = randomUUID();
    const validation: EventGridEvent = {
      id: randomUUID(),
      topic: options.vault ?? '',
      subject: '',
      eventType: SUBSCRIPTION_VALIDATION_EVENT,
      eventTime: this.clock.now().toISOString(),
      data: {
        validationCode: code,
        validationUrl: `https://rp-sandbox.eventgrid.azure.net/eventsubscriptions/${name}/validate?code=${code}`,
      },
      dataVersion: '1',
      metadataVersion: '1',
    };
    let response: Response;
    try {
      response = await this.post(url, [validation], {
        ...options.deliveryHeaders,
        'aeg-event-type': 'SubscriptionValidation',
        'aeg-subscription-name': name.toUpperCase(),
        'aeg-delivery-count': '0',
      });
    } catch (err: unknown) {
      throw new EventGridValidationError(
        `validation of ${options.endpointUrl} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    // Only 200 counts, not 202 [EG-WH].
    let echoed: unknown;
    try {
      echoed = (JSON.parse(response.body) as { validationResponse?: unknown }).validationResponse;
    } catch {
      echoed = undefined;
    }
    if (response.status !== 200 || echoed !== code)
      throw new EventGridValidationError(
        `validation of ${options.endpointUrl} failed: HTTP ${response.status}, ${echoed === code ? 'code echoed' : 'code not echoed'}`,
      );
    const subscription = {
      name,
      vault: options.vault,
      endpointUrl: options.endpointUrl,
      includedEventTypes: [...(options.includedEventTypes ?? [KEY_VAULT_CERTIFICATE_NEW_VERSION])],
      provisioningState: 'Succeeded' as const,
      maxAttempts: Math.max(1, options.maxDeliveryAttempts ?? 3),
    };
    this.subscriptions.set(name, subscription);
    this.headers.set(name, options.deliveryHeaders ?? {});
    const { maxAttempts: _omitted, ...view } = subscription;
    void _omitted;
    return view;
  }

  unsubscribe(name: string): boolean {
    this.headers.delete(name);
    return this.subscriptions.delete(name);
  }

  list(): EventSubscription[] {
    return [...this.subscriptions.values()].map(({ maxAttempts: _omitted, ...view }) => view);
  }

  /** The most recent deliveries, oldest first. */
  deliveries(): readonly DeliveryRecord[] {
    return [...this.log];
  }

  /** Resolves once every delivery under way has finished (delivered or dropped). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Stops publishing and cancels pending retries; deliveries already sent finish on their own. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribeSource();
    for (const [timer, wake] of this.waits) {
      clearTimeout(timer);
      wake();
    }
    this.waits.clear();
    await this.drain();
  }

  /** The CertificateNewVersionCreated event for a new version [EG-KV]. */
  eventFor(created: NewCertificateVersion): EventGridEvent {
    const { vault, certificate, version } = created;
    return {
      id: randomUUID(),
      topic: vaultResourceId(vault),
      subject: certificate.name,
      eventType: KEY_VAULT_CERTIFICATE_NEW_VERSION,
      eventTime: this.clock.now().toISOString(),
      data: {
        Id: `${vaultUri(vault.name)}certificates/${certificate.name}/${version.version}`,
        VaultName: vault.name,
        ObjectType: 'Certificate',
        ObjectName: certificate.name,
        Version: version.version,
        // Seconds since the epoch; the property table says number, the doc's example shows strings [EG-KV].
        NBF: Math.floor(version.notBefore.getTime() / 1000),
        EXP: Math.floor(version.notAfter.getTime() / 1000),
      },
      dataVersion: '1',
      metadataVersion: '1',
    };
  }

  private publish(created: NewCertificateVersion): void {
    if (this.closed || this.subscriptions.size === 0) return;
    const event = this.eventFor(created);
    for (const sub of this.subscriptions.values()) {
      if (sub.vault !== undefined && sub.vault.toLowerCase() !== created.vault.name.toLowerCase()) continue;
      if (!sub.includedEventTypes.includes(event.eventType)) continue;
      // Queued, never awaited here: the vault operation that made the version returns first.
      const delivery = this.deliver(sub, event).finally(() => this.inflight.delete(delivery));
      this.inflight.add(delivery);
    }
  }

  private async deliver(
    sub: EventSubscription & { maxAttempts: number },
    event: EventGridEvent,
  ): Promise<void> {
    // Let the vault request that made the version answer before the first attempt.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let status = 0;
    let attempt = 0;
    while (attempt < sub.maxAttempts && !this.closed) {
      attempt += 1;
      try {
        const res = await this.post(new URL(sub.endpointUrl), [event], {
          ...this.headers.get(sub.name),
          'aeg-event-type': 'Notification',
          'aeg-subscription-name': sub.name.toUpperCase(),
          'aeg-delivery-count': String(attempt - 1),
        });
        status = res.status;
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) break;
      if (NOT_RETRIED.has(status) || attempt >= sub.maxAttempts) break;
      const delay = this.retryDelaysMs[Math.min(attempt - 1, this.retryDelaysMs.length - 1)] ?? 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waits.delete(timer);
          resolve();
        }, delay);
        this.waits.set(timer, resolve);
      });
    }
    this.record({
      subscription: sub.name,
      eventType: event.eventType,
      subject: event.subject,
      attempts: attempt,
      status,
      outcome: status >= 200 && status < 300 ? 'delivered' : 'dropped',
    });
  }

  private record(entry: DeliveryRecord): void {
    this.log.push(entry);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  private post(
    url: URL,
    body: readonly EventGridEvent[],
    headers: Record<string, string>,
  ): Promise<Response> {
    const text = JSON.stringify(body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(Buffer.byteLength(text)),
          },
          timeout: this.responseTimeoutMs,
          // Loopback deliveries must not go through the sandbox's own proxy or any agent pool.
          agent: false,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no response within ${this.responseTimeoutMs} ms`)));
      req.on('error', reject);
      req.end(text);
    });
  }
}
