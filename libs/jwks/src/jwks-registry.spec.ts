import { DomainError } from '@gatehouse/contracts';
import { ecKey, ed25519Key, jwksOf, JwksTestServer, ManualClock } from '../test/jwks-test-server';
import { JwksCache } from './jwks-cache';
import { JwksRegistry } from './jwks-registry';

const A = 'https://a.test';
const B = 'https://b.test';

/** Two issuers on one real server (their own paths), each publishing its own keys. */
describe('JwksRegistry', () => {
  let server: JwksTestServer;
  let registry: JwksRegistry;
  const keyA = ecKey('a-1');
  const keyB = ed25519Key('b-1');
  const shared = ecKey('same-kid');

  beforeEach(async () => {
    server = await JwksTestServer.start();
    server.handler = (request, response) => {
      const body = JSON.stringify(request.url === '/a' ? jwksOf(keyA, shared) : jwksOf(keyB));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    const clock = new ManualClock().read;
    const schedule = () => () => undefined;
    registry = new JwksRegistry([
      new JwksCache({ issuer: A, jwksUri: server.url('/a'), allowedAlgs: ['ES256'], clock, schedule }),
      { issuer: B, jwksUri: server.url('/b'), allowedAlgs: ['EdDSA', 'ES256'], clock, schedule },
    ]);
  });
  afterEach(async () => {
    registry.close();
    await server.close();
  });

  it('never answers a key of issuer A for a token claiming issuer B', async () => {
    await registry.refreshAll();
    await expect(registry.keyFor(A, 'a-1')).resolves.toMatchObject({ issuer: A, kid: 'a-1' });
    const error = await registry.keyFor(B, 'a-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('unknown_signing_key');
    expect(registry.peek(B, 'same-kid')).toBeUndefined();
    expect(registry.peek(A, 'b-1')).toBeUndefined();
    // B's refetch for the foreign kid went to B's own URL, never to A's.
    expect([server.requests('/a'), server.requests('/b')]).toEqual([1, 2]);
  });

  it.each(['https://evil.test', `${A}/`, A.toUpperCase(), '__proto__', 'constructor', ''])(
    'refuses a token from an issuer it does not trust (%p) as invalid_claims, without a request',
    async (issuer) => {
      const error = await registry.keyFor(issuer, 'a-1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('invalid_claims');
      expect(registry.peek(issuer, 'a-1')).toBeUndefined();
      expect(server.requests('/a') + server.requests('/b')).toBe(0);
    },
  );

  it('reports each issuer for readiness, and refuses a second cache for one issuer', async () => {
    expect(registry.usable()).toBe(false);
    await registry.refreshAll();
    expect(registry.usable()).toBe(true);
    expect(registry.status().map(({ issuer, keys, usable }) => ({ issuer, keys, usable }))).toEqual([
      { issuer: A, keys: 2, usable: true },
      { issuer: B, keys: 1, usable: true },
    ]);
    expect(registry.issuers()).toEqual([A, B]);
    expect(registry.get(B)?.jwksUri).toBe(server.url('/b'));
    expect(() => registry.add({ issuer: A, jwksUri: server.url('/x'), allowedAlgs: ['ES256'] })).toThrow('already registered');
  });
});
