import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { EchoUpstream } from './support/echo-upstream';
import { basic, postForm } from './support/oauth';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const PASSWORD = 'a long enough passphrase for tests';
const SECRET = { acme: 'acme-secret-0123456789abcdefghijklmn', globex: 'globex-secret-0123456789abcdefghijk', gateway: 'gateway-secret-0123456789abcdefghij' };
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme, plan: small }
  - { id: globex, name: Globex }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${SECRET.acme}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: globex-cli, tenant: globex, secret: "${SECRET.globex}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: gateway, secret: "${SECRET.gateway}", grantTypes: [client_credentials], scopes: [], introspect: true }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: "${PASSWORD}" }
  - { tenant: acme, username: carol, email: carol@acme.test, password: "${PASSWORD}" }
  - { tenant: acme, username: erin, email: erin@acme.test, password: "${PASSWORD}" }
  - { tenant: globex, username: dave, email: dave@globex.test, password: "${PASSWORD}" }
`;
const ROUTES = `
routes:
  - { prefix: /signin, upstream: USERS_URL, auth: public, rateLimit: auth }
  - { prefix: /open, upstream: USERS_URL, auth: public, rateLimit: public }
  - { prefix: /anon, upstream: USERS_URL, auth: public }
  - { prefix: /api, upstream: USERS_URL, auth: jwt, propagation: headers }
  - { prefix: /t, upstream: USERS_URL, auth: jwt, tenant: [header], propagation: headers }
