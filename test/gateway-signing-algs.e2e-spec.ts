import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { KeyStore } from '../apps/auth/src/keys/key-store.service';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /pass, upstream: USERS_URL, auth: jwt, propagation: pass-through }
`;
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An auth app signing with EdDSA (Ed25519) behind a gateway on its default algorithms. */
describe('gateway: EdDSA access tokens', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;
  let strict: RunningApp;
  let token: string;

  const call = (app: RunningApp, value: string) => http<Echo>(`${app.url}/pass/users/me`, { headers: { authorization: `Bearer ${value}` } });

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER, SIGNING_ALG: 'EdDSA' });
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    const gatewayEnv = { ...testEnv.env, GATEWAY_ROUTES_FILE: routes, USERS_URL: upstreamUrl, GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET };
    gateway = await startApp(gatewayApp, { env: gatewayEnv });
    // An operator who allows RSA only: an EdDSA token is refused before any key is looked up.
    strict = await startApp(gatewayApp, { env: { ...gatewayEnv, GATEWAY_PORT: String(await freePort()), JWT_ALGORITHMS: 'RS256' } });
    const login = await postForm<{ access_token: string }>(
      `${gateway.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'profile' },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    token = login.body.access_token;
  });

  afterAll(async () => {
    await strict?.close();
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('a token signed by another Ed25519 key under the same kid: 401 invalid_token', async () => {
    const { kid } = await auth.app.get(KeyStore).signingKey();
    const { privateKey } = generateKeyPairSync('ed25519');
    const input = `${segment({ alg: 'EdDSA', typ: 'at+jwt', kid })}.${token.split('.')[1]}`;
    const forged = `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
    const answer = await call(gateway, forged);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 401,
      body: { error: 'invalid_token', message: expect.any(String), requestId: expect.any(String) },
    });
  });

  it('an EdDSA token on a gateway allowing RS256 only: 401 invalid_token', async () => {
    const answer = await call(strict, token);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 401,
      body: { error: 'invalid_token', message: expect.any(String), requestId: expect.any(String) },
    });
  });

  it('the auth app signs with EdDSA, and the gateway passes the token on', async () => {
    expect(decodeJwt(token).header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const first = await call(gateway, token);
    expect(first.status).toBe(200);
    expect(first.body.headers.authorization).toBe(`Bearer ${token}`);
    // Again, from the verified-token cache.
    expect((await call(gateway, token)).status).toBe(200);
  });
});
