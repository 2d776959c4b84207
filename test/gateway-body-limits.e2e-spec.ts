import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { ordersApp } from '../apps/orders/src/orders.app';
import { usersApp } from '../apps/users/src/users.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { http, rawHttp } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

// The shipped routes, plus one that lets bodies up to 8 MiB through to auth (64 KiB), so that
// auth, not the gateway, is the one to refuse them.
const WIDE_ROUTE = '  - { prefix: /wide, upstream: AUTH_INTERNAL_URL, auth: public, stripPrefix: true, bodyLimit: 8388608 }\n';
const TOO_LARGE = { error: 'payload_too_large', message: 'The request body is too large.', requestId: expect.any(String) };
const MB3 = JSON.stringify({ tenant: 'acme', username: 'carol', email: 'carol@acme.test', password: 'x'.repeat(3 * 1024 * 1024) });
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

/** A body sent chunked, without Content-Length, in 64 KiB pieces. */
function chunked(text: string): RequestInit {
  const bytes = Buffer.from(text);
  return {
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.subarray(at, at + 65_536));
        controller.close();
      },
    }),
    duplex: 'half',
  };
}

describe('gateway: bodies over a limit are 413 whoever refuses them, bad JSON is 400 at every service', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let orders: RunningApp;
  let gateway: RunningApp;
  let alice: string;

  const post = (path: string, init: RequestInit, token?: string) =>
    http(`${gateway.url}${path}`, {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, `${readFileSync('config/gateway.routes.yaml', 'utf8')}${WIDE_ROUTE}`);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    users = await startApp(usersApp, { env: testEnv.env });
    orders = await startApp(ordersApp, { env: testEnv.env });
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: routes } });
    const token = await postForm<{ access_token: string }>(
      `${gateway.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    alice = token.body.access_token;
  });

  afterAll(async () => {
    await gateway?.close();
    await orders?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe("a route's body limit defaults to its upstream's, and the gateway refuses first", () => {
    it('3 MB to /auth/register with Content-Length: 413 payload_too_large', async () => {
      const answer = await post('/auth/register', { body: MB3 });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual(TOO_LARGE);
    });

    it('3 MB to /auth/register chunked: 413 payload_too_large', async () => {
      const answer = await post('/auth/register', chunked(MB3));
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual(TOO_LARGE);
    });

    it('2 MB to /users/me (users takes 1 MiB), with a token: 413 payload_too_large', async () => {
      const answer = await http(`${gateway.url}/users/me`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
        body: JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual(TOO_LARGE);
    });

    it('a body under the limit still goes through', async () => {
      const answer = await post('/auth/login', { body: JSON.stringify({ tenant: 'acme', username: 'alice', password: SECRETS.ALICE_PASSWORD }) });
      expect(answer.status).toBe(200);
    });
  });

  // The upstream hangs up mid-body, and its 413 may or may not reach the gateway: five runs each.
  describe('a route that allows more than its upstream: the upstream refuses, the answer is still 413', () => {
    for (let run = 0; run < 5; run++) {
      it(`3 MB with Content-Length (run ${run + 1})`, async () => {
        const answer = await post('/wide/auth/register', { body: MB3 });
        expect(answer.status).toBe(413);
        expect(answer.body).toEqual(TOO_LARGE);
      });

      it(`3 MB chunked (run ${run + 1})`, async () => {
        const answer = await post('/wide/auth/register', chunked(MB3));
        expect(answer.status).toBe(413);
        expect(answer.body).toEqual(TOO_LARGE);
      });
    }
  });

  describe('JSON nested 10,000 levels deep is 400 invalid_request at auth, users and orders', () => {
    const refused = { error: 'invalid_request', message: 'Invalid input: nested deeper than 32 levels', requestId: expect.any(String) };

    it.each([
      ['POST', '/auth/login', `{"tenant":"acme","username":${DEEP},"password":"x"}`],
      ['PATCH', '/users/me', `{"displayName":${DEEP}}`],
      ['POST', '/orders', `{"currency":"EUR","items":${DEEP}}`],
    ])('%s %s', async (method, path, body) => {
      const answer = await http(`${gateway.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` }, body });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(refused);
    });
  });

  it("the gateway's own framework refusals are in the platform's shape too", async () => {
    const answer = await rawHttp(gateway.url, 'GET', '/users/me', [`x-filler: ${'h'.repeat(20_000)}`]);
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ error: 'headers_too_large', message: 'The request headers are too large.', requestId: expect.any(String) });
  });
});
