import { type RunningApp, startApp } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { InternalTokenMinter } from '../apps/gateway/src/propagation/internal-token.minter';
import { ordersApp } from '../apps/orders/src/orders.app';
import { usersApp } from '../apps/users/src/users.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
// X-Tenant-Id is left out: the gateway reads it as a tenant hint (then strips it), see below.
const FORGED = { 'x-user-id': 'someone-else', 'x-user-roles': 'admin', 'x-client-id': 'ops', 'x-subject-type': 'user', 'x-authenticated-user': 'root' };

interface Profile {
  id: string;
  tenantId: string;
}

/** A token from auth reaches the users service through the gateway, by each propagation mode. */
describe.each(['internal-token', 'headers', 'pass-through'] as const)('identity propagation %s: auth -> gateway -> users', (mode) => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let orders: RunningApp;
  let gateway: RunningApp;
  let alice: string;
  let ops: string;

  const token = async (fields: Record<string, string>, client: string, secret: string) =>
    (await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, fields, { authorization: basic(client, secret) })).body.access_token;
  const me = (base: string, headers: Record<string, string>) => http<Profile>(`${base}/users/me`, { headers });

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER, IDENTITY_PROPAGATION: mode });
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    users = await startApp(usersApp, { env: testEnv.env });
    orders = await startApp(ordersApp, { env: testEnv.env });
    gateway = await startApp(gatewayApp, { env: testEnv.env });
    alice = await token({ grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD }, 'acme-cli', SECRETS.ACME_CLI_SECRET);
    ops = await token({ grant_type: 'client_credentials' }, 'ops', SECRETS.OPS_SECRET);
  });

  afterAll(async () => {
    await gateway?.close();
    await orders?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('users sees exactly the identity of the token, not the identity headers the client forged', async () => {
    const answer = await me(gateway.url, { authorization: `Bearer ${alice}`, ...FORGED });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: decodeJwt(alice).payload.sub, tenantId: 'acme' });
  });

  it("another tenant's X-Tenant-Id with the token: 403 tenant_mismatch, never the other tenant's data", async () => {
    const answer = await me(gateway.url, { authorization: `Bearer ${alice}`, 'x-tenant-id': 'globex' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'tenant_mismatch' });
  });

  it('a platform client on a tenant route: 400 tenant_not_identified at the gateway', async () => {
    const answer = await me(gateway.url, { authorization: `Bearer ${ops}` });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'tenant_not_identified' });
  });

  if (mode === 'internal-token') {
    describe('bypassing the gateway', () => {
      const mint = (audience: string) => {
        const claims = decodeJwt(alice).payload;
        const principal: Principal = {
          kind: 'user',
          subject: String(claims.sub),
          clientId: 'acme-cli',
          tenantId: 'acme',
          roles: [],
          scopes: [],
          tokenId: String(claims.jti),
          expiresAt: Number(claims.exp),
        };
        return gateway.app.get(InternalTokenMinter).mint(principal, audience, 'req-direct-000001');
      };

      it('forged identity headers alone: 401 missing_token, at users and at orders', async () => {
        for (const url of [`${users.url}/users/me`, `${orders.url}/orders`]) {
          const answer = await http(url, { headers: FORGED });
          expect({ url, status: answer.status, body: answer.body }).toMatchObject({ url, status: 401, body: { error: 'missing_token' } });
        }
      });

      it("a user's access token instead of an internal token: 401 invalid_token, at users and at orders", async () => {
        for (const url of [`${users.url}/users/me`, `${orders.url}/orders`]) {
          const answer = await http(url, { headers: { authorization: `Bearer ${alice}`, ...FORGED } });
          expect({ url, status: answer.status, body: answer.body }).toMatchObject({ url, status: 401, body: { error: 'invalid_token' } });
        }
      });

      it('an internal token minted for another service: 401 invalid_claims, at users and at orders', async () => {
        expect((await me(users.url, { authorization: `Bearer ${mint('orders')}` })).body).toMatchObject({ error: 'invalid_claims' });
        const atOrders = await http(`${orders.url}/orders`, { headers: { authorization: `Bearer ${mint('users')}` } });
        expect({ status: atOrders.status, body: atOrders.body }).toMatchObject({ status: 401, body: { error: 'invalid_claims' } });
      });

      it('an internal token minted for users passes (the control for the refusals above)', async () => {
        const answer = await me(users.url, { authorization: `Bearer ${mint('users')}` });
        expect(answer.status).toBe(200);
        expect(answer.body.id).toBe(decodeJwt(alice).payload.sub);
      });
    });
  }
});
