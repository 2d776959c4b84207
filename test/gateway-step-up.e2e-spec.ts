import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { base32Decode, hotp, totpStep } from '../apps/auth/src/mfa/totp';
import { usersApp } from '../apps/users/src/users.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { http } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const MFA = 'urn:gatehouse:acr:mfa';

/** Step-up (RFC 9470): a route asking for the MFA class or a recent sign-in refuses what falls short. */
describe('gateway: step-up (requireAcr, maxAuthAge)', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let gateway: RunningApp;

  const password = (extra: Record<string, string> = {}) =>
    postForm<{ access_token: string }>(
      `${gateway.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, ...extra },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
  const get = (path: string, token: string) => http<Record<string, unknown>>(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const routes = readFileSync('config/gateway.routes.yaml', 'utf8').replace(
      '  - { prefix: /users, upstream: USERS_URL, auth: jwt, tenant: [subdomain, path, header, claim] }',
      [
        `  - { prefix: /users/me, upstream: USERS_URL, auth: jwt, requireAcr: [${MFA}] }`,
        '  - { prefix: /users, upstream: USERS_URL, auth: jwt, maxAuthAge: 0, tenant: [subdomain, path, header, claim] }',
      ].join('\n'),
    );
    const file = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(file, routes);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    users = await startApp(usersApp, { env: testEnv.env });
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: file } });
  });

  afterAll(async () => {
    await gateway?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('a password-only token on a route requiring the MFA class: 401 insufficient_user_authentication, the exact challenge and body', async () => {
    const token = (await password()).body.access_token;
    const refused = await get('/users/me', token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="${MFA}"`,
    );
    expect(refused.body).toEqual({
      error: 'insufficient_user_authentication',
      message: 'A different authentication level is required.',
      requestId: expect.any(String),
    });
  });

  it('a sign-in older than maxAuthAge: 401 with max_age', async () => {
    const token = (await password()).body.access_token;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await get('/users/anything', token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="More recent authentication is required", max_age=0',
    );
  });

  it('after enrolling and signing in with the code, the same route lets the person through', async () => {
    const first = (await password()).body.access_token;
    const offer = await http<{ secret: string }>(`${gateway.url}/auth/mfa/totp`, { method: 'POST', headers: { authorization: `Bearer ${first}` } });
    expect(offer.status).toBe(201);
    const secret = base32Decode(offer.body.secret)!;
    const step = totpStep(Date.now());
    const confirmed = await http(`${gateway.url}/auth/mfa/totp/confirm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: hotp(secret, step - 1) }),
    });
    expect(confirmed.status).toBe(200);
    const stepped = await password({ otp: hotp(secret, step) });
    expect(stepped.status).toBe(200);
    const answer = await get('/users/me', stepped.body.access_token);
    expect(answer.status).toBe(200);
  });
});
