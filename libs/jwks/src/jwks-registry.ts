import { DomainError } from '@gatehouse/contracts';
import { JwksCache } from './jwks-cache';
import type { JwksCacheOptions, JwksKey, JwksStatus } from './jwks.types';

/**
 * The trusted issuers and their key sets. A key is only ever looked up in the cache of the
 * issuer the token claims, so a key published by issuer A can never verify a token claiming B.
 * Issuers are compared as exact strings (no normalisation of case or trailing slash), and a Map
 * keeps attacker-chosen names such as `__proto__` from reaching anything but a miss.
 */
export class JwksRegistry {
  private readonly caches = new Map<string, JwksCache>();

  constructor(caches: Iterable<JwksCache | JwksCacheOptions> = []) {
    for (const cache of caches) this.add(cache);
  }

  /** Adds an issuer; a second cache for the same issuer is a configuration error. */
  add(cacheOrOptions: JwksCache | JwksCacheOptions): JwksCache {
    const { issuer } = cacheOrOptions;
    if (this.caches.has(issuer)) throw new Error(`JWKS registry: issuer ${issuer} is already registered`);
    const cache = cacheOrOptions instanceof JwksCache ? cacheOrOptions : new JwksCache(cacheOrOptions);
    this.caches.set(issuer, cache);
    return cache;
  }

  /** Forgets an issuer (its declaration changed or went away), closing its cache. */
  remove(issuer: string): void {
    this.caches.get(issuer)?.close();
    this.caches.delete(issuer);
  }

  get(issuer: string): JwksCache | undefined {
    return this.caches.get(issuer);
  }

  issuers(): string[] {
    return [...this.caches.keys()];
  }

  /** Synchronous hot path, as `JwksCache.peek`; undefined for an unknown issuer too. */
  peek(issuer: string, kid: string): JwksKey | undefined {
    return this.caches.get(issuer)?.peek(kid);
  }

  /**
   * The key of `kid` in `issuer`'s set only. An issuer not registered (or not a string: `iss` is
   * the token's word) is `invalid_claims`: the signature may be fine, the claim is not accepted.
   */
  keyFor(issuer: unknown, kid: string): Promise<JwksKey> {
    const cache = typeof issuer === 'string' ? this.caches.get(issuer) : undefined;
    if (!cache) {
      const reason = `iss ${JSON.stringify(issuer)?.slice(0, 200)} is not trusted`;
      return Promise.reject(new DomainError('invalid_claims', reason));
    }
    return cache.getKey(kid);
  }

  /** Fetches every set (at start, so the first requests find keys); never rejects. */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.caches.values()].map((cache) => cache.refresh()));
  }

  status(): JwksStatus[] {
    return [...this.caches.values()].map((cache) => cache.status());
  }

  /** Ready when every issuer can serve keys; `/health/ready` should report the failing ones. */
  usable(): boolean {
    return [...this.caches.values()].every((cache) => cache.status().usable);
  }

  close(): void {
    for (const cache of this.caches.values()) cache.close();
  }
}
