import { createHash, randomBytes } from 'node:crypto';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { base32Decode, hotp, totpStep } from '../apps/auth/src/mfa/totp';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { ADMIN_PASSWORD, ADMIN_SECRET } from './support/admin-api';
import { browse, CookieJar, hiddenInputs, redirectParams } from './support/sign-in';
import { CALLBACK, SignInAuth } from './support/sign-in-auth';
import { createTestEnv, type TestEnv } from './support/test-env';

const PASSWORD = 'correct horse battery staple';
const OWNER_ADDRESS = '203.0.113.7';
// The default limits, but for the trusted proxy that lets the test speak for many addresses.
const LIMITS = { AUTH_TRUSTED_PROXIES: '127.0.0.1' };

const retryAfter = (answer: HttpResult) => Number(answer.headers.get('retry-after'));

function expectRateLimited(answer: HttpResult) {
  expect(answer.status).toBe(429);
  expect(answer.body).toEqual({ error: 'rate_limited', message: 'Too many requests.', requestId: expect.any(String) });
  expect(retryAfter(answer)).toBeGreaterThan(800);
}

/** Device cookies and device tokens: an attacker spraying passwords cannot lock the owner out of their devices. */
describe('auth: login devices', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;

  const grant = (from: string, username: string, password: string, deviceToken?: string) =>
    postForm(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username, password, ...(deviceToken === undefined ? {} : { device_token: deviceToken }) },
      { 'x-forwarded-for': from, authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
  const session = (from: string, username: string, password: string, cookie = '') =>
    http(`${auth.url}/auth/session`, {
      method: 'POST',
      headers: { 'x-forwarded-for': from, 'content-type': 'application/json', cookie, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
      body: JSON.stringify({ tenant: 'acme', username, password }),
    });
  async function register(username: string): Promise<void> {
    const body = JSON.stringify({ tenant: 'acme', username, email: `${username}@acme.test`, password: PASSWORD });
    expect((await http(`${auth.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(201);
  }
  /** 50 wrong passwords for `username`, 5 from each of 10 addresses: the per-account cap. */
  async function spray(username: string, network: string): Promise<void> {
    for (let a = 1; a <= 10; a++) {
      for (let i = 0; i < 5; i++) expect((await grant(`${network}.${a}`, username, 'a wrong password')).body).toMatchObject({ error: 'invalid_grant' });
    }
  }

  beforeAll(async () => {
    testEnv = await createTestEnv(LIMITS);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    for (const username of ['olga', 'pete', 'quinn', 'rosa', 'sven', 'tina']) await register(username);
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('after 50 failures from 10 addresses', () => {
    let deviceToken: string;
    const jar = new CookieJar();

    beforeAll(async () => {
      const first = await grant(OWNER_ADDRESS, 'olga', PASSWORD);
      expect(first.status).toBe(200);
      deviceToken = (first.body as { device_token: string }).device_token;
      const browser = await session(OWNER_ADDRESS, 'olga', PASSWORD);
      expect(browser.status).toBe(204);
      jar.store(browser.headers);
      await spray('olga', '198.51.100');
    });

    it('keeps everyone without a device credential out, with the generic refusal and the wait', async () => {
      expectRateLimited(await grant('192.0.2.1', 'olga', PASSWORD));
      expectRateLimited(await session('192.0.2.2', 'olga', PASSWORD));
      expectRateLimited(await grant(OWNER_ADDRESS, 'olga', PASSWORD));
    });

    it('refuses a forged device token and the device token of another account', async () => {
      expectRateLimited(await grant('192.0.2.3', 'olga', PASSWORD, randomBytes(32).toString('base64url')));
      expectRateLimited(await grant('192.0.2.3', 'olga', PASSWORD, 'not a device token'));
      const pete = await grant('192.0.2.4', 'pete', PASSWORD);
      const petesToken = (pete.body as { device_token: string }).device_token;
      expectRateLimited(await grant('192.0.2.4', 'olga', PASSWORD, petesToken));
      expectRateLimited(await session('192.0.2.4', 'olga', PASSWORD, `gh_device=${petesToken}`));
    });

    it('lets the owner in at once with the device token of the password grant, which stays the same', async () => {
      const answer = await grant(OWNER_ADDRESS, 'olga', PASSWORD, deviceToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token_type: 'Bearer', device_token: deviceToken });
    });

    it('lets the owner in at once with the device cookie of the browser, from another address too', async () => {
      expect(jar.get('gh_device')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const answer = await session('192.0.2.5', 'olga', PASSWORD, jar.header());
      expect(answer.status).toBe(204);
      const cookies = answer.headers.getSetCookie();
      expect(cookies).toContainEqual(expect.stringMatching(/^gh_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/$/));
      expect(cookies).toContain(`gh_device=${jar.get('gh_device')}; HttpOnly; SameSite=Lax; Path=/; Max-Age=7776000`);
    });

    it('audits the refusals, once a minute per address and account, never with the password', async () => {
      const rows = await auth.app
        .get(DataSource)
        .query<{ details: Record<string, unknown>; ip: string }[]>(
          `SELECT "details", "ip" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = 'login.refused' AND "ip" = '192.0.2.3'`,
        );
      expect(rows).toEqual([{ ip: '192.0.2.3', details: { username: 'olga', limits: ['account cap'], retryAfter: expect.any(Number), device: false } }]);
      expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    });

    it('stores device credentials only hashed', async () => {
      const rows = await auth.app.get(DataSource).query<{ id: string }[]>(`SELECT "id" FROM "${testEnv.schemaPrefix}auth"."login_devices"`);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(rows)).not.toContain(deviceToken);
      for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('counts the failures of a device credential on that device, delaying it, never toward the account', async () => {
    const first = await grant('203.0.113.20', 'quinn', PASSWORD);
    const token = (first.body as { device_token: string }).device_token;
    for (let i = 0; i < 5; i++) expect((await grant(`203.0.113.${21 + i}`, 'quinn', 'a wrong password', token)).status).toBe(400);
    const delayed = await grant('203.0.113.30', 'quinn', PASSWORD, token);
    expect(delayed.status).toBe(429);
    expect(retryAfter(delayed)).toBe(1);
    // The device's failures did not count toward the account: without the device, no hold.
    expect((await grant('203.0.113.31', 'quinn', PASSWORD)).status).toBe(200);
  });

  it('keeps the 50 most recently used devices of an account, forgetting the oldest', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 51; i++) tokens.push(((await grant(`203.0.114.${i}`, 'rosa', PASSWORD)).body as { device_token: string }).device_token);
    expect(new Set(tokens).size).toBe(51);
    const rows = await auth.app
      .get(DataSource)
      .query<{ id: string }[]>(`SELECT "id" FROM "${testEnv.schemaPrefix}auth"."login_devices" WHERE "username_key" = 'rosa'`);
    expect(rows).toHaveLength(50);
    const hashes = new Set(rows.map((row) => row.id));
    expect(hashes.has(createHash('sha256').update(tokens[0]).digest('hex'))).toBe(false);
    expect(hashes.has(createHash('sha256').update(tokens[50]).digest('hex'))).toBe(true);
  });

  describe('an owner with a second factor, after 50 failures from 10 addresses', () => {
    let secret: Buffer;
    let deviceToken: string;
    // Each accepted code spends its step: the next one must come from a later step.
    let lastStep = 0;
    const codeAfterLast = (): string => {
      const step = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
      if (step > totpStep(Date.now()) + 1) throw new Error('no unspent step in the window');
      lastStep = step;
      return hotp(secret, step);
    };
    const grantWithCode = (from: string, otp: string, device?: string) =>
      postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'sven', password: PASSWORD, otp, ...(device === undefined ? {} : { device_token: device }) },
        { 'x-forwarded-for': from, authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
      );
    const sessionCall = (path: string, from: string, body: Record<string, string>, cookie = '') =>
      http<Record<string, unknown>>(`${auth.url}${path}`, {
        method: 'POST',
        headers: { 'x-forwarded-for': from, 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
    const bearer = async (path: string, token: string, body?: unknown) =>
      http<Record<string, unknown>>(`${auth.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });

    beforeAll(async () => {
      const first = await grant(OWNER_ADDRESS, 'sven', PASSWORD);
      expect(first.status).toBe(200);
      const accessToken = (first.body as { access_token: string }).access_token;
      deviceToken = (first.body as { device_token: string }).device_token;
      const offer = await bearer('/auth/mfa/totp', accessToken);
      expect(offer.status).toBe(201);
      secret = base32Decode(offer.body.secret as string)!;
      expect((await bearer('/auth/mfa/totp/confirm', accessToken, { code: codeAfterLast() })).status).toBe(200);
      await spray('sven', '198.51.101');
    });

    it('keeps the attacker out even with the right password and code, without a device credential', async () => {
      expectRateLimited(await grantWithCode('192.0.2.70', hotp(secret, totpStep(Date.now()))));
    });

    it('asks the owner with the device token for the code, and hands out no device credential for the password alone', async () => {
      const answer = await grant(OWNER_ADDRESS, 'sven', PASSWORD, deviceToken);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'invalid_grant',
        error_description: 'This account uses two-step verification: send the current one-time code (or a recovery code) as otp.',
      });
    });

    it('lets the owner in with the device token and the code: amr pwd+otp, the same device token back', async () => {
      const answer = await grantWithCode('192.0.2.71', codeAfterLast(), deviceToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token_type: 'Bearer', device_token: deviceToken });
      expect(decodeJwt((answer.body as { access_token: string }).access_token).payload).toMatchObject({ amr: ['pwd', 'otp'] });
    });

    it('opens the browser session on the device cookie and the code, setting the device cookie only with the session', async () => {
      const cookie = `gh_device=${deviceToken}`;
      const challenge = await sessionCall('/auth/session', '192.0.2.72', { tenant: 'acme', username: 'sven', password: PASSWORD }, cookie);
      expect(challenge.status).toBe(200);
      expect(challenge.headers.get('set-cookie')).toBeNull();
      expect(challenge.body).toMatchObject({ mfa_required: true, mfa_token: expect.stringMatching(/^mfa1\./) });
      const opened = await sessionCall('/auth/session/mfa', '192.0.2.72', { mfa_token: challenge.body.mfa_token as string, otp: codeAfterLast() }, cookie);
      expect(opened.status).toBe(204);
      const cookies = opened.headers.getSetCookie();
      expect(cookies).toContainEqual(expect.stringMatching(/^gh_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/$/));
      expect(cookies).toContain(`gh_device=${deviceToken}; HttpOnly; SameSite=Lax; Path=/; Max-Age=7776000`);
    });
  });

  it('counts the codes of a recognised device on that device: wrong codes sprayed with a leaked password do not hold the owner', async () => {
    const grantAs = (from: string, extra: Record<string, string>) =>
      postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'tina', password: PASSWORD, ...extra },
        { 'x-forwarded-for': from, authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
      );
    const first = await grantAs(OWNER_ADDRESS, {});
    const { access_token: accessToken, device_token: deviceToken } = first.body as { access_token: string; device_token: string };
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const offer = await http<{ secret: string }>(`${auth.url}/auth/mfa/totp`, { method: 'POST', headers, body: '{}' });
    const secret = base32Decode(offer.body.secret)!;
    const step = totpStep(Date.now());
    const confirmed = await http(`${auth.url}/auth/mfa/totp/confirm`, { method: 'POST', headers, body: JSON.stringify({ code: hotp(secret, step - 1) }) });
    expect(confirmed.status).toBe(200);
    // The password leaked: 50 wrong codes from 10 addresses reach the second factor's account cap.
    for (let a = 1; a <= 10; a++) {
      for (let i = 0; i < 5; i++) expect((await grantAs(`198.51.102.${a}`, { otp: '000000' })).body).toMatchObject({ error: 'invalid_grant' });
    }
    expectRateLimited(await grantAs('192.0.2.80', { otp: hotp(secret, totpStep(Date.now())) }));
    const owner = await grantAs('192.0.2.81', { otp: hotp(secret, Math.max(step, totpStep(Date.now()))), device_token: deviceToken });
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({ device_token: deviceToken });
  });

  describe('on the sign-in page of the authorization flow', () => {
    let env: SignInAuth;
    const deviceOnly = (jar: CookieJar) => new CookieJar().store(new Headers([['set-cookie', `gh_device=${jar.get('gh_device')}`]]));
    const signInBob = async (jar: CookieJar, from: string) => {
      const page = await browse(env.authorizeUrl(), jar);
      expect(page.status).toBe(200);
      return http<string>(`${env.auth.url}/oauth/authorize/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), accept: 'text/html', 'x-forwarded-for': from },
        body: new URLSearchParams({ ...hiddenInputs(page.body), username: 'bob', password: ADMIN_PASSWORD }).toString(),
      });
    };

    beforeAll(async () => {
      env = await SignInAuth.start();
    });

    afterAll(async () => {
      await env?.close();
    });

    it('sets the device cookie on sign-in, which lets the owner sign in while the account is held', async () => {
      const owner = new CookieJar();
      const first = await signInBob(owner, '203.0.113.50');
      owner.store(first.headers);
      expect(first.status).toBe(303);
      expect(first.headers.getSetCookie()).toContainEqual(
        expect.stringMatching(/^gh_device=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=7776000$/),
      );
      for (let a = 1; a <= 10; a++) {
        for (let i = 0; i < 5; i++) {
          const failed = await postForm(
            `${env.auth.url}/oauth/token`,
            { grant_type: 'password', username: 'bob', password: 'a wrong password' },
            { 'x-forwarded-for': `198.51.100.${a}`, authorization: basic('acme-cli', ADMIN_SECRET.ACME) },
          );
          expect(failed.body).toMatchObject({ error: 'invalid_grant' });
        }
      }
      const stranger = await signInBob(new CookieJar(), '192.0.2.60');
      expect(stranger.status).toBe(429);
      expect(stranger.body).toContain('Too many sign-in attempts. Please wait');
      expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(800);

      const back = await signInBob(deviceOnly(owner), '192.0.2.61');
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toMatch(new RegExp(`^${CALLBACK}\\?`));
      expect(redirectParams(back)).toMatchObject({ code: expect.any(String), state: 'st-1' });
    });
  });
});
