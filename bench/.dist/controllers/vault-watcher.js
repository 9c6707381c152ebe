// The vault watcher (design §5 "Vault watching", §9: ≤ 1 Key Vault request per distinct certificate per
// poll interval, whatever the number of resources). Resources subscribe to the (vault, certificate)
// they observe; the watcher polls each distinct pair once per jittered interval, spends from a
// per-vault and a per-subscription token bucket, honours Retry-After for the whole vault, and when the
// latest version or the set of enabled versions changes it notifies every subscriber (the controller
// enqueues them). Event Grid pushes (`pollNow`) poll at once, still within the budget.
import { Reason } from '../domain/names.js';
import { TransientError, errorMessage } from '../domain/errors.js';
import { vaultNameOf } from '../domain/observed/keyvault-url.js';
import { vaultPollDurationSeconds, vaultPollsTotal } from '../observability/metrics.js';
/** Summarises a versions body; tolerant of odd items (they are skipped). */
export function summarizeVersions(body) {
    const items = Array.isArray(body?.value)
        ? body.value
        : [];
    let latest;
    const enabledSet = [];
    for (const item of items) {
        const id = item.id;
        if (typeof id !== 'string')
            continue;
        const version = id.replace(/\/+$/, '').split('/').pop() ?? '';
        if (version === '')
            continue;
        const attributes = item.attributes;
        const enabled = attributes?.enabled !== false;
        const created = typeof attributes?.created === 'number' ? attributes.created : 0;
        enabledSet.push(`${version.toLowerCase()}:${enabled}`);
        if (latest === undefined ||
            created > latest.created ||
            (created === latest.created && version > latest.version)) {
            latest = { version, created };
        }
    }
    enabledSet.sort();
    return { latest: latest?.version, enabledSet };
}
function sameSummary(a, b) {
    return (a.latest?.toLowerCase() === b.latest?.toLowerCase() &&
        a.enabledSet.length === b.enabledSet.length &&
        a.enabledSet.every((v, i) => v === b.enabledSet[i]));
}
/** A token bucket that only spends when the caller actually proceeds. */
class TokenBucket {
    budget;
    tokens;
    last;
    constructor(budget, now) {
        this.budget = budget;
        if (!(budget.qps > 0) || !(budget.burst >= 1))
            throw new RangeError(`invalid budget ${budget.qps}/s burst ${budget.burst}`);
        this.tokens = budget.burst;
        this.last = now;
    }
    refill(now) {
        this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.last) / 1000) * this.budget.qps);
        this.last = now;
    }
    /** Milliseconds until one token is available (0: now). */
    waitMs(now) {
        this.refill(now);
        return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.budget.qps) * 1000);
    }
    take(now) {
        this.refill(now);
        this.tokens -= 1;
    }
}
export function watchKey(vault, certificate) {
    return `${vaultNameOf(vault)}/${certificate.trim().toLowerCase()}`;
}
export class VaultWatcher {
    options;
    targets = new Map();
    /** subscriber → keys it watches. */
    bySubscriber = new Map();
    vaultBuckets = new Map();
    subscriptionBuckets = new Map();
    /** Retry-After per vault: no poll of that vault before this time. */
    vaultBlockedUntil = new Map();
    intervalMs;
    jitter;
    random;
    perVault;
    perSubscription;
    errorBackoffMs;
    stopped = false;
    constructor(options) {
        this.options = options;
        this.intervalMs = options.intervalMs ?? 5 * 60_000;
        this.jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 0.9);
        this.random = options.random ?? Math.random;
        this.perVault = options.perVault ?? { qps: 10, burst: 50 };
        this.perSubscription = options.perSubscription ?? { qps: 25, burst: 100 };
        this.errorBackoffMs = options.errorBackoffMs ?? 5_000;
    }
    /**
     * Declares the certificates `subscriber` (a resource key, `namespace/name`) observes, replacing what it
     * watched before. Pairs nobody watches any more stop being polled.
     */
    setWatches(subscriber, targets) {
        const wanted = new Map(targets.map((t) => [watchKey(t.vault, t.certificate), t]));
        const current = this.bySubscriber.get(subscriber) ?? new Set();
        for (const key of current)
            if (!wanted.has(key))
                this.detach(subscriber, key);
        for (const [key, target] of wanted)
            if (!current.has(key))
                this.attach(subscriber, key, target);
        if (wanted.size === 0)
            this.bySubscriber.delete(subscriber);
        else
            this.bySubscriber.set(subscriber, new Set(wanted.keys()));
    }
    /** The subscriber is gone (resource deleted). */
    unwatchAll(subscriber) {
        this.setWatches(subscriber, []);
    }
    /**
     * Polls (vault, certificate) as soon as the budget and any Retry-After allow; coalesces with a poll
     * in flight. Returns false when nobody watches that certificate (the push is ignored).
     */
    pollNow(vault, certificate, trigger = 'event_grid') {
        const state = this.targets.get(watchKey(vault, certificate));
        if (state === undefined || this.stopped)
            return false;
        if (state.inFlight) {
            state.again = trigger;
            return true;
        }
        this.schedule(state, 0, trigger);
        return true;
    }
    /** The last versions body polled for a certificate (what the controller may plan from), if any. */
    cached(vault, certificate) {
        const s = this.targets.get(watchKey(vault, certificate));
        return s?.summary === undefined || s.polledAt === undefined
            ? undefined
            : { body: s.body, summary: s.summary, polledAt: s.polledAt };
    }
    /** Distinct certificates being polled. */
    get size() {
        return this.targets.size;
    }
    subscribersOf(vault, certificate) {
        return [...(this.targets.get(watchKey(vault, certificate))?.subscribers ?? [])];
    }
    stop() {
        this.stopped = true;
        for (const s of this.targets.values()) {
            s.timer?.cancel();
            s.timer = undefined;
        }
    }
    attach(subscriber, key, target) {
        let state = this.targets.get(key);
        if (state === undefined) {
            state = {
                key,
                vaultKey: vaultNameOf(target.vault),
                subscriptionKey: target.subscriptionId?.toLowerCase() ?? '',
                target,
                subscribers: new Set(),
                timer: undefined,
                inFlight: false,
                again: undefined,
                summary: undefined,
                body: undefined,
                failures: 0,
                polledAt: undefined,
            };
            this.targets.set(key, state);
            // The first poll (the baseline) comes after a random part of the interval, so a restart with
            // many resources does not poll every certificate in the same second.
            if (!this.stopped)
                this.schedule(state, Math.floor(this.random() * this.intervalMs * this.jitter), 'interval');
        }
        state.subscribers.add(subscriber);
    }
    detach(subscriber, key) {
        const state = this.targets.get(key);
        if (state === undefined)
            return;
        state.subscribers.delete(subscriber);
        if (state.subscribers.size === 0) {
            state.timer?.cancel();
            this.targets.delete(key);
        }
    }
    nextInterval() {
        const factor = 1 + this.jitter * (2 * this.random() - 1);
        return Math.max(1, Math.round(this.intervalMs * factor));
    }
    schedule(state, delayMs, trigger) {
        state.timer?.cancel();
        state.timer = this.options.clock.setTimer(() => {
            state.timer = undefined;
            void this.attempt(state, trigger);
        }, delayMs);
    }
    bucket(map, key, budget, now) {
        let b = map.get(key);
        if (b === undefined) {
            b = new TokenBucket(budget, now);
            map.set(key, b);
        }
        return b;
    }
    /** Polls if the budgets and Retry-After allow, else reschedules for when they will. */
    async attempt(state, trigger) {
        if (this.stopped || this.targets.get(state.key) !== state)
            return;
        const now = this.options.clock.now();
        const blocked = (this.vaultBlockedUntil.get(state.vaultKey) ?? 0) - now;
        const vaultBucket = this.bucket(this.vaultBuckets, state.vaultKey, this.perVault, now);
        const subBucket = this.bucket(this.subscriptionBuckets, state.subscriptionKey, this.perSubscription, now);
        const wait = Math.max(blocked, vaultBucket.waitMs(now), subBucket.waitMs(now));
        if (wait > 0) {
            this.schedule(state, wait, trigger);
            return;
        }
        vaultBucket.take(now);
        subBucket.take(now);
        await this.pollOnce(state, trigger);
    }
    async pollOnce(state, trigger) {
        const { vault, certificate } = state.target;
        state.inFlight = true;
        const started = this.options.clock.now();
        let nextDelay = this.nextInterval();
        try {
            const body = await this.options.poll(vault, certificate);
            vaultPollsTotal.inc({ vault: state.vaultKey, trigger, result: 'success' });
            const summary = summarizeVersions(body);
            const previous = state.summary;
            state.summary = summary;
            state.body = body;
            state.failures = 0;
            state.polledAt = this.options.clock.now();
            if (previous !== undefined &&
                !sameSummary(previous, summary) &&
                this.targets.get(state.key) === state) {
                const change = { vault, certificate, previous, current: summary };
                for (const subscriber of state.subscribers)
                    this.options.notify(subscriber, change);
            }
        }
        catch (err) {
            const throttled = err instanceof TransientError &&
                (err.reason === Reason.AzureThrottled || err.retryAfterMs !== undefined);
            vaultPollsTotal.inc({ vault: state.vaultKey, trigger, result: throttled ? 'throttled' : 'error' });
            state.failures += 1;
            const retryAfter = err instanceof TransientError ? err.retryAfterMs : undefined;
            if (retryAfter !== undefined) {
                // Key Vault throttles per vault [KV-THR]: hold every poll of this vault, not just this one.
                const until = this.options.clock.now() + retryAfter;
                this.vaultBlockedUntil.set(state.vaultKey, Math.max(this.vaultBlockedUntil.get(state.vaultKey) ?? 0, until));
                nextDelay = retryAfter;
            }
            else {
                nextDelay = Math.min(this.intervalMs, this.errorBackoffMs * 2 ** (state.failures - 1));
            }
            this.options.onError?.(state.target, err instanceof Error ? err : new Error(errorMessage(err)));
        }
        finally {
            vaultPollDurationSeconds.observe({ vault: state.vaultKey }, (this.options.clock.now() - started) / 1000);
            state.inFlight = false;
        }
        if (this.stopped || this.targets.get(state.key) !== state)
            return;
        const again = state.again;
        state.again = undefined;
        if (again !== undefined && state.failures === 0)
            this.schedule(state, 0, again);
        else
            this.schedule(state, nextDelay, again ?? 'interval');
    }
}
//# sourceMappingURL=vault-watcher.js.map