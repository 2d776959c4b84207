import type { Principal } from '@gatehouse/contracts';

interface Entry {
  principal: Principal;
  /** Milliseconds since the epoch. */
  until: number;
}

/**
 * Principals the auth app vouched for (introspection, sessions), reused for a few seconds so that
 * not every request asks it again: an entry lives `ttlSeconds` at most and never past the
 * principal's `expiresAt`, so a revocation reaches the gateway that late at most. Bounded, the
 * oldest entry going first; keyed by a digest of the credential, never the credential itself.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limit = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get(digest: string): Principal | undefined {
    const entry = this.entries.get(digest);
    if (entry && entry.until > this.clock()) return entry.principal;
    this.entries.delete(digest);
    return undefined;
  }

  set(digest: string, principal: Principal, ttlSeconds: number): void {
    const now = this.clock();
    const until = Math.min(now + ttlSeconds * 1000, principal.expiresAt * 1000);
    if (until <= now) return;
    this.entries.delete(digest);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(digest, { principal, until });
  }
}
