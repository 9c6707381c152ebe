// The vault watcher (design §5 "Vault watching", §9: ≤ 1 Key Vault request per distinct certificate per
// poll interval, whatever the number of resources). Resources subscribe to the (vault, certificate)
// they observe; the watcher polls each distinct pair once per interval (at a random phase), spends from a
// per-vault and a per-subscription token bucket, honours Retry-After for the whole vault, and when the
// latest version or the set of enabled versions changes it notifies every subscriber (the controller
// enqueues them). Event Grid pushes (`pollNow`) poll at once, still within the budget.
import { Reason } from '../domain/names.js';
import { TransientError, errorMessage } from '../domain/errors.js';
import { vaultNameOf } from '../domain/observed/keyvault-url.js';
import type { RuntimeClock, TimerHandle } from '../kube/clock.js';
import { vaultPollDurationSeconds, vaultPollsTotal } from '../observability/metrics.js';

/** Reads "get certificate versions" for one certificate; returns the REST body (`{"value":[…]}`). */
export type VersionsPoll = (vault: string, certificate: string) => Promise<unknown>;

export type PollTrigger = 'interval' | 'event_grid' | 'reconcile';

export interface WatchTarget {
  /** `spec.certificate.vault`: a vault name or URL. */
  readonly vault: string;
  readonly certificate: string;
  /** The subscription the vault is billed to: polls also spend from its budget. */
  readonly subscriptionId?: string;
}

export interface VersionsSummary {
  /** Version (last path segment of the id) with the newest `attributes.created`; undefined when none. */
  readonly latest: string | undefined;
  /** `version:enabled` for every version, sorted: a change in either half of this means "re-plan". */
  readonly enabledSet: readonly string[];
}

export interface VaultChange {
  readonly vault: string;
  readonly certificate: string;
  readonly previous: VersionsSummary;
  readonly current: VersionsSummary;
}

export interface Budget {
  /** Sustained requests per second. */
  readonly qps: number;
  /** Requests that may be spent at once. */
  readonly burst: number;
}

export interface VaultWatcherOptions {
  readonly poll: VersionsPoll;
  /** Called once per subscriber whose certificate changed (the controller enqueues the resource). */
  readonly notify: (subscriber: string, change: VaultChange) => void;
  readonly clock: RuntimeClock;
  /** Poll interval per certificate; default 5 minutes. */
  readonly intervalMs?: number;
  /**
   * Fraction of the interval over which the first polls are spread at random (default 0.1). Later polls
   * keep that phase: exactly one interval apart, so a certificate costs one request per interval (design
   * §9) and a new version is seen within one interval of its creation.
   */
  readonly jitter?: number;
  readonly random?: () => number;
  /** Default: 10 requests/s, burst 50 per vault (Key Vault allows 4,000 per 10 s [KV-LIM]). */
  readonly perVault?: Budget;
  /** Default: 25 requests/s, burst 100 per subscription (the limit is 5× a vault's [KV-LIM]). */
  readonly perSubscription?: Budget;
  /** Backoff after a failed poll without Retry-After: base, doubled per failure, capped at the interval. */
  readonly errorBackoffMs?: number;
  readonly onError?: (target: WatchTarget, error: unknown) => void;
}

/** Summarises a versions body; tolerant of odd items (they are skipped). */
export function summarizeVersions(body: unknown): VersionsSummary {
  const items = Array.isArray((body as { value?: unknown } | undefined)?.value)
    ? (body as { value: unknown[] }).value
    : [];
  let latest: { version: string; created: number } | undefined;
  const enabledSet: string[] = [];
  for (const item of items) {
    const id = (item as { id?: unknown }).id;
    if (typeof id !== 'string') continue;
    const version = id.replace(/\/+$/, '').split('/').pop() ?? '';
    if (version === '') continue;
    const attributes = (item as { attributes?: { enabled?: unknown; created?: unknown } }).attributes;
    const enabled = attributes?.enabled !== false;
    const created = typeof attributes?.created === 'number' ? attributes.created : 0;
    enabledSet.push(`${version.toLowerCase()}:${enabled}`);
    if (
      latest === undefined ||
      created > latest.created ||
      (created === latest.created && version > latest.version)
    ) {
      latest = { version, created };
    }
  }
  enabledSet.sort();
  return { latest: latest?.version, enabledSet };
}

function sameSummary(a: VersionsSummary, b: VersionsSummary): boolean {
  return (
    a.latest?.toLowerCase() === b.latest?.toLowerCase() &&
    a.enabledSet.length === b.enabledSet.length &&
    a.enabledSet.every((v, i) => v === b.enabledSet[i])
  );
}

/** A token bucket that only spends when the caller actually proceeds. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly budget: Budget,
    now: number,
  ) {
    if (!(budget.qps > 0) || !(budget.burst >= 1))
      throw new RangeError(`invalid budget ${budget.qps}/s burst ${budget.burst}`);
    this.tokens = budget.burst;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.last) / 1000) * this.budget.qps);
    this.last = now;
  }

  /** Milliseconds until one token is available (0: now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.budget.qps) * 1000);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

interface TargetState {
  readonly key: string;
  readonly vaultKey: string;
  readonly subscriptionKey: string;
  target: WatchTarget;
  readonly subscribers: Set<string>;
  timer: TimerHandle | undefined;
  inFlight: boolean;
  /** A pollNow arrived during a poll: poll again right after it. */
  again: PollTrigger | undefined;
  summary: VersionsSummary | undefined;
  body: unknown;
  failures: number;
  polledAt: number | undefined;
}

export function watchKey(vault: string, certificate: string): string {
  return `${vaultNameOf(vault)}/${certificate.trim().toLowerCase()}`;
}

