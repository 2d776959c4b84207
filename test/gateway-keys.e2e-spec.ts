import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { eventually, http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /admin, upstream: AUTH_INTERNAL_URL, auth: jwt, propagation: pass-through }
  - { prefix: /users, upstream: USERS_URL, auth: jwt }
`;

/** The gateway's view of the auth app's keys: rotation under load, and the auth app unreachable. */
describe('gateway: signing keys seen through the JWKS cache', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let authLink: TcpProxy;
  let gateway: RunningApp;

  /** A client_credentials token, asked of the auth app directly (the gateway's link to it may be cut). */
  const tokenFor = async (client: 'ops' | 'acme-cli') => {
    const secret = client === 'ops' ? SECRETS.OPS_SECRET : SECRETS.ACME_CLI_SECRET;
    const answer = await postForm<{ access_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(client, secret) },
    );
    return answer.body.access_token;
  };
  const call = (token: string) => http(`${gateway.url}/users/me`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir), KEY_PUBLISH_AHEAD: '1' } });
    authLink = new TcpProxy({ host: '127.0.0.1', port: Number(testEnv.env.AUTH_PORT) }, await freePort());
    await authLink.start();
    gateway = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_ROUTES_FILE: routes,
        USERS_URL: upstreamUrl,
        AUTH_INTERNAL_URL: `http://127.0.0.1:${authLink.port}`,
        JWKS_TTL: '5',
        JWKS_MAX_STALE: '4',
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await authLink?.stop();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('keeps every request passing while the auth app rotates its signing key under load', async () => {
    const ops = await tokenFor('ops');
    const oldKid = decodeJwt(ops).header.kid;
    const outcomes: number[] = [];
    const kids = new Set<unknown>();
    let running = true;
    const worker = async () => {
      let token = await tokenFor('acme-cli');
      for (let i = 0; running; i++) {
        if (i % 5 === 0) token = await tokenFor('acme-cli');
        kids.add(decodeJwt(token).header.kid);
        outcomes.push((await call(token)).status);
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rotated = await http<{ kid: string }>(`${gateway.url}/admin/keys/rotate`, { method: 'POST', headers: { authorization: `Bearer ${ops}` } });
    expect(rotated.status).toBe(201);
    const switched = await eventually(() => Promise.resolve(kids.has(rotated.body.kid)), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    running = false;
    await load;
    expect(switched).toBe(true);
    expect(kids).toEqual(new Set([oldKid, rotated.body.kid]));
    expect(outcomes.length).toBeGreaterThan(50);
    expect(outcomes.filter((status) => status !== 200)).toEqual([]);
    // A token signed with the retiring key still passes.
    expect((await call(ops)).status).toBe(200);
  });

  it('serves stale keys while the auth app is unreachable, then 503 auth_unavailable, and recovers without a restart', async () => {
    const token = await tokenFor('acme-cli');
    expect((await call(token)).status).toBe(200);
    await authLink.stop();
    const cutAt = Date.now();
    // The last good fetch is at most 75% of the 5 s TTL old: keys stay usable for at least 5 s more.
    while (Date.now() - cutAt < 4_000) {
      expect((await call(await tokenFor('acme-cli'))).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    let staleReported = false;
    const refused = await eventually(
      async () => {
        const ready = await http<{ details: Record<string, { status: string; detail?: string }> }>(`${gateway.url}/health/ready`);
        if (ready.status === 200 && ready.body.details.jwks.detail?.includes('stale')) staleReported = true;
        return (await call(token)).status === 503;
      },
      15_000,
      200,
    );
    expect(refused).toBe(true);
    expect(staleReported).toBe(true);
    const answer = await call(token);
    expect(answer.body).toMatchObject({ error: 'auth_unavailable' });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const ready = await http<{ details: Record<string, { status: string }> }>(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.details.jwks.status).toBe('down');

    await authLink.start();
    expect(await eventually(async () => (await call(token)).status === 200, 15_000, 250)).toBe(true);
    expect((await http(`${gateway.url}/health/ready`)).status).toBe(200);
  });
});
