import { DomainError } from '@gatehouse/contracts';
import { gzipSync } from 'node:zlib';
import { ecKey, jwksOf, JwksTestServer, ManualClock, rsaKey, sendJson } from '../test/jwks-test-server';
import { JwksCache } from './jwks-cache';
import type { JwksCacheOptions } from './jwks.types';

/**
 * The JWKS response is untrusted input. Each case serves a hostile or broken answer from a real
 * local server and checks that the cache refuses it: no key, `auth_unavailable`, the reason in
 * `status().lastError`.
 */
describe('JWKS fetch over HTTP', () => {
  let server: JwksTestServer;
  const caches: JwksCache[] = [];
  const good = ecKey('good');

  const cacheFor = (options: Partial<JwksCacheOptions> = {}): JwksCache => {
    const cache = new JwksCache({
      issuer: 'https://issuer.test',
      jwksUri: server.url(),
      allowedAlgs: ['RS256', 'ES256', 'EdDSA'],
      clock: new ManualClock().read,
      schedule: () => () => undefined,
      ...options,
    });
    caches.push(cache);
    return cache;
  };

  /** getKey must refuse with 503 auth_unavailable; returns the recorded reason. */
  const refusal = async (cache: JwksCache): Promise<string> => {
    const error = await cache.getKey('good').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('auth_unavailable');
    expect((error as DomainError).headers['retry-after']).toMatch(/^\d+$/);
    expect(cache.status()).toMatchObject({ usable: false, keys: 0, fetches: 1, failures: 1 });
    return cache.status().lastError ?? '';
  };

  beforeEach(async () => {
    server = await JwksTestServer.start();
    server.jwks = jwksOf(good);
  });
  afterEach(async () => {
    caches.splice(0).forEach((cache) => cache.close());
    await server.close();
  });

  it('refuses a redirect, and never follows it', async () => {
    server.handler = (request, response) => {
      if (request.url === '/elsewhere') return sendJson(response, jwksOf(good));
      response.writeHead(302, { location: '/elsewhere' }).end();
    };
    expect(await refusal(cacheFor())).toContain('redirect');
    expect(server.requests('/elsewhere')).toBe(0);
  });

  it('refuses a body whose Content-Length exceeds the cap', async () => {
    server.handler = (_request, response) => sendJson(response, { keys: [good.jwk], pad: 'x'.repeat(2000) });
    expect(await refusal(cacheFor({ maxBytes: 1024 }))).toMatch(/^Content-Length \d+ exceeds 1024 bytes$/);
  });

  it('refuses an oversized chunked body that declares no length', async () => {
    server.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"keys":[');
      for (let chunk = 0; chunk < 64; chunk++) response.write(`${JSON.stringify(good.jwk)},`);
      response.end(`${JSON.stringify(good.jwk)}]}`);
    };
    expect(await refusal(cacheFor({ maxBytes: 4096 }))).toBe('body exceeds 4096 bytes');
  });

  it('counts bytes after decoding, so a small compressed body cannot expand past the cap', async () => {
    const body = gzipSync(JSON.stringify({ keys: [good.jwk], pad: ' '.repeat(200_000) }));
    server.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
      response.end(body);
    };
    expect(body.length).toBeLessThan(4096);
    expect(await refusal(cacheFor({ maxBytes: 4096 }))).toBe('body exceeds 4096 bytes');
  });

  it('gives up on a server that never answers', async () => {
    server.handler = () => undefined;
    expect(await refusal(cacheFor({ fetchTimeoutMs: 150 }))).toBe('timed out after 150 ms');
  });

  it('gives up on a body that stalls after the headers', async () => {
    server.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"keys":[');
    };
    expect(await refusal(cacheFor({ fetchTimeoutMs: 150 }))).toBe('timed out after 150 ms');
  });

  it.each([
    ['malformed JSON', 'application/json', '{"keys": [', 'body is not valid JSON'],
    ['a body that is not UTF-8', 'application/json', Buffer.from([0x7b, 0xff, 0x7d]), 'body is not UTF-8'],
    ['a non-JSON content type', 'text/html', '<html>', 'content type "text/html" is not JSON'],
  ])('refuses %s', async (_case, contentType, body, reason) => {
    server.handler = (_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body);
    expect(await refusal(cacheFor())).toBe(reason);
  });

  it('refuses an error status and a connection refused', async () => {
    server.handler = (_request, response) => sendJson(response, jwksOf(good), 500);
    expect(await refusal(cacheFor())).toBe('HTTP 500');
    const closed = server.url();
    await server.close();
    server = await JwksTestServer.start();
    expect(await refusal(cacheFor({ jwksUri: closed }))).toMatch(/^request failed: .*ECONNREFUSED/);
  });

  it('refuses a set whose only keys are private, weak or of a refused algorithm', async () => {
    server.jwks = {
      keys: [
        { ...good.jwk, kid: 'leaked', d: 'AQAB' },
        rsaKey('weak', 1024).jwk,
        { ...rsaKey('rs384').jwk, alg: 'RS384' },
        { ...good.jwk, kid: 'es', alg: 'ES256' },
      ],
    };
    const reason = await refusal(cacheFor({ allowedAlgs: ['RS256'] }));
    expect(reason).toContain('kid "leaked": carries the private member "d"');
    expect(reason).toContain('kid "weak": RSA modulus of 1024 bits is refused');
    expect(reason).toContain('kid "rs384": alg "RS384" is not allowed');
    expect(reason).toContain('kid "es": alg "ES256" is not allowed');
  });

  it('serves the usable keys of a set that also holds bad ones, reporting what it skipped', async () => {
    server.jwks = { keys: [{ ...good.jwk, kid: 'leaked', d: 'AQAB' }, good.jwk, { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' }] };
    const cache = cacheFor();
    await expect(cache.getKey('good')).resolves.toMatchObject({ kid: 'good', alg: 'ES256', issuer: 'https://issuer.test' });
    await expect(cache.getKey('leaked')).rejects.toMatchObject({ code: 'unknown_signing_key' });
    expect(cache.status()).toMatchObject({ usable: true, keys: 1, skippedKeys: 2 });
    expect(cache.status().skippedReasons).toHaveLength(2);
  });

  it('asks for JSON with a GET, redirects refused and a deadline, through the injectable fetch', async () => {
    const seen: RequestInit[] = [];
    const cache = cacheFor({ fetch: (url, init) => (seen.push(init), fetch(url, init)) });
    await expect(cache.getKey('good')).resolves.toMatchObject({ kid: 'good' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', redirect: 'error', headers: { accept: expect.stringContaining('json') } });
    expect(seen[0].signal).toBeInstanceOf(AbortSignal);
  });
});
