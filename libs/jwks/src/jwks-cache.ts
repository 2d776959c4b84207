import { DomainError } from '@gatehouse/contracts';
import { fetchJwksDocument } from './fetch-jwks';
import { resolveJwksSettings, type JwksSettings } from './jwks-settings';
import type { JwksCacheOptions, JwksKey, JwksStatus } from './jwks.types';
import { parseJwks } from './parse-jwks';

/** A bound on remembered unknown kids, whatever an attacker sends. */
const MAX_NEGATIVE_KIDS = 1000;

/**
 * The key set of one issuer, served from memory. Every request path is a map lookup and two
 * number comparisons; fetching happens in the background (timer at `refreshAheadRatio` of the TTL,
 * or the first request that notices the refresh is due), once at a time (single flight).
 */
export class JwksCache {
  readonly issuer: string;
  readonly jwksUri: string;
  private readonly settings: JwksSettings;
  private keys: ReadonlyMap<string, JwksKey> = new Map();
  /** Keys are served up to here: TTL plus the bounded staleness after the last success. */
  private usableUntil = Number.NEGATIVE_INFINITY;
  /** When the next fetch may start: refresh-ahead point after a success, backoff after a failure. */
  private nextRefreshAt = Number.NEGATIVE_INFINITY;
  private nextUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  private readonly negativeKids = new Map<string, number>();
  private inflight: Promise<void> | undefined;
  private unknownKidRefetch: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private readonly closing = new AbortController();
  private lastSuccessAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private lastError: string | undefined;
  private skipped = { count: 0, reasons: [] as readonly string[] };
  private readonly counters = { fetches: 0, failures: 0, unknownKidRefetches: 0 };

  constructor(options: JwksCacheOptions) {
    this.settings = resolveJwksSettings(options);
    this.issuer = options.issuer;
    this.jwksUri = options.jwksUri;
  }

  /**
   * Synchronous hot path: the key if it is in a usable set, else undefined (then `getKey` says
   * why, and may refetch). Also starts a background refresh when one is due, never waiting for it.
   */
  peek(kid: string): JwksKey | undefined {
    const now = this.settings.clock();
    if (now > this.usableUntil) return undefined;
    if (now >= this.nextRefreshAt && !this.inflight) void this.refresh();
    return this.keys.get(kid);
  }

  /**
   * The key for `kid`. Throws `DomainError('auth_unavailable')` with Retry-After when no usable
   * set exists, `DomainError('unknown_signing_key')` when the set (refetched at most once per
   * cooldown) does not have it. Never resolves without a key.
   */
  getKey(kid: string): Promise<JwksKey> {
    const hit = this.peek(kid);
    return hit ? Promise.resolve(hit) : this.resolveSlowly(kid);
  }

