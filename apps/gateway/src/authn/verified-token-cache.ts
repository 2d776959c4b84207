import { hash, type KeyObject } from 'node:crypto';
import type { Principal } from '@gatehouse/contracts';
import { LruMap } from '../caching/lru-map';

export interface VerifiedToken {
  principal: Principal;
  issuer: string;
  kid: string;
  /** The key object that verified the token: a hit counts only while the issuer still serves it. */
  key: KeyObject;
}

/**
 * Tokens already verified, so a client's next request skips the signature.
 * Bounded LRU keyed by the SHA-256 of the token (the token itself is never held as a key); an
 * entry never outlives the token's `exp`; and a hit counts only while the issuer still serves the
 * same key under the same kid, so a key withdrawn by rotation invalidates its entries. Checks
 * that must run on every request (revocation) run after the cache, on hits as on misses.
 */
export class VerifiedTokenCache {
  private readonly entries: LruMap<VerifiedToken>;

  constructor(
    capacity: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.entries = new LruMap(capacity);
  }

  // One-shot: no Hash object per request.
  static digest(token: string): string {
    return hash('sha256', token, 'base64url');
  }

  /** The entry for this digest if it is still valid and `currentKey` is the key that verified it. */
  get(digest: string, currentKey: (issuer: string, kid: string) => KeyObject | undefined): VerifiedToken | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.principal.expiresAt * 1000 <= this.clock() || currentKey(entry.issuer, entry.kid) !== entry.key) {
      this.entries.delete(digest);
      return undefined;
    }
    return entry;
  }

  set(digest: string, entry: VerifiedToken): void {
    this.entries.set(digest, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
