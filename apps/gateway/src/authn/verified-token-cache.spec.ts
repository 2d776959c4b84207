import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Principal } from '@gatehouse/contracts';
import { VerifiedTokenCache } from './verified-token-cache';

const key = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const principal = (expiresAt: number): Principal => ({ kind: 'user', subject: 'u', clientId: 'c', roles: [], scopes: [], tokenId: 'j', expiresAt });

describe('VerifiedTokenCache', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;
  const k1 = key();
  const current = (issuer: string, kid: string) => (issuer === 'iss' && kid === 'k1' ? k1 : undefined);
  const entry = (exp = now / 1000 + 60) => ({ principal: principal(exp), issuer: 'iss', kid: 'k1', key: k1 });

  it('keys entries by a digest of the token, never the token itself', () => {
    const digest = VerifiedTokenCache.digest('a.b.c');
    expect(digest).not.toContain('a.b.c');
    expect(digest).toHaveLength(43);
  });

  it('answers a hit until exp, never at or past it', () => {
    const cache = new VerifiedTokenCache(10, clock);
    cache.set('d', entry());
    expect(cache.get('d', current)).toBeDefined();
    now += 60_000;
    expect(cache.get('d', current)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('misses once the issuer no longer serves the same key under the kid (rotation, a replaced key)', () => {
    const cache = new VerifiedTokenCache(10, clock);
    cache.set('d', entry());
    expect(cache.get('d', () => key())).toBeUndefined();
    cache.set('d', entry());
    expect(cache.get('d', () => undefined)).toBeUndefined();
  });

  it('stays within its capacity, evicting the least recently used', () => {
    const cache = new VerifiedTokenCache(2, clock);
    cache.set('a', entry());
    cache.set('b', entry());
    cache.get('a', current);
    cache.set('c', entry());
    expect(cache.size).toBe(2);
    expect(cache.get('b', current)).toBeUndefined();
    expect(cache.get('a', current)).toBeDefined();
    expect(cache.get('c', current)).toBeDefined();
  });

  it('holds nothing with capacity 0', () => {
    const cache = new VerifiedTokenCache(0, clock);
    cache.set('a', entry());
    expect(cache.get('a', current)).toBeUndefined();
  });
});
