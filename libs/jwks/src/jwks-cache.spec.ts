import { DomainError } from '@gatehouse/contracts';
import { ecKey, jwksOf, JwksTestServer, ManualClock, ManualScheduler, sendJson } from '../test/jwks-test-server';
import { JwksCache } from './jwks-cache';
import { resolveJwksSettings } from './jwks-settings';

const TTL = 300_000;
const COOLDOWN = 30_000;
const MAX_STALE = 3_600_000;
const BACKOFF = 5_000;

/**
 * TTL, refresh-ahead, cooldown and staleness against a real local server; time only moves when
 * the test moves the clock, and the background timer fires only when the test fires it.
 */
describe('JwksCache', () => {
  let server: JwksTestServer;
  let clock: ManualClock;
  let timer: ManualScheduler;
  let cache: JwksCache;
  const k1 = ecKey('k1');
  const k2 = ecKey('k2');

  const failing = (): void => {
    server.handler = (_request, response) => sendJson(response, { error: 'down' }, 503);
  };
  const recovering = (): void => {
    server.handler = undefined;
  };
  const rejection = (promise: Promise<unknown>): Promise<DomainError> =>
    promise.then(
      () => Promise.reject(new Error('expected a rejection')),
      (error: unknown) => (expect(error).toBeInstanceOf(DomainError), error as DomainError),
    );

  beforeEach(async () => {
    server = await JwksTestServer.start();
    server.jwks = jwksOf(k1);
    clock = new ManualClock();
    timer = new ManualScheduler();
    cache = new JwksCache({
      issuer: 'https://issuer.test',
      jwksUri: server.url(),
      allowedAlgs: ['ES256'],
      clock: clock.read,
      schedule: timer.schedule,
    });
  });
  afterEach(async () => {
    cache.close();
    await server.close();
  });

  describe('with no usable keys', () => {
    it('answers auth_unavailable with Retry-After, and backs off instead of refetching per request', async () => {
      failing();
      const error = await rejection(cache.getKey('k1'));
      expect(error.code).toBe('auth_unavailable');
      expect(error.headers).toEqual({ 'retry-after': '5' });
      expect(error.reason).toContain('HTTP 503');
      clock.advance(2_000);
      expect((await rejection(cache.getKey('k1'))).headers).toEqual({ 'retry-after': '3' });
      expect(server.requests()).toBe(1);
      expect(cache.peek('k1')).toBeUndefined();
      expect(cache.status()).toMatchObject({ usable: false, keys: 0, stale: false, fetches: 1, failures: 1 });
    });

    it('recovers when the issuer comes back', async () => {
      failing();
      await rejection(cache.getKey('k1'));
      recovering();
      clock.advance(BACKOFF);
      await expect(cache.getKey('k1')).resolves.toMatchObject({ kid: 'k1', alg: 'ES256' });
      expect(cache.status()).toMatchObject({ usable: true, keys: 1, lastError: undefined, lastSuccessAt: clock.now });
    });

    it('shares one fetch among concurrent callers (single flight)', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, () => cache.getKey('k1')));
      expect(server.requests()).toBe(1);
      expect(new Set(results.map((result) => result.key)).size).toBe(1);
    });
  });

  describe('on an unknown kid', () => {
    beforeEach(() => cache.getKey('k1'));

    it('refetches once, then remembers the kid and refuses it without a request during the cooldown', async () => {
      expect((await rejection(cache.getKey('nope'))).code).toBe('unknown_signing_key');
      expect(server.requests()).toBe(2);
      clock.advance(COOLDOWN - 1);
      expect((await rejection(cache.getKey('nope'))).reason).toContain('remembered as unknown');
      expect((await rejection(cache.getKey('other'))).reason).toContain('refetch cooling down');
      expect(server.requests()).toBe(2);
      clock.advance(1);
      expect((await rejection(cache.getKey('nope'))).code).toBe('unknown_signing_key');
      expect(server.requests()).toBe(3);
      expect(cache.status()).toMatchObject({ unknownKidRefetches: 2, fetches: 3 });
    });

    it('shares the one refetch among concurrent callers', async () => {
      const errors = await Promise.all(Array.from({ length: 10 }, (_, n) => rejection(cache.getKey(`bad-${n}`))));
      expect(errors.map((error) => error.code)).toEqual(Array(10).fill('unknown_signing_key'));
      expect(server.requests()).toBe(2);
    });

    it('lets every concurrent caller of a newly published kid wait for the one refetch, and find it', async () => {
      server.jwks = jwksOf(k1, k2);
      const found = await Promise.all(Array.from({ length: 10 }, () => cache.getKey('k2')));
      expect(found.map((key) => key.kid)).toEqual(Array(10).fill('k2'));
      expect(server.requests()).toBe(2);
    });

    it('finds a key that was published since the last fetch', async () => {
      server.jwks = jwksOf(k1, k2);
      await expect(cache.getKey('k2')).resolves.toMatchObject({ kid: 'k2' });
      expect(server.requests()).toBe(2);
    });
  });

  describe('on an unknown kid of a trusted issuer (on demand)', () => {
    let trusted: JwksCache;
    beforeEach(async () => {
      trusted = new JwksCache({
        issuer: 'https://internal.test',
        jwksUri: server.url(),
        allowedAlgs: ['ES256'],
        unknownKidRefetch: 'on-demand',
        unknownKidCooldownMs: 50,
        clock: clock.read,
        schedule: timer.schedule,
      });
      await trusted.getKey('k1');
    });
    afterEach(() => trusted.close());

    it('finds a key published during the cooldown by waiting for the next refetch, never refusing it', async () => {
      expect((await rejection(trusted.getKey('k2'))).reason).toContain('absent after a refetch');
      server.jwks = jwksOf(k1, k2);
      await expect(trusted.getKey('k2')).resolves.toMatchObject({ kid: 'k2' });
      expect(server.requests()).toBe(3);
    });

    it('shares one refetch among the callers waiting out the cooldown', async () => {
      await rejection(trusted.getKey('k2'));
      server.jwks = jwksOf(k1, k2);
      const found = await Promise.all(Array.from({ length: 10 }, () => trusted.getKey('k2')));
      expect(found.map((key) => key.kid)).toEqual(Array(10).fill('k2'));
      expect(server.requests()).toBe(3);
      expect(trusted.status()).toMatchObject({ unknownKidRefetches: 2 });
    });

    it('defaults to a 1 s cooldown, external issuers keeping 30 s', () => {
      expect(resolveJwksSettings({ issuer: 'i', jwksUri: server.url(), allowedAlgs: ['ES256'], unknownKidRefetch: 'on-demand' }).unknownKidCooldownMs).toBe(
        1_000,
      );
      expect(resolveJwksSettings({ issuer: 'i', jwksUri: server.url(), allowedAlgs: ['ES256'] }).unknownKidCooldownMs).toBe(30_000);
    });
  });

  describe('when refreshes fail', () => {
    beforeEach(async () => {
      await cache.getKey('k1');
      failing();
    });

    it('keeps serving the last good keys, stale, up to maxStale past the TTL', async () => {
      clock.advance(TTL + MAX_STALE);
      const served = cache.peek('k1');
      expect(served?.kid).toBe('k1');
      await cache.idle();
      await expect(cache.getKey('k1')).resolves.toBe(served);
      expect(cache.status()).toMatchObject({ usable: true, stale: true, keys: 1, lastError: 'HTTP 503', failures: 1 });
    });

    it('then answers auth_unavailable with Retry-After, and recovers when the issuer does', async () => {
      clock.advance(TTL + MAX_STALE + 1);
      const error = await rejection(cache.getKey('k1'));
      expect(error.code).toBe('auth_unavailable');
      expect(error.headers['retry-after']).toBe('5');
      expect(cache.status()).toMatchObject({ usable: false, stale: true, keys: 0 });
      recovering();
      clock.advance(BACKOFF);
      await expect(cache.getKey('k1')).resolves.toMatchObject({ kid: 'k1' });
      expect(cache.status()).toMatchObject({ usable: true, stale: false, keys: 1 });
    });

    it('retries in the background after the backoff, not on every request', async () => {
      clock.advance(TTL);
      cache.peek('k1');
      await cache.idle();
      for (let n = 0; n < 20; n++) cache.peek('k1');
      await cache.idle();
      expect(server.requests()).toBe(2);
      expect(timer.pending?.delayMs).toBe(BACKOFF);
      recovering();
      server.jwks = jwksOf(k2);
      timer.fire();
      await cache.idle();
      expect(cache.peek('k2')?.kid).toBe('k2');
    });
  });

  describe('refresh ahead of the TTL', () => {
    beforeEach(() => cache.getKey('k1'));

    it('fires its timer at 75% of the TTL and picks up a rotated key before the TTL ends', async () => {
      expect(timer.pending?.delayMs).toBe(TTL * 0.75);
      server.jwks = jwksOf(k2);
      clock.advance(TTL * 0.75);
      timer.fire();
      await cache.idle();
      expect(server.requests()).toBe(2);
      expect(cache.peek('k2')?.kid).toBe('k2');
      expect(cache.peek('k1')).toBeUndefined();
      expect(timer.pending?.delayMs).toBe(TTL * 0.75);
    });

    it('is also started by the first request past the refresh point, which is answered at once', async () => {
      clock.advance(TTL * 0.75 - 1);
      expect(cache.peek('k1')?.kid).toBe('k1');
      expect(server.requests()).toBe(1);
      server.jwks = jwksOf(k1, k2);
      clock.advance(1);
      expect(cache.peek('k1')?.kid).toBe('k1');
      await cache.idle();
      expect(server.requests()).toBe(2);
      expect(cache.peek('k2')?.kid).toBe('k2');
    });

    it('stops with close(): no timer, no fetch', async () => {
      cache.close();
      expect(timer.pending).toBeUndefined();
      clock.advance(TTL);
      cache.peek('k1');
      await cache.refresh();
      expect(server.requests()).toBe(1);
    });
  });

  it('refuses a configuration that would weaken it', () => {
    const base = { issuer: 'i', jwksUri: 'https://a.test/jwks', allowedAlgs: ['ES256' as const] };
    expect(() => new JwksCache({ ...base, allowedAlgs: [] })).toThrow('allowedAlgs');
    expect(() => new JwksCache({ ...base, jwksUri: 'file:///etc/jwks' })).toThrow('http(s)');
    expect(() => new JwksCache({ ...base, jwksUri: 'https://u:p@a.test/' })).toThrow('without credentials');
    expect(() => new JwksCache({ ...base, unknownKidCooldownMs: 0 })).toThrow('unknownKidCooldownMs');
    expect(() => new JwksCache({ ...base, refreshAheadRatio: 1.5 })).toThrow('refreshAheadRatio');
  });
});
