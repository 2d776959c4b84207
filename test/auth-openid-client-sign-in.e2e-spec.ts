import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';
import * as oidc from 'openid-client';
import { platformBanner } from '../apps/platform/src/banner';
import { startPlatform } from '../apps/platform/src/platform';
import { http } from './support/http';
import { basic, postForm } from './support/oauth';
import { browse, CookieJar, pkce, redirectParams, submit } from './support/sign-in';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';

const CALLBACK = 'http://127.0.0.1/callback';
const SIGNED_OUT = 'http://127.0.0.1/signed-out';

interface Demo {
  admin: { username: string; password: string };
  clients: Record<string, string>;
}

/**
 * A relying party as people write one, with panva's openid-client, against the platform started
 * the way `npm start` starts it, with no AUTH_ISSUER: every request goes to the printed address.
 */
describe('browser sign-in with openid-client, through the gateway', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  let gateway: string;
  let demo: Demo;
  let config: oidc.Configuration;

  /** Follows an authorization URL through the login page as a person would; answers where it lands. */
  async function signIn(url: URL, jar: CookieJar, tenant?: string): Promise<URL> {
    const page = await browse(url.href, jar);
    if (page.status !== 200) return new URL(page.headers.get('location')!);
    const back = await submit(gateway, '/oauth/authorize/login', page.body, jar, {
      username: demo.admin.username,
      password: demo.admin.password,
      ...(tenant ? { tenant } : {}),
    });
    expect(back.status).toBe(303);
    return new URL(back.headers.get('location')!);
  }

  function authorizationUrl(challenge: string, fields: Record<string, string> = {}) {
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...fields,
    });
  }

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const { AUTH_ISSUER: _unset, ...env } = testEnv.env;
    apps = await startPlatform({ env });
    gateway = apps.find((app) => app.name === 'gateway')!.url;
    demo = JSON.parse(readFileSync(join(testEnv.dataDir, REAL.postgres ? 'auth' : 'platform', 'bootstrap-credentials.json'), 'utf8')) as Demo;
    // Registering a browser client, as the README shows: public, its redirect URIs, no secret.
    const ops = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic('ops', demo.clients.ops) },
    );
    const created = await http(`${gateway}/admin/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops.body.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'demo-web',
        tenant: 'demo',
        public: true,
        firstParty: true,
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['profile', 'orders:read'],
        redirectUris: [CALLBACK],
        postLogoutRedirectUris: [SIGNED_OUT],
      }),
    });
    expect(created.status).toBe(201);
    config = await oidc.discovery(new URL(gateway), 'demo-web', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  });

  afterAll(async () => {
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it('is its own issuer at the address the banner prints', () => {
    expect(config.serverMetadata()).toMatchObject({
      issuer: gateway,
      authorization_endpoint: `${gateway}/oauth/authorize`,
      end_session_endpoint: `${gateway}/oauth/logout`,
    });
    const auth = apps.find((app) => app.name === 'auth')!.settings as unknown as { AUTH_ISSUER: string };
    expect(platformBanner(apps, { issuer: auth.AUTH_ISSUER, demoCredentials: null })).toContain(`Public entry (gateway)   ${gateway}\n`);
  });

  it('signs in with PKCE and a nonce, reads userinfo, refreshes and logs out', async () => {
    const jar = new CookieJar();
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const landed = await signIn(authorizationUrl(await oidc.calculatePKCECodeChallenge(verifier), { nonce, state }), jar);
    const tokens = await oidc.authorizationCodeGrant(config, landed, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: gateway, aud: 'demo-web', nonce, preferred_username: demo.admin.username, tenant_id: 'demo' });

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: 'admin@demo.test', preferred_username: 'admin' });
    const profile = await http(`${gateway}/users/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(profile.status).toBe(200);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.scope).toBe('openid profile email');

    const logout = await browse(
      oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SIGNED_OUT, state: 'out' }).href,
      jar,
    );
    expect([logout.status, logout.headers.get('location')]).toEqual([302, `${SIGNED_OUT}?state=out`]);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const silent = await signIn(authorizationUrl(pkce().challenge, { prompt: 'none', state: 's' }), jar);
    await expect(oidc.authorizationCodeGrant(config, silent, { pkceCodeVerifier: verifier, expectedState: 's' })).rejects.toMatchObject({
      error: 'login_required',
    });
  });

  it('signs a second client in without a password (SSO)', async () => {
    const jar = new CookieJar();
    await signIn(authorizationUrl(pkce().challenge), jar);
    const { verifier, challenge } = pkce();
    const docs = await browse(
      `${gateway}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'gatehouse-docs', redirect_uri: `${gateway}/docs/oauth2-redirect.html`, code_challenge: challenge, code_challenge_method: 'S256', tenant: 'demo', scope: 'profile' }).toString()}`,
      jar,
    );
    expect(docs.status).toBe(302);
    const code = redirectParams(docs).code;
    const tokens = await postForm(
      `${gateway}/oauth/token`,
      { grant_type: 'authorization_code', client_id: 'gatehouse-docs', code, redirect_uri: `${gateway}/docs/oauth2-redirect.html`, code_verifier: verifier },
      { origin: gateway },
    );
    expect([tokens.status, tokens.headers.get('access-control-allow-origin')]).toEqual([200, gateway]);
  });

  describe('refusals, as the relying party sees them', () => {
    it('a wrong verifier and a replayed code: invalid_grant', async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const landed = await signIn(authorizationUrl(await oidc.calculatePKCECodeChallenge(verifier)), new CookieJar());
      await expect(
        oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: oidc.skipStateCheck }),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
      await expect(oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: verifier, expectedState: oidc.skipStateCheck })).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    });

    it.each([
      ['PKCE plain', 'invalid_request', { code_challenge_method: 'plain' }],
      ['a scope the client may not have', 'invalid_scope', { scope: 'openid admin' }],
      ['response_type=token', 'unsupported_response_type', { response_type: 'token' }],
    ])('%s: redirected back as %s', async (_name, error, fields) => {
      const landed = await signIn(authorizationUrl(pkce().challenge, { state: 'r', ...fields }), new CookieJar());
      expect(landed.origin + landed.pathname).toBe(CALLBACK);
      await expect(oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: pkce().verifier, expectedState: 'r' })).rejects.toMatchObject({ error });
    });

    it('an unregistered redirect URI: shown on a page, never redirected', async () => {
      const page = await browse(authorizationUrl(pkce().challenge, { redirect_uri: 'http://127.0.0.1.evil.test/callback' }).href, new CookieJar());
      expect([page.status, page.headers.get('location')]).toEqual([400, null]);
      expect(page.body).toContain('<strong>invalid_request</strong>');
    });

    it('a second use of a code revokes the tokens of the first', async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const landed = await signIn(authorizationUrl(await oidc.calculatePKCECodeChallenge(verifier)), new CookieJar());
      const tokens = await oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: verifier, expectedState: oidc.skipStateCheck });
      await expect(oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: verifier, expectedState: oidc.skipStateCheck })).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toMatchObject({
        status: 401,
        cause: [{ scheme: 'bearer', parameters: { error: 'invalid_token' } }],
      });
    });
  });
});
