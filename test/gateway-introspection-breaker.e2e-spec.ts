import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { http, type HttpResult } from './support/http';
import { basic, postForm } from './support/oauth';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ROUTES = `
routes:
  - { prefix: /profile, upstream: USERS_URL, auth: introspection, propagation: headers, scopes: [profile] }
  - { prefix: /writers, upstream: USERS_URL, auth: introspection, propagation: headers, scopes: [orders:write] }
`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway: introspection mode, with a circuit breaker on the auth app', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let proxy: TcpProxy;
  let gateway: RunningApp;

  const login = async (scope: string) => {
    const answer = await postForm<{ access_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    expect(answer.status).toBe(200);
    return answer.body.access_token;
  };
  const call = (path: string, token: string) => http(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const timed = async (path: string, token: string): Promise<{ answer: HttpResult; ms: number }> => {
    const started = Date.now();
    const answer = await call(path, token);
    return { answer, ms: Date.now() - started };
  };

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    proxy = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(auth.url).port) }, await freePort());
    await proxy.start();
    gateway = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_ROUTES_FILE: routes,
        USERS_URL: upstreamUrl,
        AUTH_INTERNAL_URL: `http://127.0.0.1:${proxy.port}`,
        GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET,
        INTROSPECTION_CACHE_TTL: '1',
        INTROSPECTION_MAX_STALE: '60',
        INTROSPECTION_BREAKER_THRESHOLD: '2',
        INTROSPECTION_BREAKER_OPEN: '2',
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    proxy?.resume();
    await proxy?.stop();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('a cached answer for one route never admits the token to a route that needs more', async () => {
    const token = await login('profile');
    expect((await call('/profile/me', token)).status).toBe(200);
    const writers = await call('/writers/me', token);
    expect({ status: writers.status, body: writers.body }).toEqual({
      status: 403,
      body: { error: 'insufficient_scope', message: expect.any(String), requestId: expect.any(String) },
    });
  });

  it('auth hanging: the breaker opens after the threshold; then a stale cached answer serves at once, an unknown token is 503 at once; a probe closes it again', async () => {
    const known = await login('profile');
    const unknown = await login('profile');
    expect((await call('/profile/me', known)).status).toBe(200);
    await sleep(1100);
    proxy.silence();
    // Each of these waits out the 2 s deadline, and falls back to the stale answer.
    for (let i = 0; i < 2; i++) expect((await call('/profile/me', known)).status).toBe(200);

    const stale = await timed('/profile/me', known);
    expect(stale.answer.status).toBe(200);
    expect(stale.ms).toBeLessThan(500);
    const refused = await timed('/profile/me', unknown);
    expect({ status: refused.answer.status, body: refused.answer.body }).toEqual({
      status: 503,
      body: { error: 'auth_unavailable', message: expect.any(String), requestId: expect.any(String) },
    });
    expect(refused.answer.headers.get('retry-after')).toBe('2');
    expect(refused.ms).toBeLessThan(500);

    proxy.resume();
    await sleep(2100);
    expect((await call('/profile/me', unknown)).status).toBe(200);
  });
});
