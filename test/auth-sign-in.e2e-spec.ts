import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, AdminApi } from './support/admin-api';
import { createTestEnv, type TestEnv } from './support/test-env';

const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - clientId: acme-web
    tenant: acme
    public: true
    grantTypes: [authorization_code, refresh_token]
    scopes: [profile, orders:read]
    firstParty: true
    redirectUris: [https://app.acme.test/callback, http://127.0.0.1/callback]
    postLogoutRedirectUris: [https://app.acme.test/]
    allowedOrigins: [https://app.acme.test]
users:
${ADMIN_BOOTSTRAP_USERS}
`;

/** Browser sign-in: the clients that take part, the authorization endpoint, codes and the login page. */
describe('auth: browser sign-in', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let admin: AdminApi;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file } });
    admin = new AdminApi(auth.url);
    await admin.signInAsEveryone();
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('clients', () => {
    it('shows what the bootstrap file declares of a public browser client', async () => {
      const listed = await admin.call<Record<string, unknown>[]>('ops', 'GET', '/admin/clients?tenant=acme');
      expect(listed.body.find((client) => client.clientId === 'acme-web')).toMatchObject({
        public: true,
        confidential: false,
        redirectUris: ['https://app.acme.test/callback', 'http://127.0.0.1/callback'],
        postLogoutRedirectUris: ['https://app.acme.test/'],
        allowedOrigins: ['https://app.acme.test'],
      });
    });

    it('creates a public client with its redirect URIs and origins through the Admin API', async () => {
      const created = await admin.call('alice', 'POST', '/admin/clients', {
        clientId: 'acme-spa',
        public: true,
        grantTypes: ['authorization_code'],
        scopes: ['profile'],
        redirectUris: ['https://spa.acme.test/cb'],
        postLogoutRedirectUris: ['https://spa.acme.test/'],
        allowedOrigins: ['https://spa.acme.test'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ clientId: 'acme-spa', public: true, postLogoutRedirectUris: ['https://spa.acme.test/'], allowedOrigins: ['https://spa.acme.test'] });
      expect(created.body.clientSecret).toBeUndefined();
    });

    it.each([
      ['a plain http redirect URI', { redirectUris: ['http://spa.acme.test/cb'] }],
      ['a redirect URI with a fragment', { redirectUris: ['https://spa.acme.test/cb#x'] }],
      ['a wildcard origin', { allowedOrigins: ['*'] }],
      ['an origin with a path', { allowedOrigins: ['https://spa.acme.test/app'] }],
      ['public and confidential at once', { public: true, confidential: true }],
    ])('refuses %s', async (_name, fields) => {
      const refused = await admin.call('alice', 'POST', '/admin/clients', { clientId: 'acme-bad', grantTypes: ['authorization_code'], scopes: [], ...fields });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_request' });
    });
  });
});
