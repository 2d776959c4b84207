import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, ADMIN_SECRET, AdminApi } from './support/admin-api';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { browse, CookieJar, pkce, redirectParams, submit } from './support/sign-in';
import { createTestEnv, type TestEnv } from './support/test-env';

const PARTNER_SECRET = 'partner-secret-0123456789abcdefghijklmnopqr';
const CALLBACK = 'https://app.acme.test/callback';
const PARTNER_CALLBACK = 'https://partner.test/cb';

const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - clientId: acme-web
    tenant: acme
    public: true
    grantTypes: [authorization_code, refresh_token]
    scopes: [profile, orders:read]
    firstParty: true
    redirectUris: [https://app.acme.test/callback, http://127.0.0.1/callback]
    postLogoutRedirectUris: [https://app.acme.test/]
    allowedOrigins: [https://app.acme.test]
  - clientId: partner
    tenant: acme
    secret: ${PARTNER_SECRET}
    grantTypes: [authorization_code]
    scopes: [orders:read]
    redirectUris: [${PARTNER_CALLBACK}]
users:
${ADMIN_BOOTSTRAP_USERS}
`;

/** Browser sign-in: the clients that take part, the authorization endpoint, codes and the login page. */
describe('auth: browser sign-in', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let admin: AdminApi;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file, AUTH_ISSUER: 'http://gatehouse.test' } });
    admin = new AdminApi(auth.url);
    await admin.signInAsEveryone();
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('clients', () => {
    it('shows what the bootstrap file declares of a public browser client', async () => {
      const listed = await admin.call<Record<string, unknown>[]>('ops', 'GET', '/admin/clients?tenant=acme');
      expect(listed.body.find((client) => client.clientId === 'acme-web')).toMatchObject({
        public: true,
        confidential: false,
        redirectUris: ['https://app.acme.test/callback', 'http://127.0.0.1/callback'],
        postLogoutRedirectUris: ['https://app.acme.test/'],
        allowedOrigins: ['https://app.acme.test'],
      });
    });

    it('creates a public client with its redirect URIs and origins through the Admin API', async () => {
      const created = await admin.call('alice', 'POST', '/admin/clients', {
        clientId: 'acme-spa',
        public: true,
        grantTypes: ['authorization_code'],
        scopes: ['profile'],
        redirectUris: ['https://spa.acme.test/cb'],
        postLogoutRedirectUris: ['https://spa.acme.test/'],
        allowedOrigins: ['https://spa.acme.test'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ clientId: 'acme-spa', public: true, postLogoutRedirectUris: ['https://spa.acme.test/'], allowedOrigins: ['https://spa.acme.test'] });
      expect(created.body.clientSecret).toBeUndefined();
    });

    it.each([
      ['a plain http redirect URI', { redirectUris: ['http://spa.acme.test/cb'] }],
      ['a redirect URI with a fragment', { redirectUris: ['https://spa.acme.test/cb#x'] }],
      ['a wildcard origin', { allowedOrigins: ['*'] }],
      ['an origin with a path', { allowedOrigins: ['https://spa.acme.test/app'] }],
      ['public and confidential at once', { public: true, confidential: true }],
    ])('refuses %s', async (_name, fields) => {
      const refused = await admin.call('alice', 'POST', '/admin/clients', { clientId: 'acme-bad', grantTypes: ['authorization_code'], scopes: [], ...fields });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_request' });
    });
  });

  /** An authorization request of acme-web, with a fresh PKCE pair; `fields` override or add. */
  function authorizeUrl(fields: Record<string, string> = {}, challenge = pkce().challenge): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'acme-web',
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...fields,
    });
    return `${auth.url}/oauth/authorize?${query.toString()}`;
  }

  /** Signs alice in through the login page; answers the redirect and the PKCE verifier. */
  async function signIn(jar: CookieJar, fields: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const page = await browse(authorizeUrl(fields, challenge), jar);
    expect(page.status).toBe(200);
    const back = await submit(auth.url, '/oauth/authorize/login', page.body, jar, { username: 'alice', password: ADMIN_PASSWORD });
    return { back, verifier };
  }

  const exchange = (code: string, verifier: string, fields: Record<string, string> = {}) =>
    postForm(`${auth.url}/oauth/token`, { grant_type: 'authorization_code', client_id: 'acme-web', code, redirect_uri: CALLBACK, code_verifier: verifier, ...fields });

  describe('the authorization endpoint, before the client and redirect URI are verified', () => {
    it.each([
      ['an unknown client', { client_id: 'nobody' }, 'invalid_client'],
      ['no client_id', { client_id: '' }, 'invalid_request'],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.test/cb' }, 'invalid_request'],
      ['a redirect_uri differing by a slash', { redirect_uri: `${CALLBACK}/` }, 'invalid_request'],
      ['no redirect_uri', { redirect_uri: '' }, 'invalid_request'],
    ])('answers %s with an RFC 6749 body and never redirects', async (_name, fields, error) => {
      const answer = await http(authorizeUrl(fields), { headers: { accept: 'application/json' } });
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.status).toBe(error === 'invalid_client' ? 401 : 400);
      expect(answer.body).toEqual({ error, error_description: expect.any(String) });
    });

    it('shows the error on a page to a browser, never redirected', async () => {
      const answer = await browse(authorizeUrl({ redirect_uri: 'https://evil.test/cb' }), new CookieJar());
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.body).toContain('<strong>invalid_request</strong>');
      expect(answer.body).not.toContain('evil.test');
    });

    it('refuses a repeated parameter', async () => {
      const answer = await http(`${authorizeUrl()}&client_id=partner`, { headers: { accept: 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('the authorization endpoint, once they are', () => {
    it.each([
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['no PKCE', { code_challenge: '' }, 'invalid_request'],
      ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['PKCE without a method', { code_challenge_method: '' }, 'invalid_request'],
      ['a scope beyond the client', { scope: 'openid admin' }, 'invalid_scope'],
      ['an unknown prompt', { prompt: 'select_account' }, 'invalid_request'],
      ['prompt=none without a session', { prompt: 'none' }, 'login_required'],
      ['a malformed max_age', { max_age: '-1' }, 'invalid_request'],
    ])('redirects %s back with error, state and iss', async (_name, fields, error) => {
      const answer = await browse(authorizeUrl(fields), new CookieJar());
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toMatch(/^https:\/\/app\.acme\.test\/callback\?/);
      expect(redirectParams(answer)).toEqual({ error, error_description: expect.any(String), state: 'st-1', iss: 'http://gatehouse.test' });
    });
  });

  describe('the login page', () => {
    it('is a page of the tenant with labelled fields, a CSRF token and a strict CSP', async () => {
      const jar = new CookieJar();
      const page = await browse(authorizeUrl(), jar);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Acme');
      expect(page.body).toMatch(/<label for="username">Username<\/label>\s*<input type="text" id="username" name="username"/);
      expect(page.body).toMatch(/<label for="password">Password<\/label>\s*<input type="password" id="password"/);
      expect(page.body).not.toMatch(/<script|https?:\/\/(?!app\.acme\.test)/);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self' https:\/\/app\.acme\.test; frame-ancestors 'none'; base-uri 'none'$/);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.getSetCookie()).toEqual([expect.stringMatching(/^gh_csrf=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/$/)]);
    });

    it('answers a wrong password with the generic error and no session', async () => {
      const jar = new CookieJar();
      let page = await browse(authorizeUrl(), jar);
      for (const username of ['alice', 'nobody']) {
        const again = await submit(auth.url, '/oauth/authorize/login', page.body, jar, { username, password: 'not the password at all' });
        page = again;
        expect(again.status).toBe(401);
        expect(again.body).toContain('The username or password is incorrect.');
        expect(jar.get('gh_sso')).toBeUndefined();
      }
    });

    it('refuses a form without its CSRF token', async () => {
      const jar = new CookieJar();
      const page = await browse(authorizeUrl(), jar);
      const forged = await submit(auth.url, '/oauth/authorize/login', page.body, new CookieJar(), { username: 'alice', password: ADMIN_PASSWORD });
      expect(forged.status).toBe(403);
      expect(forged.body).toContain('This sign-in form has expired.');
      const wrong = await submit(auth.url, '/oauth/authorize/login', page.body, jar, { username: 'alice', password: ADMIN_PASSWORD, csrf: 'x'.repeat(43) });
      expect(wrong.status).toBe(403);
    });

    it('shows the wait once the login limits hold', async () => {
      const jar = new CookieJar();
      const page = await browse(authorizeUrl(), jar);
      let last = page;
      for (let attempt = 0; attempt < 7 && last.status !== 429; attempt++) {
        last = await submit(auth.url, '/oauth/authorize/login', last.body, jar, { username: 'mallory', password: 'guess number one' });
      }
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(last.body).toContain(`Please wait ${last.headers.get('retry-after')} seconds`);
    });

    it('signs in: a session cookie, then back to the client with code, state and iss', async () => {
      const jar = new CookieJar();
      const { back } = await signIn(jar);
      expect(back.status).toBe(303);
      expect(back.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^gh_sso=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/$/));
      expect(redirectParams(back)).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: 'st-1', iss: 'http://gatehouse.test' });
    });
  });

  describe('codes', () => {
    it('exchanges a code once, with its verifier, for tokens', async () => {
      const { back, verifier } = await signIn(new CookieJar());
      const tokens = await exchange(redirectParams(back).code, verifier);
      expect(tokens.status).toBe(200);
      expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile', access_token: expect.any(String), refresh_token: expect.any(String) });
    });

    it.each([
      ['a wrong verifier', { code_verifier: pkce().verifier }],
      ['another redirect_uri', { redirect_uri: 'http://127.0.0.1/callback' }],
    ])('refuses %s, and the code is spent', async (_name, fields) => {
      const { back, verifier } = await signIn(new CookieJar());
      const code = redirectParams(back).code;
      expect((await exchange(code, verifier, fields)).body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect((await exchange(code, verifier)).body).toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a code presented by another client', async () => {
      const { back, verifier } = await signIn(new CookieJar());
      const stolen = await postForm(`${auth.url}/oauth/token`, { grant_type: 'authorization_code', code: redirectParams(back).code, redirect_uri: CALLBACK, code_verifier: verifier }, { authorization: basic('partner', PARTNER_SECRET) });
      expect(stolen.status).toBe(400);
      expect(stolen.body).toMatchObject({ error: 'invalid_grant' });
    });

    it('revokes what the first use issued when a code comes back', async () => {
      const { back, verifier } = await signIn(new CookieJar());
      const code = redirectParams(back).code;
      const first = await exchange(code, verifier);
      expect(first.status).toBe(200);
      const me = () => http(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${first.body.access_token as string}` } });
      expect((await me()).status).toBe(200);
      const replay = await exchange(code, verifier);
      expect(replay.status).toBe(400);
      expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid, expired or already used.' });
      expect((await me()).status).toBe(401);
      const refreshed = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', client_id: 'acme-web', refresh_token: first.body.refresh_token as string });
      expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });
    });

    it('lets exactly one of two concurrent redemptions win, and revokes what it won', async () => {
      const { back, verifier } = await signIn(new CookieJar());
      const code = redirectParams(back).code;
      const answers = await Promise.all([exchange(code, verifier), exchange(code, verifier)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      const won = answers.find((answer) => answer.status === 200)!;
      const me = await http(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${won.body.access_token as string}` } });
      expect(me.status).toBe(401);
    });

    it('needs the client to be allowed the grant', async () => {
      const refused = await postForm(`${auth.url}/oauth/token`, { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: CALLBACK, code_verifier: pkce().verifier }, { authorization: basic('acme-cli', ADMIN_SECRET.ACME) });
      expect(refused.body).toMatchObject({ error: 'unauthorized_client' });
    });
  });

  describe('single sign-on', () => {
    it('answers a signed-in browser with a code at once, and asks again for prompt=login or an old login', async () => {
      const jar = new CookieJar();
      await signIn(jar);
      const again = await browse(authorizeUrl({ state: 'st-2' }), jar);
      expect(again.status).toBe(302);
      expect(redirectParams(again)).toMatchObject({ code: expect.any(String), state: 'st-2' });
      expect((await browse(authorizeUrl({ prompt: 'none' }), jar)).status).toBe(302);
      expect((await browse(authorizeUrl({ prompt: 'login' }), jar)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await browse(authorizeUrl({ max_age: '0' }), jar)).status).toBe(200);
    });
  });

  describe('consent for a third-party client', () => {
    const partnerUrl = (fields: Record<string, string> = {}) => authorizeUrl({ client_id: 'partner', redirect_uri: PARTNER_CALLBACK, scope: 'openid orders:read', ...fields });

    it('is asked once, lists the scopes in words, and is remembered', async () => {
      const jar = new CookieJar();
      await signIn(jar);
      expect(redirectParams(await browse(partnerUrl({ prompt: 'none' }), jar))).toMatchObject({ error: 'consent_required' });
      const page = await browse(partnerUrl(), jar);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Allow partner?');
      expect(page.body).toContain('See your orders');
      const allowed = await submit(auth.url, '/oauth/authorize/consent', page.body, jar, { decision: 'allow' });
      expect(allowed.status).toBe(303);
      expect(redirectParams(allowed)).toMatchObject({ code: expect.any(String), state: 'st-1' });
      expect((await browse(partnerUrl(), jar)).status).toBe(302);
    });

    it('is withdrawn by the person, and then asked again', async () => {
      const jar = new CookieJar();
      const { back, verifier } = await signIn(jar);
      const own = (await exchange(redirectParams(back).code, verifier)).body.access_token as string;
      const page = await browse(partnerUrl(), jar);
      if (page.status === 200) await submit(auth.url, '/oauth/authorize/consent', page.body, jar, { decision: 'allow' });
      const asMe = (method: string, path: string) => http(`${auth.url}${path}`, { method, headers: { authorization: `Bearer ${own}` } });
      expect((await asMe('GET', '/auth/consents')).body).toEqual([{ clientId: 'partner', scopes: ['openid', 'orders:read'], grantedAt: expect.any(String) }]);
      expect((await asMe('DELETE', '/auth/consents/partner')).status).toBe(204);
      expect((await asMe('DELETE', '/auth/consents/partner')).body).toMatchObject({ error: 'not_found' });
      expect((await browse(partnerUrl(), jar)).status).toBe(200);
    });

    it('is listed and withdrawn by an administrator', async () => {
      const jar = new CookieJar();
      await signIn(jar);
      const page = await browse(partnerUrl(), jar);
      if (page.status === 200) await submit(auth.url, '/oauth/authorize/consent', page.body, jar, { decision: 'allow' });
      const users = await admin.call<{ id: string; username: string }[]>('ops', 'GET', '/admin/users?tenant=acme');
      const alice = users.body.find((user) => user.username === 'alice')!;
      const listed = await admin.call('alice', 'GET', `/admin/users/${alice.id}/consents`);
      expect(listed.body).toEqual([{ clientId: 'partner', scopes: ['openid', 'orders:read'], grantedAt: expect.any(String) }]);
      expect((await admin.call('bob', 'DELETE', `/admin/users/${alice.id}/consents/partner`)).status).toBe(403);
      expect((await admin.call('alice', 'DELETE', `/admin/users/${alice.id}/consents/partner`)).status).toBe(204);
      expect((await admin.call('alice', 'GET', `/admin/users/${alice.id}/consents`)).body).toEqual([]);
    });

    it('redirects a refusal as access_denied', async () => {
      const jar = new CookieJar();
      await signIn(jar);
      const page = await browse(partnerUrl({ prompt: 'consent' }), jar);
      const denied = await submit(auth.url, '/oauth/authorize/consent', page.body, jar, { decision: 'deny' });
      expect(redirectParams(denied)).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'st-1', iss: 'http://gatehouse.test' });
    });
  });

  describe('OpenID Connect', () => {
    async function tokensFor(fields: Record<string, string> = {}) {
      const { back, verifier } = await signIn(new CookieJar(), fields);
      const tokens = await exchange(redirectParams(back).code, verifier);
      expect(tokens.status).toBe(200);
      return tokens.body as Record<string, string>;
    }

    it('returns an ID token for the client, signed with the published keys, carrying the sign-in', async () => {
      const tokens = await tokensFor({ scope: 'openid profile email', nonce: 'n-42' });
      const jwks = createRemoteJWKSet(new URL(`${auth.url}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks, { issuer: 'http://gatehouse.test', audience: 'acme-web' });
      expect(protectedHeader.typ).toBe('JWT');
      const access = decodeJwt(tokens.access_token).payload;
      expect(payload).toMatchObject({
        sub: access.sub,
        azp: 'acme-web',
        nonce: 'n-42',
        sid: access.sid,
        amr: ['pwd'],
        auth_time: expect.any(Number),
        at_hash: createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'),
        preferred_username: 'alice',
        tenant_id: 'acme',
        email: 'alice@acme.test',
        email_verified: false,
      });
    });

    it('gives no ID token without openid', async () => {
      const tokens = await tokensFor({ scope: 'profile' });
      expect(tokens.id_token).toBeUndefined();
    });

    it('answers userinfo by scope, by GET and POST', async () => {
      const withEmail = await tokensFor({ scope: 'openid email' });
      for (const method of ['GET', 'POST']) {
        const info = await http(`${auth.url}/oauth/userinfo`, { method, headers: { authorization: `Bearer ${withEmail.access_token}` } });
        expect(info.status).toBe(200);
        expect(info.body).toEqual({ sub: expect.any(String), email: 'alice@acme.test', email_verified: false });
      }
      const profileOnly = await tokensFor({ scope: 'openid profile' });
      const info = await http(`${auth.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${profileOnly.access_token}` } });
      expect(info.body).toEqual({ sub: expect.any(String), preferred_username: 'alice', tenant_id: 'acme', roles: ['admin'] });
    });

    it('refuses userinfo without a token, with a bad one, and without openid (RFC 6750)', async () => {
      const none = await http(`${auth.url}/oauth/userinfo`);
      expect([none.status, none.headers.get('www-authenticate'), none.body]).toEqual([401, 'Bearer realm="gatehouse"', { error: 'invalid_token', error_description: expect.any(String) }]);
      const bad = await http(`${auth.url}/oauth/userinfo`, { headers: { authorization: 'Bearer not-a-token' } });
      expect([bad.status, bad.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="gatehouse", error="invalid_token"']);
      const withoutOpenid = await tokensFor({ scope: 'profile' });
      const refused = await http(`${auth.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${withoutOpenid.access_token}` } });
      expect([refused.status, refused.body]).toEqual([403, { error: 'insufficient_scope', error_description: expect.any(String) }]);
    });

    it('refreshes a sign-in keeping its OpenID Connect scopes', async () => {
      const tokens = await tokensFor({ scope: 'openid profile' });
      const refreshed = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', client_id: 'acme-web', refresh_token: tokens.refresh_token });
      expect(refreshed.body).toMatchObject({ scope: 'openid profile' });
    });

    it('lists what a relying party needs in discovery', async () => {
      const metadata = await http(`${auth.url}/.well-known/openid-configuration`);
      expect(metadata.body).toMatchObject({
        authorization_endpoint: 'http://gatehouse.test/oauth/authorize',
        userinfo_endpoint: 'http://gatehouse.test/oauth/userinfo',
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: expect.arrayContaining(['openid', 'profile', 'email']),
        claims_supported: expect.arrayContaining(['sub', 'nonce', 'email']),
        authorization_response_iss_parameter_supported: true,
      });
    });
  });

  describe('RP-initiated logout', () => {
    async function signedInWithTokens() {
      const jar = new CookieJar();
      const { back, verifier } = await signIn(jar);
      const tokens = (await exchange(redirectParams(back).code, verifier)).body as Record<string, string>;
      return { jar, tokens };
    }
    const logoutUrl = (fields: Record<string, string>) => `${auth.url}/oauth/logout?${new URLSearchParams(fields).toString()}`;

    it('ends the sign-in and its refresh families, then returns to the registered URI with state', async () => {
      const { jar, tokens } = await signedInWithTokens();
      const out = await browse(logoutUrl({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://app.acme.test/', state: 'bye' }), jar);
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe('https://app.acme.test/?state=bye');
      expect(out.headers.getSetCookie()).toEqual(['gh_sso=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0']);
      expect(redirectParams(await browse(authorizeUrl({ prompt: 'none' }), jar))).toMatchObject({ error: 'login_required' });
      const refreshed = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', client_id: 'acme-web', refresh_token: tokens.refresh_token });
      expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });
      expect((await http(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    });

    it('ends the session the hint names even without the cookie', async () => {
      const { jar, tokens } = await signedInWithTokens();
      expect((await browse(logoutUrl({ id_token_hint: tokens.id_token }), new CookieJar())).status).toBe(200);
      expect(redirectParams(await browse(authorizeUrl({ prompt: 'none' }), jar))).toMatchObject({ error: 'login_required' });
    });

    it.each([
      ['an unregistered post_logout_redirect_uri', { post_logout_redirect_uri: 'https://evil.test/' }],
      ['a post_logout_redirect_uri without a client', { post_logout_redirect_uri: 'https://app.acme.test/', id_token_hint: '' }],
      ['a forged id_token_hint', { id_token_hint: 'eyJhbGciOiJub25lIn0.e30.x' }],
      ['a client_id other than the hint\'s', { client_id: 'partner' }],
    ])('refuses %s on a page, never redirected, and signs nobody out', async (_name, fields) => {
      const { jar, tokens } = await signedInWithTokens();
      const refused = await browse(logoutUrl({ id_token_hint: tokens.id_token, ...fields }), jar);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
      expect(refused.body).toContain('<strong>invalid_request</strong>');
      const json = await http(logoutUrl({ id_token_hint: tokens.id_token, ...fields }), { headers: { accept: 'application/json' } });
      expect(json.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      expect((await browse(authorizeUrl({ prompt: 'none' }), jar)).headers.get('location')).toContain('code=');
    });

    it('shows the signed-out page when no return was asked', async () => {
      const { jar } = await signedInWithTokens();
      const out = await browse(`${auth.url}/oauth/logout`, jar);
      expect(out.status).toBe(200);
      expect(out.body).toContain('You are signed out');
      expect(redirectParams(await browse(authorizeUrl({ prompt: 'none' }), jar))).toMatchObject({ error: 'login_required' });
    });
  });

  describe('CORS for the origins clients declare', () => {
    const preflight = (path: string, origin: string) =>
      http(`${auth.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

    it.each(['/oauth/token', '/oauth/userinfo', '/oauth/revoke'])('answers the preflight of %s for a declared origin', async (path) => {
      const answer = await preflight(path, 'https://app.acme.test');
      expect(answer.status).toBe(204);
      expect(Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'))).toEqual({
        'access-control-allow-origin': 'https://app.acme.test',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-expose-headers': 'www-authenticate, retry-after',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
    });

    it('allows no other origin, and never with credentials', async () => {
      for (const origin of ['https://evil.test', 'null', 'https://app.acme.test.evil.test']) {
        const answer = await preflight('/oauth/token', origin);
        expect([origin, answer.status, answer.headers.get('access-control-allow-origin')]).toEqual([origin, 204, null]);
      }
      expect((await preflight('/oauth/token', 'https://app.acme.test')).headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('lets a declared origin read answers and refusals', async () => {
      const refused = await http(`${auth.url}/oauth/token`, { method: 'POST', headers: { origin: 'https://app.acme.test', 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&client_id=acme-web' });
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([400, 'https://app.acme.test']);
      const userinfo = await http(`${auth.url}/oauth/userinfo`, { headers: { origin: 'https://app.acme.test' } });
      expect([userinfo.status, userinfo.headers.get('access-control-allow-origin')]).toEqual([401, 'https://app.acme.test']);
      const other = await http(`${auth.url}/oauth/userinfo`, { headers: { origin: 'https://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