  /** Fetches now, or joins the fetch in flight. Never rejects: the outcome is in `status()`. */
  refresh(): Promise<void> {
    if (this.closing.signal.aborted) return Promise.resolve();
    this.inflight ??= this.fetchOnce().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Resolves when no fetch is in flight (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  /** Stops the background timer and aborts a fetch in flight; keys already held stay served. */
  close(): void {
    this.closing.abort();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  status(): JwksStatus {
    const now = this.settings.clock();
    const usable = now <= this.usableUntil;
    return {
      issuer: this.issuer,
      keys: usable ? this.keys.size : 0,
      lastSuccessAt: this.lastSuccessAt,
      lastAttemptAt: this.lastAttemptAt,
      lastError: this.lastError,
      stale: this.lastSuccessAt !== undefined && now > this.lastSuccessAt + this.settings.ttlMs,
      usable,
      skippedKeys: this.skipped.count,
      skippedReasons: this.skipped.reasons,
      ...this.counters,
    };
  }

  private async resolveSlowly(kid: string): Promise<JwksKey> {
    let fetched = false;
    if (this.settings.clock() > this.usableUntil) {
      // No usable set: fetch unless a recent failure asks us to back off (protects the issuer).
      if (this.settings.clock() >= this.nextRefreshAt) {
        await this.refresh();
        fetched = true;
      }
      if (this.settings.clock() > this.usableUntil) throw this.unavailable();
    }
    const known = this.keys.get(kid);
    if (known) return known;
    const now = this.settings.clock();
    const onDemand = this.settings.unknownKidRefetch === 'on-demand';
    // On demand the wait for the next refetch is itself the rate limit: a remembered kid would
    // refuse a key the trusted issuer published a moment after our last look.
    if (!onDemand && (this.negativeKids.get(kid) ?? Number.NEGATIVE_INFINITY) > now) {
      throw this.unknownKid(kid, 'remembered as unknown');
    }
    // A fetch already under way (another request's unknown-kid refetch, say) may bring the key:
    // wait for it instead of refusing while it runs. On demand it does not count as our look: it
    // may have started before the key was published.
    if (!fetched && this.inflight) {
      await this.inflight;
      fetched = !onDemand;
      const found = this.settings.clock() <= this.usableUntil ? this.keys.get(kid) : undefined;
      if (found) return found;
    }
    // A rotation may have published the key since our last fetch: look once, rate-limited per
    // issuer. On demand, a kid met during the cooldown waits for the look that ends it instead of
    // being refused: a trusted issuer's new key must never cost its callers a blackout.
    if (!fetched && (onDemand || now >= this.nextUnknownKidRefetchAt)) {
      await this.refetchForUnknownKid();
      fetched = true;
      const found = this.settings.clock() <= this.usableUntil ? this.keys.get(kid) : undefined;
      if (found) return found;
    }
    if (fetched && !onDemand) this.rememberUnknown(kid, this.settings.clock());
    throw this.unknownKid(kid, fetched ? 'absent after a refetch' : 'refetch cooling down');
  }

  /** One unknown-kid refetch at a time, started no sooner than the cooldown allows; callers share it. */
  private refetchForUnknownKid(): Promise<void> {
    this.unknownKidRefetch ??= (async () => {
      const waitMs = this.nextUnknownKidRefetchAt - this.settings.clock();
      if (waitMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref());
      this.nextUnknownKidRefetchAt = this.settings.clock() + this.settings.unknownKidCooldownMs;
      this.counters.unknownKidRefetches++;
      await this.refresh();
    })().finally(() => (this.unknownKidRefetch = undefined));
    return this.unknownKidRefetch;
  }

  private async fetchOnce(): Promise<void> {
    const { clock, ttlMs, refreshAheadRatio, maxStaleMs, failureBackoffMs, fetch, fetchTimeoutMs, maxBytes } = this.settings;
    this.lastAttemptAt = clock();
    this.counters.fetches++;
    try {
      const signal = this.closing.signal;
      const document = await fetchJwksDocument(this.jwksUri, { fetch, timeoutMs: fetchTimeoutMs, maxBytes, signal });
      const parsed = parseJwks(document, this.issuer, this.settings.allowedAlgs);
      const now = clock();
      this.keys = parsed.keys;
      this.skipped = { count: parsed.skipped, reasons: parsed.reasons };
      this.lastSuccessAt = now;
      this.lastError = undefined;
      this.usableUntil = now + ttlMs + maxStaleMs;
      this.nextRefreshAt = now + ttlMs * refreshAheadRatio;
      this.scheduleRefresh(ttlMs * refreshAheadRatio);
    } catch (error) {
      this.counters.failures++;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.nextRefreshAt = clock() + failureBackoffMs;
      this.scheduleRefresh(failureBackoffMs);
    }
  }

  private scheduleRefresh(delayMs: number): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.closing.signal.aborted) return;
    this.cancelTimer = this.settings.schedule(() => {
      this.cancelTimer = undefined;
      void this.refresh();
    }, delayMs);
  }

  private rememberUnknown(kid: string, now: number): void {
    if (this.negativeKids.size >= MAX_NEGATIVE_KIDS) {
      for (const [known, until] of this.negativeKids) if (until <= now) this.negativeKids.delete(known);
      if (this.negativeKids.size >= MAX_NEGATIVE_KIDS) this.negativeKids.clear();
    }
    this.negativeKids.set(kid, now + this.settings.unknownKidCooldownMs);
  }

  private unknownKid(kid: string, why: string): DomainError {
    return new DomainError('unknown_signing_key', `kid ${JSON.stringify(kid.slice(0, 100))} of ${this.issuer}: ${why}`);
  }

  private unavailable(): DomainError {
    const waitMs = Math.max(this.nextRefreshAt - this.settings.clock(), 0);
    const reason = `no usable JWKS for ${this.issuer}: ${this.lastError ?? 'never fetched'}`;
    return new DomainError('auth_unavailable', reason, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
  }
}
