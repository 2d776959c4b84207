import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { AdminApi } from './support/admin-api';
import { designBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

// An issuer of this run only: pushed events name it, so runs sharing a broker never mix.
const ISSUER = `http://revocation-${randomBytes(4).toString('hex')}.test`;
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /auth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /api, upstream: USERS_URL, auth: jwt, propagation: headers }
  - { prefix: /introspected, upstream: USERS_URL, auth: introspection, propagation: headers }
  - { prefix: /app, upstream: USERS_URL, auth: session, propagation: headers }
`;

describe('revocation reaches every gateway', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gatewayEnv: Record<string, string>;
  const gateways: RunningApp[] = [];
  let admin: AdminApi;
  let bystander: string;
  let load: { stop: () => Promise<number> };

  const acmeCli = { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) };
  const call = (gateway: RunningApp, path: string, token: string) => http(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const login = async (username = 'alice', password = SECRETS.ALICE_PASSWORD) => {
    const answer = await postForm<{ access_token: string; refresh_token: string }>(`${auth.url}/oauth/token`, { grant_type: 'password', username, password, scope: 'profile' }, acmeCli);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const clientToken = async (client: string, secret: string) => {
    const answer = await postForm<{ access_token: string }>(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client, secret) });
    expect(answer.status).toBe(200);
    return answer.body.access_token;
  };
  const revoke = (token: string) => postForm(`${auth.url}/oauth/revoke`, { token }, acmeCli);

  /** Requests with a token nobody revokes, to both gateways, for as long as the suite measures. */
  function startLoad(): { stop: () => Promise<number> } {
    let running = true;
    let failures = 0;
    const worker = async () => {
      while (running) {
        for (const gateway of gateways) {
          const answer = await call(gateway, '/api/load', bystander).catch(() => undefined);
          if (running && answer && answer.status !== 200) failures += 1;
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    return {
      stop: async () => {
        running = false;
        await Promise.all(workers);
        return failures;
      },
    };
  }

  const startGateway = () => startApp(gatewayApp, { env: gatewayEnv });

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER, ACCESS_TOKEN_TTL: '600' });
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...designBootstrap(testEnv.dataDir) } });
    // Polling is slowed to a minute, so what is proved here is the push, the gap and the start.
    gatewayEnv = { ...testEnv.env, GATEWAY_ROUTES_FILE: routes, USERS_URL: upstreamUrl, GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET, REVOCATION_POLL_INTERVAL: '60', GATEWAY_PORT: '0' };
    gateways.push(await startGateway(), await startGateway());
    admin = new AdminApi(auth.url);
    await admin.signIn({ ops: { client: 'ops', secret: SECRETS.OPS_SECRET, fields: { grant_type: 'client_credentials' } } });
    bystander = await clientToken('ops', SECRETS.OPS_SECRET);
    load = startLoad();
  });

  afterAll(async () => {
    const failures = await load?.stop();
    for (const gateway of gateways) await gateway.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
    // Nobody revoked the bystander: no request of the load was refused.
    expect(failures).toBe(0);
  });

  it('GET /internal/revocations: only for the gateway client; events after a sequence, with the last one', async () => {
    const feed = (after: string, authorization?: string) => http<Record<string, unknown>>(`${auth.url}/internal/revocations?after=${after}`, { headers: authorization ? { authorization } : {} });
    const refused = await feed('0', basic('acme-cli', SECRETS.ACME_CLI_SECRET));
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } });
    expect((await feed('0')).status).toBe(401);
    const gatewayClient = basic('gateway', SECRETS.GATEWAY_CLIENT_SECRET);
    const malformed = await feed('-1', gatewayClient);
    expect({ status: malformed.status, body: malformed.body }).toEqual({ status: 400, body: { error: 'invalid_request', error_description: expect.any(String) } });
    const { access_token } = await login();
    const { jti, exp } = decodeJwt(access_token).payload as { jti: string; exp: number };
    const before = await feed('0', gatewayClient);
    expect(before.status).toBe(200);
    expect((await revoke(access_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await feed(String(before.body.last), gatewayClient);
    expect(after.body).toEqual({
      events: [{ seq: (before.body.last as number) + 1, kind: 'jti', value: jti, before: expect.any(Number), until: exp }],
      last: (before.body.last as number) + 1,
      more: false,
    });
    expect(after.headers.get('cache-control')).toBe('no-store');
  });
});
