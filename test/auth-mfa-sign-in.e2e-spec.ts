import type { RunningApp } from '@gatehouse/app-kit';
import { base32Decode, hotp, totpStep } from '../apps/auth/src/mfa/totp';
import { ADMIN_PASSWORD, type AdminApi } from './support/admin-api';
import type { HttpResult } from './support/http';
import { decodeJwt, postForm } from './support/oauth';
import { browse, CookieJar, pkce, redirectParams, submit } from './support/sign-in';
import { SignInAuth } from './support/sign-in-auth';

const MFA = 'urn:gatehouse:acr:mfa';
const secretOf = (page: string) => base32Decode(/id="totp-secret">([^<]+)</.exec(page)?.[1] ?? '')!;

/** The login page's second step: enrolment when the tenant requires it, the code, recovery codes, acr_values. */
describe('auth: sign-in pages with a second factor', () => {
  let env: SignInAuth;
  let auth: RunningApp;
  let admin: AdminApi;
  let aliceSecret: Buffer;
  let recoveryCodes: string[];
  let lastStep = 0;

  const code = (secret: Buffer) => {
    const step = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
    lastStep = step;
    return hotp(secret, step);
  };
  /** The login page of acme-web, then the password of `username`: the page or redirect that follows. */
  const password = async (jar: CookieJar, username: string, fields: Record<string, string> = {}) => {
    const { verifier, challenge } = pkce();
    const page = await browse(env.authorizeUrl(fields, challenge), jar);
    expect(page.status).toBe(200);
    return { answer: await submit(auth.url, '/oauth/authorize/login', page.body, jar, { username, password: ADMIN_PASSWORD }), verifier };
  };
  const idTokenOf = async (back: HttpResult<string>, verifier: string) => {
    expect(back.status).toBe(303);
    const tokens = await env.exchange(redirectParams(back).code, verifier);
    expect(tokens.status).toBe(200);
    return {
      id: decodeJwt(tokens.body.id_token as string).payload,
      access: decodeJwt(tokens.body.access_token as string).payload,
      refresh: tokens.body.refresh_token as string,
    };
  };

  beforeAll(async () => {
    env = await SignInAuth.start();
    ({ auth, admin } = env);
    expect((await admin.call('ops', 'PUT', '/admin/tenants/acme/mfa-required', { mfaRequired: 'admins' })).status).toBe(200);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('an administrator who must enrol gets the enrolment page, no session; a wrong or CSRF-less code is refused', async () => {
    const jar = new CookieJar();
    const { answer } = await password(jar, 'alice');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Set up two-step verification');
    expect(answer.body).toMatch(/<svg[^>]*>.*<path/s);
    expect(jar.get('gh_sso')).toBeUndefined();
    aliceSecret = secretOf(answer.body);
    const wrong = await submit(auth.url, '/oauth/authorize/mfa/enrol', answer.body, jar, { code: hotp(aliceSecret, totpStep(Date.now()) + 9) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That code is wrong, expired or already used.');
    expect(secretOf(wrong.body).equals(aliceSecret)).toBe(true);
    const forged = await submit(auth.url, '/oauth/authorize/mfa/enrol', answer.body, jar, { code: code(aliceSecret), csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    expect(jar.get('gh_sso')).toBeUndefined();
  });

  it('enrols with a computed code, shows 10 recovery codes once, then signs in with amr pwd+otp and the MFA acr', async () => {
    const jar = new CookieJar();
    const { answer, verifier } = await password(jar, 'alice');
    aliceSecret = secretOf(answer.body);
    const codes = await submit(auth.url, '/oauth/authorize/mfa/enrol', answer.body, jar, { code: code(aliceSecret) });
    expect(codes.status).toBe(200);
    recoveryCodes = [...codes.body.matchAll(/<li><code>([A-Z2-7-]{19})<\/code><\/li>/g)].map((match) => match[1]);
    expect(recoveryCodes).toHaveLength(10);
    const back = await submit(auth.url, '/oauth/authorize/mfa/continue', codes.body, jar, {});
    const { id, access, refresh } = await idTokenOf(back, verifier);
    expect(id).toMatchObject({ acr: MFA, amr: ['pwd', 'otp'] });
    expect(access).toMatchObject({ acr: MFA, amr: ['pwd', 'otp'], auth_time: id.auth_time });
    // A refresh keeps saying how and when the person signed in, not when it was refreshed.
    const refreshed = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', client_id: 'acme-web', refresh_token: refresh });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token as string).payload).toMatchObject({ acr: MFA, amr: ['pwd', 'otp'], auth_time: id.auth_time });
  });

  it('signs in with the second factor: the code page, a wrong or replayed code refused, a recovery code accepted once', async () => {
    const jar = new CookieJar();
    const { answer, verifier } = await password(jar, 'alice');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Two-step verification');
    const replayed = await submit(auth.url, '/oauth/authorize/mfa', answer.body, jar, { code: hotp(aliceSecret, lastStep) });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('That code is wrong, expired or already used.');
    const back = await submit(auth.url, '/oauth/authorize/mfa', answer.body, jar, { code: recoveryCodes[0] });
    expect((await idTokenOf(back, verifier)).id).toMatchObject({ acr: MFA });
    const other = new CookieJar();
    const again = await password(other, 'alice');
    const spent = await submit(auth.url, '/oauth/authorize/mfa', again.answer.body, other, { code: recoveryCodes[0] });
    expect(spent.status).toBe(401);
    expect(other.get('gh_sso')).toBeUndefined();
  });

  it('acr_values asking for MFA: a password-only session signs in again, and one without a factor is sent to enrolment', async () => {
    const jar = new CookieJar();
    const { answer, verifier } = await password(jar, 'bob');
    const { id } = await idTokenOf(answer, verifier);
    expect(id).toMatchObject({ acr: 'urn:gatehouse:acr:pwd', amr: ['pwd'] });
    const stepped = await browse(env.authorizeUrl({ acr_values: MFA }), jar);
    expect(stepped.status).toBe(200);
    expect(stepped.body).toContain('action="/oauth/authorize/login"');
    const enrol = await submit(auth.url, '/oauth/authorize/login', stepped.body, jar, { username: 'bob', password: ADMIN_PASSWORD });
    expect(enrol.status).toBe(200);
    expect(enrol.body).toContain('Set up two-step verification');
  });
});
