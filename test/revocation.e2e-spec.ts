import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { RevocationEvents } from '../apps/auth/src/revocations/revocation-events.service';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { InternalTokenMinter } from '../apps/gateway/src/propagation/internal-token.minter';
import { AdminApi } from './support/admin-api';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { eventually, http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

// An issuer of this run only: pushed events name it, so runs sharing a broker never mix.
const ISSUER = `http://revocation-${randomBytes(4).toString('hex')}.test`;
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /auth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /api, upstream: USERS_URL, auth: jwt, propagation: headers }
  - { prefix: /introspected, upstream: USERS_URL, auth: introspection, propagation: headers }
  - { prefix: /app, upstream: USERS_URL, auth: session, propagation: headers }
  - { prefix: /minted, upstream: USERS_URL, auth: jwt, propagation: internal-token }
`;
const REFUSAL = { error: 'invalid_token', message: expect.any(String), requestId: expect.any(String) };
const CHALLENGE = 'Bearer realm="gatehouse", error="invalid_token"';
// From the revoking call's answer to a gateway's first refusal, under this suite's own load.
const BOUND_MS = 2000;
const PASSWORD = 'correct horse battery staple, twice';

describe('revocation reaches every gateway', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gatewayEnv: Record<string, string>;
  const gateways: RunningApp[] = [];
  let admin: AdminApi;
  let bystander: string;
  let load: { stop: () => Promise<number> };
  let refusedLoad = 0;

  const acmeCli = { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) };
  const call = (gateway: RunningApp, path: string, token: string) => http(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const cookieCall = (gateway: RunningApp, path: string, secret: string) => http(`${gateway.url}${path}`, { headers: { cookie: `gh_session=${secret}` } });
  const login = async (username = 'alice', password = SECRETS.ALICE_PASSWORD) => {
    const answer = await postForm<{ access_token: string; refresh_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username, password, scope: 'profile' },
      acmeCli,
    );
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const clientToken = async (client: string, secret: string) => {
    const answer = await postForm<{ access_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(client, secret) },
    );
    expect(answer.status).toBe(200);
    return answer.body.access_token;
  };
  const revoke = (token: string) => postForm(`${auth.url}/oauth/revoke`, { token }, acmeCli);

  function expectRefused(answer: HttpResult) {
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: REFUSAL });
    expect(answer.headers.get('www-authenticate')).toBe(CHALLENGE);
  }

  /** Milliseconds from `since` to the first refusal `probe` sees; every answer before it is 200. */
  async function firstRefusal(probe: () => Promise<HttpResult>, since: number): Promise<number> {
    while (Date.now() - since < BOUND_MS * 3) {
      const answer = await probe();
      if (answer.status !== 200) {
        expectRefused(answer);
        return Date.now() - since;
      }
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Accepted by every gateway, then refused by every one within the bound once `end` answers. */
  async function expectEndedEverywhere(probeOf: (gateway: RunningApp) => () => Promise<HttpResult>, end: () => Promise<HttpResult>, endStatus: number) {
    for (const gateway of gateways) expect((await probeOf(gateway)()).status).toBe(200);
    const answer = await end();
    const answeredAt = Date.now();
    expect(answer.status).toBe(endStatus);
    const delays = await Promise.all(gateways.map((gateway) => firstRefusal(probeOf(gateway), answeredAt)));
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(BOUND_MS);
  }

  const bearer = (path: string, token: string) => (gateway: RunningApp) => () => call(gateway, path, token);

  /** Requests with a token nobody revokes, to both gateways, for as long as the suite measures. */
  function startLoad(): { stop: () => Promise<number> } {
    let running = true;
    let refused = 0;
    const worker = async () => {
      while (running) {
        for (const gateway of gateways) {
          const answer = await call(gateway, '/api/load', bystander).catch(() => undefined);
          if (answer?.status === 401) refused += 1;
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    return {
      stop: async () => {
        running = false;
        await Promise.all(workers);
        return refused;
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
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    // Polling is slowed to a minute (and the lag allowed past it), so what is proved here is the
    // push, the gap and the start.
    gatewayEnv = {
      ...testEnv.env,
      GATEWAY_ROUTES_FILE: routes,
      USERS_URL: upstreamUrl,
      GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET,
      REVOCATION_POLL_INTERVAL: '60',
      REVOCATION_MAX_LAG: '120',
      GATEWAY_PORT: '0',
    };
    gateways.push(await startGateway(), await startGateway());
    admin = new AdminApi(auth.url);
    await admin.signIn({ ops: { client: 'ops', secret: SECRETS.OPS_SECRET, fields: { grant_type: 'client_credentials' } } });
    bystander = await clientToken('ops', SECRETS.OPS_SECRET);
    load = startLoad();
  });

  afterAll(async () => {
    refusedLoad += (await load?.stop()) ?? 0;
    for (const gateway of gateways) await gateway.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
    // Nobody revoked the bystander: no request of the load was refused.
    expect(refusedLoad).toBe(0);
  });

  it('GET /internal/revocations: only for the gateway client; events after a sequence, with the last one', async () => {
    const feed = (after: string, authorization?: string) =>
      http<Record<string, unknown>>(`${auth.url}/internal/revocations?after=${after}`, { headers: authorization ? { authorization } : {} });
    const refused = await feed('0', basic('acme-cli', SECRETS.ACME_CLI_SECRET));
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } });
    expect((await feed('0')).status).toBe(401);
    const gatewayClient = basic('gateway', SECRETS.GATEWAY_CLIENT_SECRET);
    const malformed = await feed('-1', gatewayClient);
    expect({ status: malformed.status, body: malformed.body }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: expect.any(String) },
    });
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

  it('an access token revoked at /oauth/revoke: refused by both gateways, on jwt and introspection routes; another token of the same user is not', async () => {
    const { access_token } = await login();
    const other = (await login()).access_token;
    await expectEndedEverywhere(
      (gateway) => async () => {
        const introspected = await call(gateway, '/introspected/me', access_token);
        return introspected.status === 200 ? call(gateway, '/api/me', access_token) : introspected;
      },
      () => revoke(access_token),
      200,
    );
    for (const gateway of gateways) expect((await call(gateway, '/api/me', other)).status).toBe(200);
  });

  it('the internal tokens a gateway minted for a revoked token leave its cache', async () => {
    const { access_token } = await login();
    const minters = gateways.map((gateway) => gateway.app.get(InternalTokenMinter));
    const before = minters.map((minter) => minter.cached);
    for (const gateway of gateways) expect((await call(gateway, '/minted/me', access_token)).status).toBe(200);
    expect(minters.map((minter) => minter.cached)).toEqual(before.map((count) => count + 1));
    expect((await revoke(access_token)).status).toBe(200);
    expect(await eventually(() => Promise.resolve(minters.every((minter, i) => minter.cached === before[i])), BOUND_MS)).toBe(true);
  });

  it('a refresh token revoked at /oauth/revoke: the access tokens of its family are refused', async () => {
    const { access_token, refresh_token } = await login();
    await expectEndedEverywhere(bearer('/api/me', access_token), () => revoke(refresh_token), 200);
  });

  it('a refresh token reused: the family is revoked, its access tokens refused', async () => {
    const first = await login();
    const refresh = (token: string) =>
      postForm<{ access_token: string }>(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token }, acmeCli);
    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    // Past the reuse grace, a second use of the rotated token is reuse.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expectEndedEverywhere(bearer('/api/me', rotated.body.access_token), () => refresh(first.refresh_token), 400);
  });

  it('POST /auth/logout with the token: refused by both gateways', async () => {
    const { access_token } = await login();
    await expectEndedEverywhere(
      bearer('/api/me', access_token),
      () => http(`${auth.url}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${access_token}` } }),
      204,
    );
  });

  it('a browser session logged out: its cached answer no longer admits the cookie', async () => {
    const signIn = await http(`${auth.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', username: 'alice', password: SECRETS.ALICE_PASSWORD }),
    });
    const secret = /gh_session=([A-Za-z0-9_-]{43})/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? 'none';
    const logout = () => http(`${auth.url}/auth/logout`, { method: 'POST', headers: { cookie: `gh_session=${secret}` } });
    await expectEndedEverywhere((gateway) => () => cookieCall(gateway, '/app/me', secret), logout, 204);
  });

  it('a user disabled: every token of theirs is refused', async () => {
    const created = await admin.call<{ id: string }>('ops', 'POST', '/admin/users', {
      tenant: 'acme',
      username: 'carol',
      email: 'carol@acme.test',
      password: PASSWORD,
    });
    expect({ status: created.status, body: created.body }).toEqual({ status: 201, body: expect.anything() });
    const first = (await login('carol', PASSWORD)).access_token;
    const second = (await login('carol', PASSWORD)).access_token;
    await expectEndedEverywhere(bearer('/api/me', first), () => admin.call('ops', 'POST', `/admin/users/${created.body.id}/disable?tenant=acme`), 200);
    for (const gateway of gateways) expectRefused(await call(gateway, '/api/me', second));
  });

  it('a client disabled, or its secret rotated: its tokens are refused; a token obtained after the rotation is not', async () => {
    const create = (clientId: string) =>
      admin.call<{ clientSecret: string }>('ops', 'POST', '/admin/clients', {
        clientId,
        tenant: 'acme',
        grantTypes: ['client_credentials'],
        scopes: ['profile'],
      });
    const disabled = await create('acme-batch');
    expect(disabled.status).toBe(201);
    const batchToken = await clientToken('acme-batch', disabled.body.clientSecret);
    await expectEndedEverywhere(bearer('/api/me', batchToken), () => admin.call('ops', 'POST', '/admin/clients/acme-batch/disable'), 200);

    const rotated = await create('acme-sync');
    const syncToken = await clientToken('acme-sync', rotated.body.clientSecret);
    let secret = '';
    await expectEndedEverywhere(
      bearer('/api/me', syncToken),
      async () => {
        const answer = await admin.call<{ clientSecret: string }>('ops', 'POST', '/admin/clients/acme-sync/rotate-secret');
        secret = answer.body.clientSecret;
        return answer;
      },
      200,
    );
    // A token issued in the second of the rotation counts as issued before it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fresh = await clientToken('acme-sync', secret);
    for (const gateway of gateways) expect((await call(gateway, '/api/me', fresh)).status).toBe(200);
  });

  it('a gateway restarted in between catches up from the feed before it serves', async () => {
    const { access_token } = await login();
    const restarted = gateways.pop()!;
    // The load pauses while the gateway stops: a closing gateway would wait out its kept-alive connections.
    refusedLoad += await load.stop();
    await restarted.close();
    expect((await revoke(access_token)).status).toBe(200);
    gateways.push(await startGateway());
    load = startLoad();
    for (const gateway of gateways) expectRefused(await call(gateway, '/api/me', access_token));
  });

  it('a gap in the pushed sequence is noticed and filled from the feed', async () => {
    const missed = await login();
    const pushed = await login();
    const { jti, exp } = decodeJwt(missed.access_token).payload as { jti: string; exp: number };
    for (const gateway of gateways) expect((await call(gateway, '/api/me', missed.access_token)).status).toBe(200);
    // Recorded but never pushed, as a push lost on the way would be.
    await auth.app.get(RevocationEvents).record('jti', jti, exp);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const gateway of gateways) expect((await call(gateway, '/api/me', missed.access_token)).status).toBe(200);
    await expectEndedEverywhere(bearer('/api/me', pushed.access_token), () => revoke(pushed.access_token), 200);
    const answeredAt = Date.now();
    const delays = await Promise.all(gateways.map((gateway) => firstRefusal(() => call(gateway, '/api/me', missed.access_token), answeredAt)));
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(BOUND_MS);
  });

  it('readiness and /metrics report the feed; past REVOCATION_MAX_LAG a `serve` gateway degrades, a `refuse` one answers 503', async () => {
    type Ready = { details: Record<string, { status: string; detail?: string }> };
    for (const gateway of gateways) {
      const ready = await http<Ready>(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details.revocations).toEqual({ status: 'up', detail: expect.stringMatching(/^sequence [1-9]\d*, read \d+\.\d s ago$/) });
      const metrics = (await http(`${gateway.url}/metrics`)).text;
      expect(metrics).toMatch(/gatehouse_revocation_sequence\{app="gateway"\} [1-9]/);
      expect(metrics).toMatch(/gatehouse_revocation_entries\{app="gateway"\} [1-9]/);
      expect(metrics).toMatch(/gatehouse_revocation_lagging\{app="gateway"\} 0/);
    }
    const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(auth.url).port) }, await freePort());
    await proxy.start();
    const cut = { ...gatewayEnv, AUTH_INTERNAL_URL: `http://127.0.0.1:${proxy.port}`, REVOCATION_POLL_INTERVAL: '1', REVOCATION_MAX_LAG: '1' };
    const serving = await startApp(gatewayApp, { env: cut });
    const refusing = await startApp(gatewayApp, { env: { ...cut, REVOCATION_LAG_POLICY: 'refuse' } });
    try {
      const { access_token } = await login();
      expect((await call(refusing, '/api/me', access_token)).status).toBe(200);
      await proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 2500));

      expect((await call(serving, '/api/me', access_token)).status).toBe(200);
      const degraded = await http<Ready>(`${serving.url}/health/ready`);
      expect(degraded.status).toBe(200);
      expect(degraded.body.details.revocations).toEqual({
        status: 'up',
        detail: expect.stringMatching(/^degraded: lagging, sequence \d+, read \d+\.\d s ago; revoked tokens may be accepted$/),
      });
      expect((await http(`${serving.url}/metrics`)).text).toMatch(/gatehouse_revocation_lagging\{app="gateway"\} 1/);

      const refused = await call(refusing, '/api/me', access_token);
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 503,
        body: { error: 'auth_unavailable', message: expect.any(String), requestId: expect.any(String) },
      });
      expect(refused.headers.get('retry-after')).toBe('5');
      const down = await http<Ready>(`${refusing.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(down.body.details.revocations).toEqual({
        status: 'down',
        detail: expect.stringMatching(/^lagging: sequence \d+, read \d+\.\d s ago; authenticated requests answer 503$/),
      });
    } finally {
      await serving.close();
      await refusing.close();
      await proxy.stop();
    }
  });

  it('a tenant suspended: every token of the tenant is refused', async () => {
    const { access_token } = await login();
    await expectEndedEverywhere(bearer('/api/me', access_token), () => admin.call('ops', 'POST', '/admin/tenants/acme/suspend'), 200);
  });
});
