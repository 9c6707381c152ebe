// The Event Grid webhook (design §5, §7): Key Vault pushes `CertificateNewVersionCreated` and
// `CertificateNearExpiry` [EG-KV]; each makes the vault watcher poll that certificate at once. The
// endpoint answers the subscription-validation handshake [EG-WH] (and CloudEvents' OPTIONS
// abuse-protection handshake), checks an optional shared secret, and rejects anything it does not expect.
import { timingSafeEqual } from 'node:crypto';
import { eventGridEventsTotal } from './metrics.js';
export const EventType = {
    SubscriptionValidation: 'Microsoft.EventGrid.SubscriptionValidationEvent',
    CertificateNewVersionCreated: 'Microsoft.KeyVault.CertificateNewVersionCreated',
    CertificateNearExpiry: 'Microsoft.KeyVault.CertificateNearExpiry',
    CertificateExpired: 'Microsoft.KeyVault.CertificateExpired',
};
const POLL_TRIGGERS = new Set([
    EventType.CertificateNewVersionCreated,
    EventType.CertificateNearExpiry,
    EventType.CertificateExpired,
]);
/** Header a subscription can send as a static delivery attribute carrying the shared secret. */
export const SECRET_HEADER = 'x-kvrollover-secret';
/** Query parameter alternative (`https://…/eventgrid?code=<secret>`), kept in the subscription's URL. */
export const SECRET_QUERY = 'code';
function send(res, status, body, headers = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
    });
    res.end(text);
}
function secretMatches(expected, given) {
    if (given === undefined)
        return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
}
/**
 * A data object with its keys and string values trimmed: the documented Key Vault example carries
 * `"ObjectName "` and `" <version>"` [EG-KV]; keys are matched case-insensitively.
 */
