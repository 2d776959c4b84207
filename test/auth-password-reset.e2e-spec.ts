import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, AdminApi } from './support/admin-api';
import { http, type HttpResult } from './support/http';
import { MailCatcher, linkToken } from './support/mail-catcher';
import { basic, postForm } from './support/oauth';
import { browse, CookieJar, hiddenInputs, submit } from './support/sign-in';
import { createTestEnv, type TestEnv } from './support/test-env';

const CALLBACK = 'https://app.acme.test/callback';
const APP_SECRET = 'acme-app-secret-0123456789abcdefghijklmnopq';
const GATEWAY_SECRET = 'gateway-secret-0123456789abcdefghijklmnopq';
const NEW_PASSWORD = 'a brand new passphrase, never used';
const ACCEPTED = { message: 'If an account has this address, a message is on its way to it.' };
const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - { clientId: acme-app, tenant: acme, secret: "${APP_SECRET}", grantTypes: [password, refresh_token], scopes: [profile], firstParty: true }
  - { clientId: gateway, secret: "${GATEWAY_SECRET}", grantTypes: [client_credentials], scopes: [], introspect: true }
  - { clientId: acme-web, tenant: acme, public: true, firstParty: true, grantTypes: [authorization_code], scopes: [profile], redirectUris: ["${CALLBACK}"] }
users:
${ADMIN_BOOTSTRAP_USERS}
  - { tenant: acme, username: carol, email: carol@acme.test, password: "${ADMIN_PASSWORD}" }
  - { tenant: acme, username: dave, email: dave@acme.test, password: "${ADMIN_PASSWORD}" }
  - { tenant: acme, username: frank, email: frank@acme.test, password: "${ADMIN_PASSWORD}" }
  - { tenant: acme, username: kim, email: kim@acme.test, password: "${ADMIN_PASSWORD}" }
  - { tenant: acme, username: lee, email: lee@acme.test, password: "${ADMIN_PASSWORD}" }
  - { tenant: acme, username: max, email: max@acme.test, password: "${ADMIN_PASSWORD}" }