export class VaultWatcher {
  private readonly targets = new Map<string, TargetState>();
  /** subscriber → keys it watches. */
  private readonly bySubscriber = new Map<string, Set<string>>();
  private readonly vaultBuckets = new Map<string, TokenBucket>();
  private readonly subscriptionBuckets = new Map<string, TokenBucket>();
  /** Retry-After per vault: no poll of that vault before this time. */
  private readonly vaultBlockedUntil = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly perVault: Budget;
  private readonly perSubscription: Budget;
  private readonly errorBackoffMs: number;
  private stopped = false;

  constructor(private readonly options: VaultWatcherOptions) {
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
  setWatches(subscriber: string, targets: readonly WatchTarget[]): void {
    const wanted = new Map(targets.map((t) => [watchKey(t.vault, t.certificate), t]));
    const current = this.bySubscriber.get(subscriber) ?? new Set<string>();
    for (const key of current) if (!wanted.has(key)) this.detach(subscriber, key);
    for (const [key, target] of wanted) if (!current.has(key)) this.attach(subscriber, key, target);
    if (wanted.size === 0) this.bySubscriber.delete(subscriber);
    else this.bySubscriber.set(subscriber, new Set(wanted.keys()));
  }

  /** The subscriber is gone (resource deleted). */
  unwatchAll(subscriber: string): void {
    this.setWatches(subscriber, []);
  }

  /**
   * Polls (vault, certificate) as soon as the budget and any Retry-After allow; coalesces with a poll
   * in flight. Returns false when nobody watches that certificate (the push is ignored).
   */
  pollNow(vault: string, certificate: string, trigger: PollTrigger = 'event_grid'): boolean {
    const state = this.targets.get(watchKey(vault, certificate));
    if (state === undefined || this.stopped) return false;
    if (state.inFlight) {
      state.again = trigger;
      return true;
    }
    this.schedule(state, 0, trigger);
    return true;
  }

  /** The last versions body polled for a certificate (what the controller may plan from), if any. */
  cached(
    vault: string,
    certificate: string,
  ): { body: unknown; summary: VersionsSummary; polledAt: number } | undefined {
    const s = this.targets.get(watchKey(vault, certificate));
    return s?.summary === undefined || s.polledAt === undefined
      ? undefined
      : { body: s.body, summary: s.summary, polledAt: s.polledAt };
  }

  /** Distinct certificates being polled. */
  get size(): number {
    return this.targets.size;
  }

  subscribersOf(vault: string, certificate: string): string[] {
    return [...(this.targets.get(watchKey(vault, certificate))?.subscribers ?? [])];
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.targets.values()) {
      s.timer?.cancel();
      s.timer = undefined;
    }
  }

  private attach(subscriber: string, key: string, target: WatchTarget): void {
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

  private detach(subscriber: string, key: string): void {
    const state = this.targets.get(key);
    if (state === undefined) return;
    state.subscribers.delete(subscriber);
    if (state.subscribers.size === 0) {
      state.timer?.cancel();
      this.targets.delete(key);
    }
  }

  private nextInterval(): number {
    return Math.max(1, Math.round(this.intervalMs));
  }

  private schedule(state: TargetState, delayMs: number, trigger: PollTrigger): void {
    state.timer?.cancel();
    state.timer = this.options.clock.setTimer(() => {
      state.timer = undefined;
      void this.attempt(state, trigger);
    }, delayMs);
  }

  private bucket(map: Map<string, TokenBucket>, key: string, budget: Budget, now: number): TokenBucket {
    let b = map.get(key);
    if (b === undefined) {
      b = new TokenBucket(budget, now);
      map.set(key, b);
    }
    return b;
  }

  /** Polls if the budgets and Retry-After allow, else reschedules for when they will. */
  private async attempt(state: TargetState, trigger: PollTrigger): Promise<void> {
    if (this.stopped || this.targets.get(state.key) !== state) return;
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

  private async pollOnce(state: TargetState, trigger: PollTrigger): Promise<void> {
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
      if (
        previous !== undefined &&
        !sameSummary(previous, summary) &&
        this.targets.get(state.key) === state
      ) {
        const change: VaultChange = { vault, certificate, previous, current: summary };
        for (const subscriber of state.subscribers) this.options.notify(subscriber, change);
      }
    } catch (err) {
      const throttled =
        err instanceof TransientError &&
        (err.reason === Reason.AzureThrottled || err.retryAfterMs !== undefined);
      vaultPollsTotal.inc({ vault: state.vaultKey, trigger, result: throttled ? 'throttled' : 'error' });
      state.failures += 1;
      const retryAfter = err instanceof TransientError ? err.retryAfterMs : undefined;
      if (retryAfter !== undefined) {
        // Key Vault throttles per vault [KV-THR]: hold every poll of this vault, not just this one.
        const until = this.options.clock.now() + retryAfter;
        this.vaultBlockedUntil.set(
          state.vaultKey,
          Math.max(this.vaultBlockedUntil.get(state.vaultKey) ?? 0, until),
        );
        nextDelay = retryAfter;
      } else {
        nextDelay = Math.min(this.intervalMs, this.errorBackoffMs * 2 ** (state.failures - 1));
      }
      this.options.onError?.(state.target, err instanceof Error ? err : new Error(errorMessage(err)));
    } finally {
      vaultPollDurationSeconds.observe(
        { vault: state.vaultKey },
        (this.options.clock.now() - started) / 1000,
      );
      state.inFlight = false;
    }
    if (this.stopped || this.targets.get(state.key) !== state) return;
    const again = state.again;
    state.again = undefined;
    if (again !== undefined && state.failures === 0) this.schedule(state, 0, again);
    else this.schedule(state, nextDelay, again ?? 'interval');
  }
}
