import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, ADMIN_SECRET, AdminApi } from './support/admin-api';
import { http, type HttpResult } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const SECRET = { ...ADMIN_SECRET, GLOBEX: 'globex-cli-secret-0123456789abcdefghijklmn' };
const PASSWORD = ADMIN_PASSWORD;

const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
  - { id: globex, name: Globex }
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - { clientId: globex-cli, tenant: globex, secret: "${SECRET.GLOBEX}", grantTypes: [password], scopes: [profile], firstParty: true }
users:
${ADMIN_BOOTSTRAP_USERS}
  - { tenant: globex, username: gary, email: gary@globex.test, password: "${PASSWORD}", roles: [admin] }
`;

describe('auth: the Admin API', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let admin: AdminApi;

  const call = <T = Record<string, unknown>>(as: string, method: string, path: string, body?: unknown): Promise<HttpResult<T>> =>
    admin.call<T>(as, method, path, body);

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

  describe('refusals', () => {
    it('needs a token', async () => {
      const answer = await http(`${auth.url}/admin/users`);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'missing_token' });
    });

    it('refuses a user without the admin role', async () => {
      expect((await call('bob', 'GET', '/admin/users')).body).toMatchObject({ error: 'forbidden' });
    });

    it('holds a tenant administrator to their tenant', async () => {
      expect((await call('alice', 'GET', '/admin/users?tenant=globex')).status).toBe(403);
      expect((await call('alice', 'GET', '/admin/tenants')).status).toBe(403);
      expect((await call('alice', 'POST', '/admin/keys/rotate')).status).toBe(403);
      expect((await call('alice', 'POST', '/admin/clients/globex-cli/disable')).status).toBe(404);
      const introspector = await call('alice', 'POST', '/admin/clients', {
        clientId: 'sneaky',
        grantTypes: ['client_credentials'],
        scopes: [],
        introspect: true,
      });
      expect(introspector.status).toBe(403);
    });

    it('does not take a tenant client with scope admin for a platform administrator', async () => {
      expect((await call('acmeService', 'GET', '/admin/tenants')).body).toMatchObject({ error: 'forbidden' });
    });

    it('validates input with a clear message and loses nothing', async () => {
      const answer = await call('ops', 'POST', '/admin/tenants', { id: 'Not A Slug', name: '' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('id') });
      expect((await call<unknown[]>('ops', 'GET', '/admin/tenants')).body).toHaveLength(2);
    });
  });

  describe('a tenant administrator', () => {
    it('lists the users of their tenant, without any secret', async () => {
      const answer = await call<{ username: string }[]>('alice', 'GET', '/admin/users');
      expect(answer.status).toBe(200);
      expect(answer.body.map((user) => user.username)).toEqual(['alice', 'bob']);
      expect(answer.text).not.toMatch(/password|hash/i);
    });

    it('creates a client whose secret is shown once, rotates it, and disables it', async () => {
      const created = await call<{ clientSecret: string; tenant: string }>('alice', 'POST', '/admin/clients', {
        clientId: 'acme-batch',
        grantTypes: ['client_credentials'],
        scopes: ['profile'],
      });
      expect(created.status).toBe(201);
      expect(created.body.tenant).toBe('acme');
      const first = created.body.clientSecret;
      const grant = (secret: string) =>
        postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('acme-batch', secret) });
      expect((await grant(first)).status).toBe(200);

      const rotated = await call<{ clientSecret: string }>('alice', 'POST', '/admin/clients/acme-batch/rotate-secret');
      expect(rotated.status).toBe(200);
      expect((await grant(first)).status).toBe(401);
      expect((await grant(rotated.body.clientSecret)).status).toBe(200);

      expect((await call('alice', 'POST', '/admin/clients/acme-batch/disable')).status).toBe(200);
      expect((await grant(rotated.body.clientSecret)).body).toMatchObject({ error: 'invalid_client' });
      const listed = await call<{ clientId: string }[]>('alice', 'GET', '/admin/clients');
      expect(listed.body.map((client) => client.clientId)).toEqual(['acme-batch', 'acme-cli']);
    });

    it('has a rotated secret or a disabled client refused at once, however recently it was used', async () => {
      const created = await call<{ clientSecret: string }>('alice', 'POST', '/admin/clients', {
        clientId: 'acme-sync',
        grantTypes: ['client_credentials'],
        scopes: ['profile'],
      });
      const old = created.body.clientSecret;
      const viaBasic = (secret: string) =>
        postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('acme-sync', secret) });
      const viaPost = (secret: string) =>
        postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials', client_id: 'acme-sync', client_secret: secret });
      const introspect = (secret: string) => postForm(`${auth.url}/oauth/introspect`, { token: 'anything' }, { authorization: basic('acme-sync', secret) });
      for (let i = 0; i < 3; i++) expect((await viaBasic(old)).status).toBe(200);
      expect((await viaPost(old)).status).toBe(200);

      const rotated = await call<{ clientSecret: string }>('alice', 'POST', '/admin/clients/acme-sync/rotate-secret');
      expect(rotated.status).toBe(200);
      const refusedBasic = await viaBasic(old);
      expect(refusedBasic.status).toBe(401);
      expect(refusedBasic.body).toMatchObject({ error: 'invalid_client' });
      expect(refusedBasic.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect((await viaPost(old)).body).toMatchObject({ error: 'invalid_client' });
      expect((await introspect(old)).status).toBe(401);
      expect((await viaBasic(rotated.body.clientSecret)).status).toBe(200);
      expect((await introspect(rotated.body.clientSecret)).body).toEqual({ active: false });

      expect((await call('alice', 'POST', '/admin/clients/acme-sync/disable')).status).toBe(200);
      const disabled = await viaBasic(rotated.body.clientSecret);
      expect(disabled.status).toBe(401);
      expect(disabled.body).toMatchObject({ error: 'invalid_client' });
      expect((await introspect(rotated.body.clientSecret)).status).toBe(401);
    });

    it('accepts a new client at once, even one that was just asked for while unknown', async () => {
      const grant = (secret: string) =>
        postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('acme-late', secret) });
      expect((await grant('not-yet-a-secret-0123456789abcdefghijklm')).body).toMatchObject({ error: 'invalid_client' });
      const created = await call<{ clientSecret: string }>('alice', 'POST', '/admin/clients', {
        clientId: 'acme-late',
        grantTypes: ['client_credentials'],
        scopes: ['profile'],
      });
      expect(created.status).toBe(201);
      expect((await grant(created.body.clientSecret)).status).toBe(200);
    });

    it('creates and disables a user of their tenant', async () => {
      const weak = await call('alice', 'POST', '/admin/users', { username: 'carol', email: 'carol@acme.test', password: 'password1234' });
      expect(weak.status).toBe(400);
      const created = await call<{ id: string }>('alice', 'POST', '/admin/users', { username: 'carol', email: 'carol@acme.test', password: PASSWORD });
      expect(created.status).toBe(201);
      const login = () =>
        postForm(
          `${auth.url}/oauth/token`,
          { grant_type: 'password', username: 'carol', password: PASSWORD },
          { authorization: basic('acme-cli', SECRET.ACME) },
        );
      expect((await login()).status).toBe(200);
      expect((await call('alice', 'POST', `/admin/users/${created.body.id}/disable`)).status).toBe(200);
      expect((await login()).body).toMatchObject({ error: 'invalid_grant' });
    });
  });

  describe('a platform administrator', () => {
    it('creates tenants and suspends them: logins and grants fail, then work again', async () => {
      expect((await call('ops', 'POST', '/admin/tenants', { id: 'initech', name: 'Initech', plan: 'pro' })).status).toBe(201);
      expect((await call('ops', 'POST', '/admin/tenants', { id: 'initech', name: 'Again' })).status).toBe(409);

      const login = () =>
        postForm(
          `${auth.url}/oauth/token`,
          { grant_type: 'password', username: 'alice', password: PASSWORD },
          { authorization: basic('acme-cli', SECRET.ACME) },
        );
      // Used just before, so whatever this instance remembers of the tenant is fresh.
      expect((await login()).status).toBe(200);
      expect((await postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('acme-cli', SECRET.ACME) })).status).toBe(
        200,
      );
      expect((await call('ops', 'POST', '/admin/tenants/acme/suspend')).body).toMatchObject({ status: 'suspended' });
      expect((await login()).body).toEqual({ error: 'invalid_grant', error_description: 'The tenant is suspended.' });
      const service = await postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('acme-cli', SECRET.ACME) });
      expect(service.body).toEqual({ error: 'invalid_grant', error_description: 'The tenant is suspended.' });
      expect((await call('ops', 'POST', '/admin/tenants/acme/activate')).body).toMatchObject({ status: 'active' });
      expect((await login()).status).toBe(200);
    });

    it('manages the users of any tenant it names', async () => {
      expect((await call('ops', 'GET', '/admin/users')).status).toBe(400);
      const globex = await call<{ username: string }[]>('ops', 'GET', '/admin/users?tenant=globex');
      expect(globex.body.map((user) => user.username)).toEqual(['gary']);
    });

    it('rotates the signing key: the new one is published at once', async () => {
      const rotated = await call<{ kid: string }>('ops', 'POST', '/admin/keys/rotate');
      expect(rotated.status).toBe(201);
      const jwks = await http<{ keys: { kid: string }[] }>(`${auth.url}/.well-known/jwks.json`);
      expect(jwks.body.keys.map((key) => key.kid)).toContain(rotated.body.kid);
      const keys = await call<{ kid: string; status: string }[]>('ops', 'GET', '/admin/keys');
      expect(keys.body.find((key) => key.kid === rotated.body.kid)).toMatchObject({ status: 'next' });
    });

    it('leaves an audit trail of every change, and of the privilege refused to a tenant administrator', async () => {
      const rows = await auth.app
        .get(DataSource)
        .query<{ type: string }[]>(`SELECT DISTINCT "type" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" LIKE 'admin.%'`);
      expect(rows.map((row) => row.type).sort()).toEqual(
        [
          'admin.client.created',
          'admin.client.disabled',
          'admin.client.refused',
          'admin.client.secret_rotated',
          'admin.key.rotated',
          'admin.tenant.activated',
          'admin.tenant.created',
          'admin.tenant.suspended',
          'admin.user.created',
          'admin.user.disabled',
        ].sort(),
      );
    });
  });
});
