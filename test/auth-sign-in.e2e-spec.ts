import type { RunningApp } from '@gatehouse/app-kit';
import { ADMIN_PASSWORD, ADMIN_SECRET, type AdminApi } from './support/admin-api';
import { http } from './support/http';
import { basic, postForm } from './support/oauth';
import { browse, CookieJar, pkce, redirectParams, submit } from './support/sign-in';
import { CALLBACK, PARTNER_SECRET, PORTAL_CALLBACK, SignInAuth } from './support/sign-in-auth';

/** Browser sign-in: the clients that take part, the authorization endpoint, the login page, codes and SSO. */
describe('auth: browser sign-in', () => {
  let env: SignInAuth;
  let auth: RunningApp;
  let admin: AdminApi;
  const authorizeUrl = (fields: Record<string, string> = {}, challenge?: string) => env.authorizeUrl(fields, challenge);
  const signIn = (jar: CookieJar, fields: Record<string, string> = {}) => env.signIn(jar, fields);
  const exchange = (code: string, verifier: string, fields: Record<string, string> = {}) => env.exchange(code, verifier, fields);

  beforeAll(async () => {
    env = await SignInAuth.start();
    ({ auth, admin } = env);
  });

  afterAll(async () => {
    await env?.close();
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
      expect(created.body).toMatchObject({
        clientId: 'acme-spa',
        public: true,
        postLogoutRedirectUris: ['https://spa.acme.test/'],
        allowedOrigins: ['https://spa.acme.test'],
      });
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
      // RFC 6749 section 4.1.2.1 has no invalid_grant: a suspended tenant's sign-in is denied.
      ['a client of a suspended tenant', { client_id: 'dormant-web' }, 'access_denied'],
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
      expect(page.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self' https:\/\/app\.acme\.test; frame-ancestors 'none'; base-uri 'none'$/,
      );
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

    it('keeps one CSRF token per browser, so pages open in two tabs both sign in', async () => {
      const jar = new CookieJar();
      const first = await browse(authorizeUrl({ state: 'tab-1' }), jar);
      const second = await browse(authorizeUrl({ state: 'tab-2' }), jar);
      expect(second.headers.getSetCookie()).toEqual([]);
      const back = await submit(auth.url, '/oauth/authorize/login', first.body, jar, { username: 'alice', password: ADMIN_PASSWORD });
      expect([back.status, redirectParams(back).state]).toEqual([303, 'tab-1']);
      expect((await submit(auth.url, '/oauth/authorize/login', second.body, jar, { username: 'alice', password: ADMIN_PASSWORD })).status).toBe(303);
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
      const stolen = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'authorization_code', code: redirectParams(back).code, redirect_uri: CALLBACK, code_verifier: verifier },
        { authorization: basic('partner', PARTNER_SECRET) },
      );
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
      const refreshed = await postForm(`${auth.url}/oauth/token`, {
        grant_type: 'refresh_token',
        client_id: 'acme-web',
        refresh_token: first.body.refresh_token as string,
      });
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
      const refused = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: CALLBACK, code_verifier: pkce().verifier },
        { authorization: basic('acme-cli', ADMIN_SECRET.ACME) },
      );
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

  describe('which tenant signs in through a platform client', () => {
    const portalUrl = (fields: Record<string, string> = {}) => authorizeUrl({ client_id: 'portal', redirect_uri: PORTAL_CALLBACK, scope: 'openid', ...fields });

    it('asks for the organisation when nothing names it, and signs in there', async () => {
      const jar = new CookieJar();
      const page = await browse(portalUrl(), jar);
      expect(page.body).toMatch(/<label for="tenant">Organisation<\/label><input type="text" id="tenant" name="tenant" required/);
      const back = await submit(auth.url, '/oauth/authorize/login', page.body, jar, { tenant: 'acme', username: 'alice', password: ADMIN_PASSWORD });
      expect(back.status).toBe(303);
      expect(redirectParams(back)).toMatchObject({ code: expect.any(String) });
    });

    it('takes it from the tenant parameter or from <tenant>.TENANT_BASE_HOST, and shows its name', async () => {
      const byParameter = await browse(portalUrl({ tenant: 'acme' }), new CookieJar());
      expect(byParameter.body).toContain('to continue to Acme');
      const byHost = await http<string>(portalUrl(), { headers: { accept: 'text/html', 'x-forwarded-host': 'acme.gatehouse.test' } });
      expect(byHost.body).toContain('to continue to Acme');
      expect(byHost.body).not.toContain('id="tenant"');
      const elsewhere = await http<string>(portalUrl(), { headers: { accept: 'text/html', 'x-forwarded-host': 'acme.evil.test' } });
      expect(elsewhere.body).toContain('id="tenant"');
    });
  });
});
