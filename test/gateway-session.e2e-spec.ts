import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { SessionsClock } from '../apps/auth/src/sessions/sessions-clock';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
const OTHER_APP = 'https://app.gateway.test';
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /auth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /admin, upstream: AUTH_INTERNAL_URL, auth: jwt, propagation: pass-through }
  - { prefix: /app, upstream: USERS_URL, auth: session, propagation: headers }
`;
const CHALLENGE = 'Bearer realm="gatehouse"';
const COOKIE = /^gh_session=([A-Za-z0-9_-]{43}); HttpOnly; SameSite=Lax; Path=\/$/;
const DEVICE_COOKIE = /^gh_device=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=\d+$/;
// Idle at its minimum; the absolute lifetime a little over two idle periods, to tell them apart.
const AUTH_TIMES = { SESSION_IDLE_TTL: '60', SESSION_TTL: '150' };

describe('gateway: session routes, with browser sessions from the auth app', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;

  const json = (path: string, body: object, headers: Record<string, string> = {}) =>
    http<Record<string, unknown>>(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const signIn = (username: string, password: string, tenant = 'acme') => json('/auth/session', { tenant, username, password });
  async function sessionOf(username = 'alice', password = SECRETS.ALICE_PASSWORD, tenant = 'acme'): Promise<string> {
    const answer = await signIn(username, password, tenant);
    expect(answer.status).toBe(204);
    return answer.headers.getSetCookie().flatMap((line) => COOKIE.exec(line)?.[1] ?? [])[0] ?? 'no cookie';
  }
  const call = (path: string, secret?: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    http<Echo>(`${gateway.url}${path}`, { method: init.method ?? 'GET', headers: { ...(secret ? { cookie: `gh_session=${secret}` } : {}), ...init.headers } });
  const bearerOf = async (username: string, password: string, tenant = 'acme') =>
    (await json('/auth/login', { tenant, username, password })).body.access_token as string;

  function expectRefused(answer: HttpResult, status: number, code: string, challenge: string | null = CHALLENGE) {
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body: { error: code, message: expect.any(String), requestId: expect.any(String) } });
    expect(answer.headers.get('www-authenticate')).toBe(challenge);
  }

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir), ...AUTH_TIMES } });
    // No session cache: a logout or an expiry shows on the very next request.
    const gatewayEnv = {
      GATEWAY_ROUTES_FILE: routes,
      USERS_URL: upstreamUrl,
      GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET,
      SESSION_CACHE_TTL: '0',
      SESSION_ALLOWED_ORIGINS: OTHER_APP,
    };
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, ...gatewayEnv } });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  afterEach(() => jest.restoreAllMocks());

  it('POST /auth/session through the gateway: 204, the session cookie and the device cookie, with exactly these attributes', async () => {
    const answer = await signIn('alice', SECRETS.ALICE_PASSWORD);
    expect(answer.status).toBe(204);
    expect(answer.headers.getSetCookie()).toEqual([expect.stringMatching(COOKIE), expect.stringMatching(DEVICE_COOKIE)]);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('a wrong password or an unknown user: the very answer /auth/login gives', async () => {
    for (const [username, password] of [
      ['alice', 'not the password at all'],
      ['nobody', 'not the password at all'],
    ]) {
      const [session, login] = await Promise.all([signIn(username, password), json('/auth/login', { tenant: 'acme', username, password })]);
      expect({ status: session.status, body: session.body }).toEqual({ status: login.status, body: login.body });
      expect(session.body).toEqual({ error: 'invalid_grant', error_description: 'The username or password is incorrect.' });
      expect(session.headers.get('set-cookie')).toBeNull();
    }
  });

  it('lets the session through with its identity, and never hands the session cookie upstream', async () => {
    const secret = await sessionOf();
    const aliceId = decodeJwt(await bearerOf('alice', SECRETS.ALICE_PASSWORD)).payload.sub;
    const answer = await call('/app/me', undefined, { headers: { cookie: `theme=dark; gh_session=${secret}; lang=fr`, 'x-user-id': 'root' } });
    expect(answer.status).toBe(200);
    expect(answer.body.headers).toMatchObject({
      'x-user-id': aliceId,
      'x-tenant-id': 'acme',
      'x-user-email': 'alice@acme.test',
      'x-user-roles': 'admin',
      'x-client-id': 'gatehouse',
      'x-token-scopes': 'profile',
      'x-subject-type': 'user',
      cookie: 'theme=dark; lang=fr',
    });
    expect(answer.body.headers.authorization).toBeUndefined();
    expect((await call('/app/me', secret)).body.headers.cookie).toBeUndefined();
  });

  it('no cookie, even with a bearer token: 401 missing_token with a bare challenge', async () => {
    expectRefused(await call('/app/me'), 401, 'missing_token');
    expectRefused(
      await call('/app/me', undefined, { headers: { authorization: `Bearer ${await bearerOf('alice', SECRETS.ALICE_PASSWORD)}` } }),
      401,
      'missing_token',
    );
  });

  it('a made-up or malformed cookie: 401 session_expired', async () => {
    expectRefused(await call('/app/me', 'A'.repeat(43)), 401, 'session_expired');
    expectRefused(await call('/app/me', 'made-up'), 401, 'session_expired');
    expectRefused(await call('/app/me', undefined, { headers: { cookie: 'gh_session=' } }), 401, 'session_expired');
  });

  it('exactly one credential: the cookie with a bearer token, or two session cookies, is 400 invalid_request', async () => {
    const secret = await sessionOf();
    const invalid = `${CHALLENGE}, error="invalid_request"`;
    expectRefused(
      await call('/app/me', secret, { headers: { authorization: `Bearer ${await bearerOf('alice', SECRETS.ALICE_PASSWORD)}` } }),
      400,
      'invalid_request',
      invalid,
    );
    expectRefused(await call(`/app/me?access_token=x`, secret), 400, 'invalid_request', invalid);
    expectRefused(await call('/app/me', undefined, { headers: { cookie: `gh_session=${secret}; gh_session=${secret}` } }), 400, 'invalid_request', invalid);
  });

  it('CSRF: an unsafe method needs the Origin of the public origin or an allowed one, else 403 forbidden', async () => {
    const secret = await sessionOf();
    for (const origin of [undefined, 'null', 'http://evil.test', 'https://gateway.test']) {
      const answer = await call('/app/orders', secret, { method: 'POST', headers: origin ? { origin } : {} });
      expectRefused(answer, 403, 'forbidden');
    }
    for (const origin of [ISSUER, OTHER_APP]) {
      expect((await call('/app/orders', secret, { method: 'DELETE', headers: { origin } })).status).toBe(200);
    }
    expect((await call('/app/orders', secret, { method: 'GET', headers: { origin: 'http://evil.test' } })).status).toBe(200);
  });

  it('logout with the cookie revokes the session and clears the cookie; the next request is 401 session_expired', async () => {
    const secret = await sessionOf();
    expect((await call('/app/me', secret)).status).toBe(200);
    const logout = await http(`${gateway.url}/auth/logout`, { method: 'POST', headers: { cookie: `gh_session=${secret}` } });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()).toEqual(['gh_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0']);
    expectRefused(await call('/app/me', secret), 401, 'session_expired');
    expectRefused(await http(`${gateway.url}/auth/logout`, { method: 'POST' }), 401, 'missing_token');
  });

  it('my sessions through the gateway: listed with the cookie, one ended from another, then all by logout everywhere', async () => {
    const [first, second] = [await sessionOf(), await sessionOf()];
    const mine = (secret: string) => http<{ id: string; current: boolean }[]>(`${gateway.url}/auth/sessions`, { headers: { cookie: `gh_session=${secret}` } });
    const listed = await mine(first);
    expect(listed.status).toBe(200);
    const secondId = (await mine(second)).body.find((session) => session.current)?.id ?? 'none';
    expect(listed.body.map((session) => session.id)).toContain(secondId);
    const ended = await http(`${gateway.url}/auth/sessions/${secondId}`, { method: 'DELETE', headers: { cookie: `gh_session=${first}` } });
    expect(ended.status).toBe(204);
    expectRefused(await call('/app/me', second), 401, 'session_expired');
    expect((await call('/app/me', first)).status).toBe(200);
    const everywhere = await http(`${gateway.url}/auth/logout-everywhere`, { method: 'POST', headers: { cookie: `gh_session=${first}` } });
    expect(everywhere.status).toBe(204);
    expectRefused(await call('/app/me', first), 401, 'session_expired');
    expectRefused(await http(`${gateway.url}/auth/sessions`), 401, 'missing_token');
  });

  it('expires after SESSION_IDLE_TTL unused; each use slides it, never past SESSION_TTL', async () => {
    const clock = auth.app.get(SessionsClock);
    const at = (start: number, seconds: number) => jest.spyOn(clock, 'now').mockReturnValue(new Date(start + seconds * 1000));
    const unused = await sessionOf();
    at(Date.now(), 61);
    expectRefused(await call('/app/me', unused), 401, 'session_expired');
    jest.restoreAllMocks();

    const used = await sessionOf();
    const start = Date.now();
    for (const seconds of [50, 100, 149]) {
      at(start, seconds);
      expect((await call('/app/me', used)).status).toBe(200);
    }
    at(start, 151);
    expectRefused(await call('/app/me', used), 401, 'session_expired');
  });

  it('a disabled account or a suspended tenant: 401 session_expired', async () => {
    const password = "another long passphrase, not alice's";
    const alice = await bearerOf('alice', SECRETS.ALICE_PASSWORD);
    const created = await json('/admin/users', { username: 'carol', email: 'carol@acme.test', password }, { authorization: `Bearer ${alice}` });
    expect(created.status).toBe(201);
    const carol = await sessionOf('carol', password);
    expect((await call('/app/me', carol)).status).toBe(200);
    expect((await json(`/admin/users/${String(created.body.id)}/disable`, {}, { authorization: `Bearer ${alice}` })).status).toBe(200);
    expectRefused(await call('/app/me', carol), 401, 'session_expired');

    const ops = (
      await postForm<{ access_token: string }>(
        `${gateway.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('ops', SECRETS.OPS_SECRET) },
      )
    ).body.access_token;
    const asOps = { authorization: `Bearer ${ops}` };
    expect((await json('/admin/tenants', { id: 'beta', name: 'Beta' }, asOps)).status).toBe(201);
    expect((await json('/admin/users', { tenant: 'beta', username: 'dave', email: 'dave@beta.test', password }, asOps)).status).toBe(201);
    const dave = await sessionOf('dave', password, 'beta');
    expect((await call('/app/me', dave)).status).toBe(200);
    expect((await json('/admin/tenants/beta/suspend', {}, asOps)).status).toBe(200);
    expectRefused(await call('/app/me', dave), 401, 'session_expired');
  });

  it('session introspection: only a confidential introspecting client learns anything, and exp is the earlier expiry', async () => {
    const secret = await sessionOf();
    const endpoint = `${auth.url}/auth/session/introspect`;
    const answer = await postForm(endpoint, { session: secret }, { authorization: basic('gateway', SECRETS.GATEWAY_CLIENT_SECRET) });
    const now = Math.floor(Date.now() / 1000);
    expect(answer.body).toEqual({
      active: true,
      sub: expect.any(String),
      tenant_id: 'acme',
      client_id: 'gatehouse',
      scope: 'profile',
      roles: ['admin'],
      sid: expect.stringMatching(/^[0-9a-f]{64}$/),
      exp: expect.any(Number),
      iat: expect.any(Number),
      email: 'alice@acme.test',
      acr: 'urn:gatehouse:acr:pwd',
      amr: ['pwd'],
      auth_time: answer.body.iat,
    });
    expect(Number(answer.body.exp) - now).toBeGreaterThanOrEqual(59);
    expect(Number(answer.body.exp) - now).toBeLessThanOrEqual(60);
    expect((await postForm(endpoint, { session: 'A'.repeat(43) }, { authorization: basic('gateway', SECRETS.GATEWAY_CLIENT_SECRET) })).body).toEqual({
      active: false,
    });
    expect((await postForm(endpoint, { session: secret }, { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) })).body).toEqual({
      error: 'unauthorized_client',
      error_description: expect.any(String),
    });
    expect((await postForm(endpoint, { session: secret, client_id: 'gatehouse' })).body).toMatchObject({ error: 'unauthorized_client' });
    expect((await postForm(endpoint, { session: secret }, { authorization: basic('gateway', 'a-wrong-secret-0123456789abcdefghijkl') })).status).toBe(401);
  });

  it('the auth app unreachable: 503 auth_unavailable with Retry-After', async () => {
    const routes = join(testEnv.dataDir, 'routes.yaml');
    const orphan = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_PORT: '0',
        GATEWAY_ROUTES_FILE: routes,
        AUTH_INTERNAL_URL: `http://127.0.0.1:${await freePort()}`,
        GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET,
      },
    });
    try {
      const answer = await http(`${orphan.url}/app/me`, { headers: { cookie: `gh_session=${'A'.repeat(43)}` } });
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 503, body: { error: 'auth_unavailable' } });
      expect(answer.headers.get('retry-after')).toBe('5');
    } finally {
      await orphan.close();
    }
  });
});
