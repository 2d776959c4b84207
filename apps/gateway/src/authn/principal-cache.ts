import type { Principal } from '@gatehouse/contracts';
import { LruMap } from '../caching/lru-map';

interface Entry {
  principal: Principal;
  /** Milliseconds since the epoch. */
  until: number;
}

/**
 * Principals the auth app vouched for (introspection, sessions), reused for a few seconds so that
 * not every request asks it again: an entry lives `ttlSeconds` at most and never past the
 * principal's `expiresAt`. Bounded, the least recently used entry going first; keyed by a digest of the
 * credential, never the credential itself. With `staleMs`, an entry is kept that much longer for
 * `stale`, the answer of last resort while the auth app cannot be asked.
 */
export class PrincipalCache {
  private readonly entries: LruMap<Entry>;

  constructor(
    limit = 10_000,
    private readonly clock: () => number = Date.now,
    private readonly staleMs = 0,
  ) {
    this.entries = new LruMap(limit);
  }

  get(digest: string): Principal | undefined {
    const entry = this.entries.get(digest);
    const now = this.clock();
    if (entry && entry.until > now) return entry.principal;
    if (entry && !this.usableStale(entry, now)) this.entries.delete(digest);
    return undefined;
  }

  forget(digest: string): void {
    this.entries.delete(digest);
  }

  /** An entry past its time to live but within `staleMs` of it, never past the principal's expiry. */
  stale(digest: string): Principal | undefined {
    const entry = this.entries.peek(digest);
    return entry && this.usableStale(entry, this.clock()) ? entry.principal : undefined;
  }

  set(digest: string, principal: Principal, ttlSeconds: number): void {
    const now = this.clock();
    const until = Math.min(now + ttlSeconds * 1000, principal.expiresAt * 1000);
    if (until <= now) return;
    this.entries.set(digest, { principal, until });
  }

  private usableStale(entry: Entry, now: number): boolean {
    return entry.until + this.staleMs > now && entry.principal.expiresAt * 1000 > now;
  }
}