`;
// Windows of two seconds: short enough to wait out, long enough for a burst to land in one.
const LIMITS = {
  RATE_LIMIT_DEFAULT: '5/2',
  RATE_LIMIT_PUBLIC: '4/2',
  RATE_LIMIT_AUTH: '3/2',
  RATE_LIMIT_TENANT_PLANS: 'default=1000,small=8',
  RATE_LIMIT_TENANT_WINDOW: '2',
};

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: string; requestId?: string; message?: string };
}

const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 150));

/** Pipeline step 7: each class and key reaches its limit at the right count, with the right headers. */
describe('gateway: rate limits per class, user, address, tenant and globally', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;
  let plain: RunningApp;
  const tokens: Record<string, string> = {};

  async function call(app: RunningApp, path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${app.url}${path}`, { headers });
    const body = (await response.json()) as Answer['body'];
    return { status: response.status, headers: response.headers, body };
  }
  const as = (user: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${tokens[user]}`, ...extra });
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const statuses = async (count: number, send: () => Promise<Answer>) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await send()).status);
    return seen;
  };
  const limitHeaders = (answer: Answer) => ({
    limit: answer.headers.get('ratelimit-limit'),
    remaining: answer.headers.get('ratelimit-remaining'),
    reset: Number(answer.headers.get('ratelimit-reset')),
  });

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    writeFileSync(join(testEnv.dataDir, 'bootstrap.yaml'), BOOTSTRAP);
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: join(testEnv.dataDir, 'bootstrap.yaml') } });
    const gatewayEnv = {
      ...testEnv.env,
      ...LIMITS,
      GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'),
      USERS_URL: upstreamUrl,
      GATEWAY_CLIENT_SECRET: SECRET.gateway,
    };
    gateway = await startApp(gatewayApp, { env: { ...gatewayEnv, GATEWAY_TRUSTED_PROXIES: '127.0.0.1' } });
    // No trusted proxy, its own counters (another key prefix) and a low global ceiling.
    plain = await startApp(gatewayApp, {
      env: {
        ...gatewayEnv,
        GATEWAY_PORT: String(await freePort()),
        RATE_LIMIT_PUBLIC: '1000/60',
        RATE_LIMIT_GLOBAL: '6/2',
        REDIS_KEY_PREFIX: 'test:plain:' + Date.now() + ':',
      },
    });
    for (const [user, client, secret] of [
      ['alice', 'acme-cli', SECRET.acme],
      ['carol', 'acme-cli', SECRET.acme],
      ['erin', 'acme-cli', SECRET.acme],
      ['dave', 'globex-cli', SECRET.globex],
    ]) {
      const answer = await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: user, password: PASSWORD },
        { authorization: basic(client, secret) },
      );
      tokens[user] = answer.body.access_token;
    }
  });

  afterAll(async () => {
    await plain?.close();
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('refuses before anything is counted: the negative case first', async () => {
    const refused = await call(gateway, '/api/x');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('ratelimit-limit')).toBeNull();
  });

  it('default class, per user: five pass with the remaining count falling, the sixth is 429 rate_limited with Retry-After', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await call(gateway, '/api/x', as('alice')));
    expect(answers.slice(0, 5).map((answer) => [answer.status, answer.headers.get('ratelimit-remaining')])).toEqual([
      [200, '4'],
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    expect(limitHeaders(answers[0])).toMatchObject({ limit: '5' });
    const refused = answers[5];
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'rate_limited', message: expect.any(String) as string, requestId: expect.any(String) as string });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect(limitHeaders(refused)).toMatchObject({ limit: '5', remaining: '0' });
    expect(refused.headers.get('cache-control')).toBe('no-store');

    // Another user from the same address has a bucket of their own.
    expect((await call(gateway, '/api/x', as('carol'))).status).toBe(200);
    await pause(Number(refused.headers.get('retry-after')));
    expect((await call(gateway, '/api/x', as('alice'))).status).toBe(200);
  });

  it('default class, anonymous: per client address, taken from X-Forwarded-For only behind a trusted proxy', async () => {
    expect(await statuses(6, () => call(gateway, '/anon/x', from('198.51.100.1')))).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await call(gateway, '/anon/x', from('198.51.100.2'))).status).toBe(200);
    // Without a trusted proxy, whatever address a client claims, its bucket is its connection's.
    const claimed = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5', '203.0.113.6'];
    const seen: number[] = [];
    for (const address of claimed) seen.push((await call(plain, '/anon/x', from(address))).status);
    expect(seen).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('public class: per client address, at its own limit', async () => {
    expect(await statuses(5, () => call(gateway, '/open/x', from('198.51.100.10')))).toEqual([200, 200, 200, 200, 429]);
    expect(limitHeaders(await call(gateway, '/open/x', from('198.51.100.11')))).toMatchObject({ limit: '4', remaining: '3' });
  });

  it('auth class: per client address, at its own limit', async () => {
    expect(await statuses(4, () => call(gateway, '/signin/x', from('198.51.100.20')))).toEqual([200, 200, 200, 429]);
    expect((await call(gateway, '/signin/x', from('198.51.100.21'))).status).toBe(200);
  });

  it("tenant plan: one tenant's users share its limit; another tenant's counters are untouched and never shown", async () => {
    await pause(2);
    const acme = { 'x-tenant-id': 'acme' };
    const spread = [
      ...(await statuses(4, () => call(gateway, '/t/x', as('carol', acme)))),
      ...(await statuses(4, () => call(gateway, '/t/x', as('erin', acme)))),
    ];
    expect(spread).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    const over = await call(gateway, '/t/x', as('alice', acme));
    expect(over.status).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: '8', remaining: '0' });
    const other = await call(gateway, '/t/x', as('dave', { 'x-tenant-id': 'globex' }));
    expect(other.status).toBe(200);
    expect(limitHeaders(other)).toMatchObject({ limit: '5', remaining: '4' });
  });

  it('global ceiling: every caller together, with Retry-After and no figure of the shared bucket', async () => {
    await pause(2);
    const seen: Answer[] = [];
    for (let i = 0; i < 7; i++) seen.push(await call(plain, '/open/x', i % 2 ? as('alice') : {}));
    expect(seen.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const refused = seen[6];
    expect(refused.body.error).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limitHeaders(refused).limit).toBe('1000');
    expect((await call(plain, '/open/x', as('dave'))).status).toBe(429);
    await pause(Number(refused.headers.get('retry-after')));
    expect((await call(plain, '/open/x', as('dave'))).status).toBe(200);
  });
});
