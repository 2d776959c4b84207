import type { Principal } from '@gatehouse/contracts';
import { PrincipalCache } from './principal-cache';

const principal = (expiresAt: number): Principal => ({ kind: 'user', subject: 'u', clientId: 'c', roles: [], scopes: [], tokenId: 'sid', expiresAt });

describe('PrincipalCache', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;

  it('answers an entry for its time to live, then no more', () => {
    const cache = new PrincipalCache(10, clock);
    cache.set('d', principal(now / 1000 + 3600), 10);
    now += 9_999;
    expect(cache.get('d')).toBeDefined();
    now += 1;
    expect(cache.get('d')).toBeUndefined();
  });

  it("never answers past the principal's expiry, and holds nothing with a ttl of 0", () => {
    const cache = new PrincipalCache(10, clock);
    cache.set('d', principal(now / 1000 + 2), 10);
    now += 2_000;
    expect(cache.get('d')).toBeUndefined();
    cache.set('z', principal(now / 1000 + 3600), 0);
    expect(cache.get('z')).toBeUndefined();
  });

  it('stays within its limit, the oldest entry going first', () => {
    const cache = new PrincipalCache(2, clock);
    for (const digest of ['a', 'b', 'c']) cache.set(digest, principal(now / 1000 + 3600), 10);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});

describe('PrincipalCache, stale answers', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;

  it('keeps an entry past its time to live for `stale` only, within the stale period and the expiry', () => {
    const cache = new PrincipalCache(10, clock, 60_000);
    cache.set('d', principal(now / 1000 + 30), 10);
    now += 10_000;
    expect(cache.get('d')).toBeUndefined();
    expect(cache.stale('d')).toBeDefined();
    now += 20_000;
    expect(cache.stale('d')).toBeUndefined();
  });

  it('without a stale period, answers nothing stale', () => {
    const cache = new PrincipalCache(10, clock);
    cache.set('d', principal(now / 1000 + 3600), 10);
    now += 10_000;
    expect(cache.stale('d')).toBeUndefined();
  });
});

describe('PrincipalCache.forget', () => {
  it('drops an entry, stale use included', () => {
    const now = 1_000_000_000_000;
    const cache = new PrincipalCache(10, () => now, 60_000);
    cache.set('d', principal(now / 1000 + 3600), 10);
    cache.forget('d');
    expect(cache.get('d')).toBeUndefined();
    expect(cache.stale('d')).toBeUndefined();
  });
});
