import { createHash } from 'node:crypto';
import type { RunningApp } from '@gatehouse/app-kit';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { AdminApi } from './support/admin-api';
import { http } from './support/http';
import { decodeJwt, postForm } from './support/oauth';
import { browse, CookieJar, redirectParams, submit } from './support/sign-in';
import { PARTNER_CALLBACK, SignInAuth } from './support/sign-in-auth';

/** Browser sign-in: consent, OpenID Connect (ID token, userinfo, discovery), logout and CORS. */
describe('auth: browser sign-in, OpenID Connect', () => {
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

  describe('consent for a third-party client', () => {
    const partnerUrl = (fields: Record<string, string> = {}) =>
      authorizeUrl({ client_id: 'partner', redirect_uri: PARTNER_CALLBACK, scope: 'openid orders:read', ...fields });

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

    it('belong to people: a client acting as itself has none to list or withdraw', async () => {
      expect((await admin.call('acmeService', 'GET', '/auth/consents')).body).toEqual([]);
      const refused = await admin.call('acmeService', 'DELETE', '/auth/consents/partner');
      expect([refused.status, refused.body]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
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
      expect([none.status, none.headers.get('www-authenticate'), none.body]).toEqual([
        401,
        'Bearer realm="gatehouse"',
        { error: 'invalid_token', error_description: expect.any(String) },
      ]);
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
      ["a client_id other than the hint's", { client_id: 'partner' }],
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

    it('without an ID token of this server, asks the person first: another site cannot sign them out', async () => {
      const { jar } = await signedInWithTokens();
      // A link or an image on any site: a page asking, and nothing ended.
      const asked = await browse(`${auth.url}/oauth/logout`, jar);
      expect(asked.status).toBe(200);
      expect(asked.body).toContain('Sign out?');
      expect((await browse(authorizeUrl({ prompt: 'none' }), jar)).headers.get('location')).toContain('code=');

      // A cross-site form post: it cannot know the CSRF token of this browser.
      const forged = await http(`${auth.url}/oauth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), accept: 'text/html' },
        body: new URLSearchParams({ confirm: 'yes', csrf: 'A'.repeat(43) }).toString(),
      });
      expect(forged.body).toContain('Sign out?');
      expect((await browse(authorizeUrl({ prompt: 'none' }), jar)).headers.get('location')).toContain('code=');

      // The person's own click on the page.
      const out = await submit(auth.url, '/oauth/logout', asked.body, jar, {});
      expect(out.status).toBe(200);
      expect(out.body).toContain('You are signed out');
      expect(redirectParams(await browse(authorizeUrl({ prompt: 'none' }), jar))).toMatchObject({ error: 'login_required' });
    });

    it('shows the signed-out page to a browser that is signed in nowhere', async () => {
      const out = await browse(`${auth.url}/oauth/logout`, new CookieJar());
      expect(out.status).toBe(200);
      expect(out.body).toContain('You are signed out');
    });
  });

  describe('CORS for the origins clients declare', () => {
    const preflight = (path: string, origin: string) =>
      http(`${auth.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });

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
      const refused = await http(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { origin: 'https://app.acme.test', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&client_id=acme-web',
      });
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([400, 'https://app.acme.test']);
      const userinfo = await http(`${auth.url}/oauth/userinfo`, { headers: { origin: 'https://app.acme.test' } });
      expect([userinfo.status, userinfo.headers.get('access-control-allow-origin')]).toEqual([401, 'https://app.acme.test']);
      const other = await http(`${auth.url}/oauth/userinfo`, { headers: { origin: 'https://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