export function normalizeData(data) {
    const out = {};
    if (typeof data !== 'object' || data === null || Array.isArray(data))
        return out;
    for (const [k, v] of Object.entries(data)) {
        out[k.trim().toLowerCase()] = typeof v === 'string' ? v.trim() : v;
    }
    return out;
}
/** Event Grid schema (`eventType`, `topic`) or CloudEvents 1.0 (`type`, `source`). */
export function parseEvent(item) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
        return undefined;
    const e = item;
    const type = typeof e.eventType === 'string' ? e.eventType : typeof e.type === 'string' ? e.type : undefined;
    if (type === undefined)
        return undefined;
    const topic = typeof e.topic === 'string' ? e.topic : typeof e.source === 'string' ? e.source : undefined;
    return {
        type: type.trim(),
        data: normalizeData(e.data),
        subject: typeof e.subject === 'string' ? e.subject.trim() : undefined,
        topic,
    };
}
/** The (vault, certificate) a Key Vault event is about: `data.VaultName`/`ObjectName`, else topic/subject. */
export function certificateOf(event) {
    const str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
    let vault = str(event.data.vaultname);
    let certificate = str(event.data.objectname);
    const id = str(event.data.id);
    if (id !== undefined && (vault === undefined || certificate === undefined)) {
        try {
            const url = new URL(id);
            vault ??= url.host.split('.')[0];
            certificate ??= url.pathname.split('/').filter((s) => s !== '')[1];
        }
        catch {
            // not a URL: fall through to topic/subject
        }
    }
    vault ??= event.topic?.replace(/\/+$/, '').split('/').pop();
    certificate ??= event.subject;
    return vault === undefined || certificate === undefined || vault === '' || certificate === ''
        ? undefined
        : { vault, certificate };
}
function readBody(req, limit) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let over = false;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size > limit)
                over = true;
            else
                chunks.push(chunk);
        });
        req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
        req.on('error', reject);
    });
}
/** A node:http request handler for the Event Grid endpoint; the process's server mounts it on a path. */
export function createEventGridHandler(options) {
    const limit = options.maxBodyBytes ?? 1024 * 1024;
    const reject = (res, status, reason, eventType = 'none') => {
        eventGridEventsTotal.inc({ event_type: eventType, outcome: 'rejected' });
        options.onRejected?.(reason);
        send(res, status, { error: reason });
    };
    const handle = async (req, res) => {
        if (options.sharedSecret !== undefined) {
            const url = new URL(req.url ?? '/', 'http://localhost');
            const header = req.headers[SECRET_HEADER];
            const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get(SECRET_QUERY) ?? undefined;
            if (!secretMatches(options.sharedSecret, given)) {
                req.resume();
                reject(res, 401, 'missing or wrong shared secret');
                return;
            }
        }
        if (req.method === 'OPTIONS') {
            // CloudEvents 1.0 webhook abuse protection: allow the origin that asks.
            const origin = req.headers['webhook-request-origin'];
            const value = Array.isArray(origin) ? origin[0] : origin;
            if (value === undefined || value === '') {
                reject(res, 400, 'OPTIONS without WebHook-Request-Origin');
                return;
            }
            eventGridEventsTotal.inc({ event_type: 'cloudevents.handshake', outcome: 'validated' });
            send(res, 200, undefined, {
                'webhook-allowed-origin': value,
                'webhook-allowed-rate': '*',
                allow: 'POST, OPTIONS',
            });
            return;
        }
        if (req.method !== 'POST') {
            req.resume();
            eventGridEventsTotal.inc({ event_type: 'none', outcome: 'rejected' });
            send(res, 405, { error: 'only POST and OPTIONS' }, { allow: 'POST, OPTIONS' });
            return;
        }
        const raw = await readBody(req, limit);
        if (raw === 'too-large') {
            reject(res, 413, `body larger than ${limit} bytes`);
            return;
        }
        let parsed;
        try {
            parsed = JSON.parse(raw.toString('utf8'));
        }
        catch {
            reject(res, 400, 'body is not JSON');
            return;
        }
        const items = Array.isArray(parsed) ? parsed : [parsed];
        const events = items.map(parseEvent);
        if (events.length === 0 || events.some((e) => e === undefined)) {
            reject(res, 400, 'expected an array of Event Grid events');
            return;
        }
        const list = events;
        const aegType = req.headers['aeg-event-type'];
        const validation = list.find((e) => e.type === EventType.SubscriptionValidation);
        if (validation !== undefined) {
            const code = validation.data.validationcode;
            if (aegType !== 'SubscriptionValidation' || typeof code !== 'string' || code === '') {
                reject(res, 400, 'subscription validation without aeg-event-type header or code', 'validation');
                return;
            }
            eventGridEventsTotal.inc({ event_type: 'validation', outcome: 'validated' });
            send(res, 200, { validationResponse: code });
            return;
        }
        let accepted = 0;
        for (const event of list) {
            if (!POLL_TRIGGERS.has(event.type)) {
                // Bounded label: anything unexpected is "other".
                eventGridEventsTotal.inc({ event_type: 'other', outcome: 'rejected' });
                continue;
            }
            const target = certificateOf(event);
            if (target === undefined) {
                eventGridEventsTotal.inc({ event_type: event.type, outcome: 'rejected' });
                continue;
            }
            const watched = options.pollNow(target.vault, target.certificate);
            eventGridEventsTotal.inc({ event_type: event.type, outcome: watched ? 'accepted' : 'ignored' });
            accepted += 1;
        }
        if (accepted === 0) {
            options.onRejected?.('no Key Vault certificate event in the delivery');
            send(res, 400, { error: 'no Key Vault certificate event in the delivery' });
            return;
        }
        send(res, 200);
    };
    return (req, res) => {
        handle(req, res).catch((err) => {
            options.onRejected?.(`handler failed: ${err instanceof Error ? err.message : String(err)}`);
            if (!res.headersSent)
                send(res, 500, { error: 'internal error' });
            else
                res.end();
        });
    };
}
//# sourceMappingURL=eventgrid.js.map