`;

/** Password reset, email verification and the forced reset, with mail received by a real SMTP server. */
describe('auth: password reset and email verification by mail', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let mail: MailCatcher;
  let admin: AdminApi;
  let addresses = 0;
  // Each call comes from its own address (auth trusts the test process as its proxy) unless told.
  const address = () => `198.51.100.${++addresses % 250}`;
  const json = <T = Record<string, unknown>>(path: string, body: unknown, ip = address()) =>
    http<T>(`${auth.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
  const forgot = (email: string, ip?: string) => json('/auth/password/forgot', { tenant: 'acme', email }, ip);
  const reset = (token: string, password: string) => json('/auth/password/reset', { token, password });
  const login = (username: string, password: string) =>
    postForm<Record<string, string>>(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username, password },
      { authorization: basic('acme-app', APP_SECRET) },
    );
  const sql = <T>(query: string, parameters: unknown[] = []) =>
    auth.app.get(DataSource).query<T>(query.replace(/\$schema/g, `"${testEnv.schemaPrefix}auth"`), parameters);
  const expectError = (answer: HttpResult, status: number, error: string, message?: string) => {
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error, message: message ?? expect.any(String), requestId: expect.any(String) });
  };
  const resetLink = async (email: string, count: number) => linkToken(await mail.nth(email, count), '/auth/password/reset');

  beforeAll(async () => {
    mail = await MailCatcher.start();
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, {
      env: {
        ...testEnv.env,
        BOOTSTRAP_FILE: file,
        SMTP_URL: mail.url,
        MAIL_FROM: 'Acme sign-in <no-reply@acme.test>',
        AUTH_ISSUER: `http://127.0.0.1:${testEnv.env.AUTH_PORT}`,
        AUTH_TRUSTED_PROXIES: '127.0.0.1,::1',
      },
    });
    admin = new AdminApi(auth.url);
    await admin.signInAsEveryone();
  });

  afterAll(async () => {
    await auth?.close();
    await mail?.close();
    await testEnv?.cleanup();
  });

  describe('POST /auth/password/forgot', () => {
    it.each([
      ['no email', { tenant: 'acme' }],
      ['not an email', { tenant: 'acme', email: 'carol' }],
      ['a malformed tenant', { tenant: 'Acme!', email: 'carol@acme.test' }],
      ['an email of 300 characters', { tenant: 'acme', email: `${'a'.repeat(290)}@acme.test` }],
    ])('refuses %s with 400 invalid_request', async (_name, body) => {
      expectError(await json('/auth/password/forgot', body), 400, 'invalid_request');
    });

    it('answers an unknown address, an unknown tenant and a known address with the same 202, and mails only the known one', async () => {
      const unknown = await forgot('nobody@acme.test');
      const otherTenant = await json('/auth/password/forgot', { tenant: 'nowhere', email: 'carol@acme.test' });
      const known = await forgot('carol@acme.test');
      for (const answer of [unknown, otherTenant, known]) {
        expect(answer.status).toBe(202);
        expect(answer.body).toEqual(ACCEPTED);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      }
      const message = await mail.nth('carol@acme.test', 1);
      expect(message.from).toBe('no-reply@acme.test');
      expect(message.subject).toBe('Reset your password');
      expect(message.text).toContain('Hello carol,');
      expect(message.text).toContain('for 15 minutes');
      expect(linkToken(message, '/auth/password/reset').url).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${testEnv.env.AUTH_PORT}/auth/password/reset\\?token=`),
      );
      expect(mail.to('nobody@acme.test')).toHaveLength(0);
      // Only the hash is stored.
      const { token } = linkToken(message, '/auth/password/reset');
      const rows = await sql<{ token_hash: string }[]>(`SELECT token_hash FROM $schema."account_links"`);
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it('takes as long for an unknown address as for a known one (medians of interleaved runs)', async () => {
      const known: number[] = [];
      const unknown: number[] = [];
      const time = async (email: string) => {
        const started = performance.now();
        expect((await forgot(email)).status).toBe(202);
        return performance.now() - started;
      };
      for (let i = 0; i < 9; i++) {
        // Each known address three times, within its limit of 3 an hour.
        known.push(await time(`${['kim', 'lee', 'max'][i % 3]}@acme.test`));
        unknown.push(await time(`ghost-${i}@acme.test`));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const [k, u] = [median(known), median(unknown)];
      // Generous: the work is one statement either way; what differs is noise on a shared machine.
      expect(Math.abs(k - u)).toBeLessThan(Math.max(40, 0.75 * Math.min(k, u)));
    });

    it('limits one email address to 3 an hour, from any address: 429 with Retry-After, audited', async () => {
      for (let i = 0; i < 2; i++) expect((await forgot('bob@acme.test')).status).toBe(202);
      expect((await forgot('BOB@acme.test')).status).toBe(202);
      const refused = await forgot('bob@acme.test');
      expectError(refused, 429, 'rate_limited', 'Too many requests.');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
      const rows = await sql<{ details: Record<string, unknown> }[]>(`SELECT details FROM $schema."audit_events" WHERE type = 'password_reset.rate_limited'`);
      expect(rows.map((row) => row.details.limits)).toContainEqual(['email']);
    });

    it('limits one client address to 5 an hour, whatever the email', async () => {
      const ip = '203.0.113.9';
      for (let i = 0; i < 5; i++) expect((await forgot(`someone-${i}@acme.test`, ip)).status).toBe(202);
      const refused = await forgot('carol@acme.test', ip);
      expectError(refused, 429, 'rate_limited', 'Too many requests.');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    });
  });

  describe('POST /auth/password/reset', () => {
    it.each([
      ['a malformed token', { token: 'short', password: NEW_PASSWORD }],
      ['no password', { token: 'A'.repeat(43) }],
      ['a token of another type', { token: 43, password: NEW_PASSWORD }],
    ])('refuses %s with 400 invalid_request', async (_name, body) => {
      expectError(await json('/auth/password/reset', body), 400, 'invalid_request');
    });

    it('refuses an unknown token with 400 invalid_link', async () => {
      expectError(await reset('A'.repeat(43), NEW_PASSWORD), 400, 'invalid_link', 'The link is invalid, expired or already used.');
    });

    it('refuses an expired token', async () => {
      expect((await forgot('dave@acme.test')).status).toBe(202);
      const { token } = await resetLink('dave@acme.test', 1);
      // Sixteen minutes later, as the database sees it.
      await sql(`UPDATE $schema."account_links" SET expires_at = now() - interval '1 minute' WHERE account_id = $1`, [await idOf('dave')]);
      expectError(await reset(token, NEW_PASSWORD), 400, 'invalid_link', 'The link is invalid, expired or already used.');
    });

    it('refuses a weak password with the reason, and the link still works; then it works once, and ends every sign-in', async () => {
      const tokens = await login('carol', ADMIN_PASSWORD);
      expect(tokens.status).toBe(200);
      const session = await json('/auth/session', { tenant: 'acme', username: 'carol', password: ADMIN_PASSWORD });
      const cookie = /gh_session=([^;]+)/.exec(session.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const { token } = await resetLink('carol@acme.test', 1);

      expectError(await reset(token, 'short'), 400, 'invalid_request', 'The password is shorter than 12 characters.');
      expectError(await reset(token, 'carol-carol-carol'), 400, 'invalid_request', 'The password contains the username.');
      const done = await reset(token, NEW_PASSWORD);
      expect(done.status).toBe(204);
      expect(done.text).toBe('');
      expectError(await reset(token, `${NEW_PASSWORD}!`), 400, 'invalid_link', 'The link is invalid, expired or already used.');

      expect((await login('carol', ADMIN_PASSWORD)).body).toMatchObject({ error: 'invalid_grant' });
      const refreshed = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token },
        { authorization: basic('acme-app', APP_SECRET) },
      );
      expect(refreshed.status).toBe(400);
      expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });
      const me = await http(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
      expect(me.status).toBe(401);
      const introspected = await postForm(`${auth.url}/auth/session/introspect`, { session: cookie }, { authorization: basic('gateway', GATEWAY_SECRET) });
      expect(introspected.body).toEqual({ active: false });
      const events = await sql<{ kind: string; value: string }[]>(`SELECT kind, value FROM $schema."revocation_events" WHERE kind = 'subject'`);
      expect(events).toContainEqual({ kind: 'subject', value: await idOf('carol') });
      // The browser session's own event too, as logout emits it (its id is the cookie's SHA-256).
      const sid = createHash('sha256').update(cookie, 'utf8').digest('hex');
      expect(await sql(`SELECT kind FROM $schema."revocation_events" WHERE kind = 'sid' AND value = $1`, [sid])).toEqual([{ kind: 'sid' }]);
      expect((await login('carol', NEW_PASSWORD)).status).toBe(200);
    });
  });

  describe('the forced reset (Admin API)', () => {
    it('is refused to a plain user, to another tenant, and for an unknown user', async () => {
      const frank = await idOf('frank');
      expectError(await admin.call('bob', 'POST', `/admin/users/${frank}/password-reset`), 403, 'forbidden');
      expectError(await admin.call('alice', 'POST', `/admin/users/${frank}/password-reset?tenant=other`), 403, 'forbidden');
      expectError(await admin.call('ops', 'POST', `/admin/users/${frank}/password-reset`), 400, 'invalid_request');
      expectError(await admin.call('ops', 'POST', `/admin/users/00000000-0000-4000-8000-000000000000/password-reset?tenant=acme`), 404, 'not_found');
    });

    it('stops the password at once, ends sign-ins, mails a link that sets a new one; audited', async () => {
      const frank = await idOf('frank');
      const before = mail.to('frank@acme.test').length;
      const tokens = await login('frank', ADMIN_PASSWORD);
      const forced = await admin.call('alice', 'POST', `/admin/users/${frank}/password-reset`);
      expect(forced.status).toBe(200);
      expect(forced.body).toEqual({ id: frank, email: 'frank@acme.test', sessionsEnded: 0, refreshFamiliesRevoked: 1, linkExpiresAt: expect.any(String) });
      expect((await login('frank', ADMIN_PASSWORD)).body).toMatchObject({ error: 'invalid_grant' });
      expect((await http(`${auth.url}/auth/me`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } })).status).toBe(401);
      const { token } = await resetLink('frank@acme.test', before + 1);
      expect((await reset(token, NEW_PASSWORD)).status).toBe(204);
      expect((await login('frank', NEW_PASSWORD)).status).toBe(200);
      const rows = await sql<{ actor: string }[]>(`SELECT actor FROM $schema."audit_events" WHERE type = 'admin.user.password_reset_forced'`);
      expect(rows.length).toBeGreaterThanOrEqual(1);
    });
  });

  describe('email verification', () => {
    const register = (username: string) => json('/auth/register', { tenant: 'acme', username, email: `${username}@acme.test`, password: ADMIN_PASSWORD });

    afterAll(async () => {
      await admin.call('ops', 'PUT', '/admin/tenants/acme/email-verification', { requireEmailVerification: false });
    });

    it('is off by default: a registration is unverified, mails nothing, and signs in; the claim says false', async () => {
      const registered = await register('gina');
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ username: 'gina', emailVerified: false });
      const tokens = await login('gina', ADMIN_PASSWORD);
      expect(claims(tokens.body.access_token)).toMatchObject({ email: 'gina@acme.test', email_verified: false });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(mail.to('gina@acme.test')).toHaveLength(0);
    });

    it('is required by a tenant setting, platform administrators only', async () => {
      expectError(await admin.call('alice', 'PUT', '/admin/tenants/acme/email-verification', { requireEmailVerification: true }), 403, 'forbidden');
      expectError(await admin.call('ops', 'PUT', '/admin/tenants/acme/email-verification', { requireEmailVerification: 'yes' }), 400, 'invalid_request');
      const set = await admin.call('ops', 'PUT', '/admin/tenants/acme/email-verification', { requireEmailVerification: true });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ id: 'acme', requireEmailVerification: true });
    });

    it('holds an unverified user at sign-in with a clear error until the mailed link is used once', async () => {
      expect((await register('hana')).body).toMatchObject({ emailVerified: false });
      const first = linkToken(await mail.nth('hana@acme.test', 1), '/auth/email/verify');
      const held = await login('hana', ADMIN_PASSWORD);
      expect(held.status).toBe(400);
      expect(held.body).toEqual({
        error: 'invalid_grant',
        error_description: 'The email address of this account is not verified yet. Open the link sent to it, or ask for a new one.',
      });
      // A wrong password still reads as any wrong password.
      expect((await login('hana', 'not the password at all')).body).toMatchObject({ error_description: 'The username or password is incorrect.' });

      expect((await json('/auth/email/verify/resend', { tenant: 'acme', email: 'hana@acme.test' })).body).toEqual(ACCEPTED);
      expect((await json('/auth/email/verify/resend', { tenant: 'acme', email: 'nobody@acme.test' })).body).toEqual(ACCEPTED);
      const second = linkToken(await mail.nth('hana@acme.test', 2), '/auth/email/verify');
      expect(second.token).not.toBe(first.token);

      expectError(await json('/auth/email/verify', { token: 'B'.repeat(43) }), 400, 'invalid_link');
      expect((await json('/auth/email/verify', { token: second.token })).status).toBe(204);
      // Used once, and the first link was retired with it.
      expectError(await json('/auth/email/verify', { token: second.token }), 400, 'invalid_link');
      expectError(await json('/auth/email/verify', { token: first.token }), 400, 'invalid_link');

      const tokens = await login('hana', ADMIN_PASSWORD);
      expect(tokens.status).toBe(200);
      expect(claims(tokens.body.access_token)).toMatchObject({ email: 'hana@acme.test', email_verified: true });
      // A verified account is sent no more verification mail.
      expect((await json('/auth/email/verify/resend', { tenant: 'acme', email: 'hana@acme.test' })).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(mail.to('hana@acme.test')).toHaveLength(2);
    });

    it('confirms the address on the link page by its button, never on GET; the login page says why it holds the user', async () => {
      expect((await register('judy')).status).toBe(201);
      const { url } = linkToken(await mail.nth('judy@acme.test', 1), '/auth/email/verify');
      const jar = new CookieJar();
      const authorize = `${auth.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'acme-web', redirect_uri: CALLBACK, scope: 'profile', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).toString()}`;
      const loginPage = await browse(authorize, jar);
      expect(loginPage.body).toContain('<a href="/auth/password/forgot?tenant=acme">Forgot password?</a>');
      const held = await submit(auth.url, '/oauth/authorize/login', loginPage.body, jar, { username: 'judy', password: ADMIN_PASSWORD });
      expect(held.status).toBe(403);
      expect(held.body).toContain('The email address of this account is not verified yet.');

      const page = await browse(url, jar);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<button type="submit">Confirm</button>');
      const forged = await submit(auth.url, '/auth/email/verify/form', page.body, new CookieJar(), {});
      expect(forged.status).toBe(403);
      expect((await login('judy', ADMIN_PASSWORD)).status).toBe(400);
      const confirmed = await submit(auth.url, '/auth/email/verify/form', page.body, jar, {});
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toContain('Your email address is confirmed');
      expect((await browse(url, jar)).status).toBe(400);
      expect((await login('judy', ADMIN_PASSWORD)).status).toBe(200);
    });

    it('limits resends per email like resets', async () => {
      expect((await register('ivan')).status).toBe(201);
      for (let i = 0; i < 3; i++) expect((await json('/auth/email/verify/resend', { tenant: 'acme', email: 'ivan@acme.test' })).status).toBe(202);
      expectError(await json('/auth/email/verify/resend', { tenant: 'acme', email: 'ivan@acme.test' }), 429, 'rate_limited', 'Too many requests.');
    });
  });

  describe('the pages', () => {
    it('serves the forgot page with a CSRF cookie, the login page headers, and refuses its form without the token', async () => {
      const jar = new CookieJar();
      const page = await browse(`${auth.url}/auth/password/forgot?tenant=acme`, jar);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('set-cookie')).toMatch(/^gh_csrf=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/$/);
      expect(page.body).toContain('value="acme"');
      const forged = await submit(auth.url, '/auth/password/forgot/form', page.body.replace(/name="csrf" value="[^"]*"/, 'name="csrf" value="forged"'), jar, {
        email: 'lee@acme.test',
      });
      expect(forged.status).toBe(403);
      expect(forged.body).toContain('This form has expired');
      const noCookie = await submit(auth.url, '/auth/password/forgot/form', page.body, new CookieJar(), { tenant: 'acme', email: 'lee@acme.test' });
      expect(noCookie.status).toBe(403);
    });

    it('walks forgot, mail, reset page, new password; the link page refuses an unknown or used link', async () => {
      const jar = new CookieJar();
      const forgotPage = await browse(`${auth.url}/auth/password/forgot`, jar);
      const before = mail.to('bob@acme.test').length;
      // bob's address is held by its limit (3 an hour, spent above): the page says so, with the wait.
      const held = await submit(auth.url, '/auth/password/forgot/form', forgotPage.body, jar, { tenant: 'acme', email: 'bob@acme.test' });
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(3500);
      expect(held.body).toContain('Too many requests. Please wait');
      const sent = await submit(auth.url, '/auth/password/forgot/form', forgotPage.body, jar, { tenant: 'acme', email: 'gina@acme.test' });
      expect(sent.status).toBe(200);
      expect(sent.body).toContain('Check your email');
      expect(mail.to('bob@acme.test')).toHaveLength(before);
      const { url } = await resetLink('gina@acme.test', 1);

      expect((await browse(`${auth.url}/auth/password/reset?token=${'C'.repeat(43)}`, jar)).status).toBe(400);
      const resetForm = await browse(url, jar);
      expect(resetForm.status).toBe(200);
      expect(hiddenInputs(resetForm.body).token).toBe(new URL(url).searchParams.get('token'));
      const differ = await submit(auth.url, '/auth/password/reset/form', resetForm.body, jar, {
        password: NEW_PASSWORD,
        confirmation: 'something else entirely',
      });
      expect(differ.status).toBe(400);
      expect(differ.body).toContain('The two passwords differ.');
      const weak = await submit(auth.url, '/auth/password/reset/form', resetForm.body, jar, { password: 'short', confirmation: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body).toContain('The password is shorter than 12 characters.');
      const done = await submit(auth.url, '/auth/password/reset/form', resetForm.body, jar, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
      expect(done.status).toBe(200);
      expect(done.body).toContain('Your password is changed');
      expect((await login('gina', NEW_PASSWORD)).status).toBe(200);
      const again = await browse(url, jar);
      expect(again.status).toBe(400);
      expect(again.body).toContain('The link is invalid, expired or already used.');
    });
  });

  async function idOf(username: string): Promise<string> {
    const rows = await sql<{ id: string }[]>(`SELECT id FROM $schema."accounts" WHERE username = $1`, [username]);
    return rows[0].id;
  }
});

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
