import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { base32Decode, hotp, totpStep } from '../apps/auth/src/mfa/totp';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, ADMIN_SECRET, AdminApi } from './support/admin-api';
import { http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
users:
${ADMIN_BOOTSTRAP_USERS}
`;
const MFA_ACR = 'urn:gatehouse:acr:mfa';

/** TOTP second factors over HTTP: enrolment, the password grant's `otp`, `/auth/session`, limits, admin reset. */
describe('auth: MFA (TOTP)', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let admin: AdminApi;
  let secret: Buffer;
  let recoveryCodes: string[];
  // Each accepted code spends its step: the next one must come from a later step.
  let lastStep = 0;

  const codeAfterLast = (): string => {
    const step = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
    if (step > totpStep(Date.now()) + 1) throw new Error('no unspent step in the window');
    lastStep = step;
    return hotp(secret, step);
  };
  const grant = (username: string, extra: Record<string, string> = {}) =>
    postForm(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username, password: ADMIN_PASSWORD, ...extra },
      { authorization: basic('acme-cli', ADMIN_SECRET.ACME) },
    );
  const json = <T = Record<string, unknown>>(method: string, path: string, body: unknown, token?: string): Promise<HttpResult<T>> =>
    http<T>(`${auth.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file, LOGIN_PAIR_LIMIT: '100', LOGIN_IP_LIMIT: '1000' } });
    admin = new AdminApi(auth.url);
    await admin.signInAsEveryone();
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('discovery names the acr values and the acr claim', async () => {
    const metadata = await http<Record<string, unknown>>(`${auth.url}/.well-known/openid-configuration`);
    expect(metadata.body.acr_values_supported).toEqual(['urn:gatehouse:acr:pwd', MFA_ACR]);
    expect(metadata.body.claims_supported).toEqual(expect.arrayContaining(['acr', 'amr', 'auth_time']));
  });

  it('refuses enrolment without a token, and confirmation without a pending enrolment', async () => {
    expect((await json('POST', '/auth/mfa/totp', {})).status).toBe(401);
    const refused = await admin.call('bob', 'POST', '/auth/mfa/totp/confirm', { code: '123456' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'conflict' });
  });

  it('enrols: a secret and its otpauth URI; a wrong first code is 400 invalid_otp; the right one gives 10 recovery codes', async () => {
    const offer = await admin.call<{ secret: string; otpauth_uri: string }>('bob', 'POST', '/auth/mfa/totp');
    expect(offer.status).toBe(201);
    expect(offer.headers.get('cache-control')).toBe('no-store');
    expect(offer.body.otpauth_uri).toBe(`otpauth://totp/Acme:bob?secret=${offer.body.secret}&issuer=Acme&algorithm=SHA1&digits=6&period=30`);
    secret = base32Decode(offer.body.secret)!;
    const wrong = hotp(secret, totpStep(Date.now()) + 5);
    const refused = await admin.call('bob', 'POST', '/auth/mfa/totp/confirm', { code: wrong });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_otp', message: 'The one-time code is wrong, expired or already used.' });
    const confirmed = await admin.call<{ recovery_codes: string[] }>('bob', 'POST', '/auth/mfa/totp/confirm', { code: codeAfterLast() });
    expect(confirmed.status).toBe(200);
    recoveryCodes = confirmed.body.recovery_codes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
  });

  it('the password grant refuses an enrolled user without otp, with a wrong one and with a replayed one', async () => {
    const without = await grant('bob');
    expect(without.status).toBe(400);
    expect(without.body).toEqual({
      error: 'invalid_grant',
      error_description: 'This account uses two-step verification: send the current one-time code (or a recovery code) as otp.',
    });
    const wrong = await grant('bob', { otp: hotp(secret, totpStep(Date.now()) + 7) });
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'The one-time code is wrong, expired or already used.' });
    const replayed = await grant('bob', { otp: hotp(secret, lastStep) });
    expect(replayed.status).toBe(400);
    expect(replayed.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('with the code: tokens say amr pwd+otp, the MFA acr and auth_time; the same code again is refused', async () => {
    const before = Math.floor(Date.now() / 1000);
    const code = codeAfterLast();
    const granted = await grant('bob', { otp: code });
    expect(granted.status).toBe(200);
    const claims = decodeJwt(granted.body.access_token as string).payload;
    expect(claims).toMatchObject({ amr: ['pwd', 'otp'], acr: MFA_ACR });
    expect(claims.auth_time).toBeGreaterThanOrEqual(before);
    expect((await grant('bob', { otp: code })).status).toBe(400);
    const plain = decodeJwt((await grant('alice')).body.access_token as string).payload;
    expect(plain).toMatchObject({ amr: ['pwd'], acr: 'urn:gatehouse:acr:pwd' });
  });

  it('a recovery code works once instead of the code', async () => {
    const first = await grant('bob', { otp: recoveryCodes[0].toLowerCase() });
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.access_token as string).payload).toMatchObject({ amr: ['pwd', 'otp'] });
    const again = await grant('bob', { otp: recoveryCodes[0] });
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'The one-time code is wrong, expired or already used.' });
  });

  it('/auth/session answers the mfa_required challenge, then opens the session on the code, never on a wrong one', async () => {
    const challenge = await json<Record<string, unknown>>('POST', '/auth/session', { tenant: 'acme', username: 'bob', password: ADMIN_PASSWORD });
    expect(challenge.status).toBe(200);
    expect(challenge.headers.get('set-cookie')).toBeNull();
    expect(challenge.body).toEqual({ mfa_required: true, mfa_token: expect.stringMatching(/^mfa1\./), expires_in: 300, methods: ['otp', 'recovery_code'] });
    const token = challenge.body.mfa_token as string;
    const wrong = await json('POST', '/auth/session/mfa', { mfa_token: token, otp: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'The one-time code is wrong, expired or already used.' });
    const forged = await json('POST', '/auth/session/mfa', { mfa_token: `${token.slice(0, -4)}AAAA`, otp: codeAfterLast() });
    expect(forged.body).toEqual({ error: 'invalid_grant', error_description: 'The sign-in has expired. Enter your password again.' });
    const opened = await json('POST', '/auth/session/mfa', { mfa_token: token, otp: recoveryCodes[1] });
    expect(opened.status).toBe(204);
    expect(opened.headers.get('set-cookie')).toMatch(/^gh_session=[A-Za-z0-9_-]{43};/);
  });

  it('limits codes like passwords: past the threshold of wrong codes, any further code waits (429 with Retry-After)', async () => {
    for (let i = 0; i < 5; i++) expect((await grant('bob', { otp: '111111' })).status).toBe(400);
    const held = await grant('bob', { otp: hotp(secret, totpStep(Date.now())) });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a tenant requiring MFA of its admins refuses an admin without one (API), and an admin resets a user', async () => {
    const bobId = (await admin.call<{ sub: string }>('bob', 'GET', '/auth/me')).body.sub;
    expect((await admin.call('bob', 'PUT', '/admin/tenants/acme/mfa-required', { mfaRequired: 'admins' })).status).toBe(403);
    expect((await admin.call('alice', 'PUT', '/admin/tenants/acme/mfa-required', { mfaRequired: 'sometimes' })).status).toBe(400);
    const set = await admin.call('alice', 'PUT', '/admin/tenants/acme/mfa-required', { mfaRequired: 'admins' });
    expect(set.body).toEqual({ tenant: 'acme', mfaRequired: 'admins' });
    expect((await grant('alice')).body).toEqual({
      error: 'invalid_grant',
      error_description: 'This organisation requires two-step verification: enrol a second factor through the sign-in page first.',
    });
    expect((await admin.call('bob', 'DELETE', `/admin/users/${bobId}/mfa`)).status).toBe(403);
    expect((await admin.call('ops', 'DELETE', `/admin/users/${bobId}/mfa?tenant=acme`)).status).toBe(204);
    await admin.call('ops', 'PUT', '/admin/tenants/acme/mfa-required', { mfaRequired: 'off' });
    const after = await grant('bob');
    expect(after.status).toBe(200);
    expect(decodeJwt(after.body.access_token as string).payload).toMatchObject({ amr: ['pwd'] });
  });

  it('disabling needs a fresh code: a wrong one is 400 invalid_otp, a right one 204, then 409 as nothing is on', async () => {
    const offer = await admin.call<{ secret: string }>('alice', 'POST', '/auth/mfa/totp');
    const own = base32Decode(offer.body.secret)!;
    const step = totpStep(Date.now());
    expect((await admin.call('alice', 'POST', '/auth/mfa/totp/confirm', { code: hotp(own, step - 1) })).status).toBe(200);
    const wrong = await admin.call('alice', 'DELETE', '/auth/mfa/totp', { code: hotp(own, step - 1) });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_otp' });
    expect((await admin.call('alice', 'DELETE', '/auth/mfa/totp', { code: hotp(own, step) })).status).toBe(204);
    const again = await admin.call('alice', 'DELETE', '/auth/mfa/totp', { code: hotp(own, step + 1) });
    expect(again.status).toBe(409);
    expect((await grant('alice')).status).toBe(200);
  });
});
