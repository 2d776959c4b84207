import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { usersApp } from '../apps/users/src/users.app';
import { eventually, http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const PASSWORD = 'a long enough passphrase for tests';
const CLI_SECRET = 'cli-secret-0123456789abcdefghijklmnopq';
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
  - { id: globex, name: Globex }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${CLI_SECRET}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: globex-cli, tenant: globex, secret: "${CLI_SECRET}", grantTypes: [password], scopes: [profile], firstParty: true }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: "${PASSWORD}", roles: [admin] }
  - { tenant: acme, username: bob, email: bob@acme.test, password: "${PASSWORD}" }
  - { tenant: globex, username: gina, email: gina@globex.test, password: "${PASSWORD}", roles: [admin] }
`;

interface Profile {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  locale: string;
}

/** The users service's HTTP API, through the gateway. */
describe('users: profiles through the gateway', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let gateway: RunningApp;
  const tokens: Record<string, string> = {};

  const call = <T = Profile>(path: string, who: string, init: RequestInit = {}) =>
    http<T>(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', ...init.headers } });
  const idOf = (who: string) => String(decodeJwt(tokens[who]).payload.sub);

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: 'http://gateway.test' });
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file } });
    users = await startApp(usersApp, { env: testEnv.env });
    gateway = await startApp(gatewayApp, { env: testEnv.env });
    for (const [who, client] of [
      ['alice', 'acme-cli'],
      ['bob', 'acme-cli'],
      ['gina', 'globex-cli'],
    ]) {
      const answer = await postForm<{ access_token: string }>(
        `${gateway.url}/oauth/token`,
        { grant_type: 'password', username: who, password: PASSWORD },
        { authorization: basic(client, CLI_SECRET) },
      );
      tokens[who] = answer.body.access_token;
      expect((await call('/users/me', who)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await gateway?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it("a bootstrap account's profile, started from its first request, names the account: username, email, display name", async () => {
    const me = await call('/users/me', 'gina');
    expect(me.body).toMatchObject({ tenantId: 'globex', username: 'gina', email: 'gina@globex.test', displayName: 'gina' });
  });

  it('PATCH /users/me changes display name, locale and avatar, and refuses bad or unknown fields', async () => {
    const changed = await call('/users/me', 'bob', { method: 'PATCH', body: JSON.stringify({ displayName: 'Bob B.', locale: 'fr-CA' }) });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: idOf('bob'), tenantId: 'acme', displayName: 'Bob B.', locale: 'fr-CA' });
    for (const body of [{ locale: 'not a locale' }, { avatarUrl: 'http://insecure.test/a.png' }, { displayName: '' }, { tenantId: 'globex' }]) {
      const refused = await call('/users/me', 'bob', { method: 'PATCH', body: JSON.stringify(body) });
      expect({ body, status: refused.status, error: (refused.body as unknown as { error: string }).error }).toEqual({
        body,
        status: 400,
        error: 'invalid_request',
      });
    }
    expect((await call('/users/me', 'bob')).body.displayName).toBe('Bob B.');
  });

  it("GET /users lists the admin's own tenant only, and needs the admin role", async () => {
    const page = await call<{ items: Profile[]; total: number }>('/users?limit=10', 'alice');
    expect(page.status).toBe(200);
    expect(page.body.items.map((profile) => profile.tenantId)).toEqual(['acme', 'acme']);
    expect(page.body.total).toBe(2);
    expect((await call('/users', 'bob')).status).toBe(403);
    expect((await call('/users?limit=1000', 'alice')).status).toBe(400);
  });

  it("GET /users/:id answers within the tenant, and 404 for another tenant's id (no probing)", async () => {
    expect((await call(`/users/${idOf('bob')}`, 'alice')).body).toMatchObject({ id: idOf('bob'), displayName: 'Bob B.' });
    const probe = await call(`/users/${idOf('bob')}`, 'gina');
    expect(probe.status).toBe(404);
    expect(probe.body).toMatchObject({ error: 'not_found' });
    expect((await call(`/users/${idOf('alice')}`, 'bob')).status).toBe(403);
  });

  it('an account registered at auth gets its profile from the user.registered event, with its username', async () => {
    const registered = await http<{ id: string }>(`${gateway.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', username: 'dora', email: 'dora@acme.test', password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const arrived = await eventually(async () => (await call(`/users/${registered.body.id}`, 'alice')).status === 200, 10_000);
    expect(arrived).toBe(true);
    expect((await call(`/users/${registered.body.id}`, 'alice')).body).toMatchObject({
      id: registered.body.id,
      tenantId: 'acme',
      username: 'dora',
      displayName: 'dora',
    });
  });
});
