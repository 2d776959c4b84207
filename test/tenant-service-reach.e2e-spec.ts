import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { CommonSettings, loadSettings } from '@gatehouse/config';
import { AUTH_EVENT, DomainError, type ProfileBatch, type ProfileSummary, USERS_PATTERN } from '@gatehouse/contracts';
import { ServiceClient, ServiceTokenClient } from '@gatehouse/security';
import { emitEvent, rpcCall, messageClientOptions } from '@gatehouse/transport';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { KeyStore } from '../apps/auth/src/keys/key-store.service';
import { ProfilesRepository } from '../apps/users/src/profiles/profiles.repository';
import { usersApp } from '../apps/users/src/users.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, AdminApi } from './support/admin-api';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

const ISSUER = 'http://gateway.test';
const SECRET = {
  sidecar: 'acme-sidecar-secret-0123456789abcdefghijk',
  hoarder: 'acme-hoarder-secret-0123456789abcdefghijk',
  peeker: 'acme-peeker-secret-0123456789abcdefghijkl',
  orders: 'orders-service-secret-0123456789abcdefghij',
};

// Two tenant clients no tenant administrator could create any more, declared by the operator's
// file: one aimed at the users service, one holding service and platform scopes.
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
  - { id: globex, name: Globex }
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - { clientId: acme-sidecar, tenant: acme, secret: "${SECRET.sidecar}", grantTypes: [client_credentials], scopes: [users:read, users:provision], audience: users }
  - { clientId: acme-hoarder, tenant: acme, secret: "${SECRET.hoarder}", grantTypes: [client_credentials], scopes: [users:read, admin, profile] }
  - { clientId: acme-peeker, tenant: acme, secret: "${SECRET.peeker}", grantTypes: [client_credentials], scopes: [profile], introspect: true }
  - { clientId: orders-service, secret: "${SECRET.orders}", grantTypes: [client_credentials], scopes: [users:read], audience: users }
users:
${ADMIN_BOOTSTRAP_USERS}
`;
// The Admin API and the token endpoint as the public reaches them.
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /admin, upstream: AUTH_INTERNAL_URL, auth: jwt, propagation: pass-through }
`;

/**
 * A tenant administrator cannot reach another tenant through service credentials: not by creating
 * a service client, not with one that exists, and not with a service token bound to their tenant.
 */
describe('tenancy: service audiences, service scopes and the tenant of service messages', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let gateway: RunningApp;
  let admin: AdminApi;
  let client: ClientProxy;

  const tokenFor = (clientId: string, secret: string, fields: Record<string, string> = {}) =>
    postForm<Record<string, unknown>>(
      `${gateway.url}/oauth/token`,
      { grant_type: 'client_credentials', ...fields },
      { authorization: basic(clientId, secret) },
    );
  const raw = <T>(pattern: string, payload: object, token: string) => rpcCall<T>(client, pattern, payload, 3_000, { authorization: `Bearer ${token}` });
  const codeOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'passed',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );
  const auditRows = async (type: string) =>
    auth.app
      .get(DataSource)
      .query<{ actor: string; clientId: string; outcome: string; details: Record<string, unknown> }[]>(
        `SELECT "actor", "client_id" AS "clientId", "outcome", "details" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = $1`,
        [type],
      );
  // A service token auth would have issued to an acme client aimed at users.
  async function acmeServiceToken(claims: Record<string, unknown> = {}): Promise<string> {
    const key = await auth.app.get(KeyStore).signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new jose.SignJWT({
      iss: ISSUER,
      aud: 'users',
      sub: 'client:acme-sidecar',
      client_id: 'acme-sidecar',
      tenant_id: 'acme',
      scope: 'users:read users:provision',
      jti: `j-${Math.random()}`,
      iat: now,
      nbf: now,
      exp: now + 60,
      ...claims,
    })
      .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid })
      .sign(key.privateKey);
  }

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file } });
    users = await startApp(usersApp, { env: testEnv.env });
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), ROUTES);
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml') } });
    const profiles = users.app.get(ProfilesRepository);
    await profiles.insertIfAbsent({ tenantId: 'acme', id: 'a-1', username: 'anna', email: null, displayName: 'Anna' });
    await profiles.insertIfAbsent({ tenantId: 'globex', id: 'g-1', username: 'gina', email: null, displayName: 'Gina' });
    admin = new AdminApi(gateway.url);
    await admin.signInAsEveryone();
    client = ClientProxyFactory.create(messageClientOptions(loadSettings(CommonSettings, testEnv.env).settings, 'test', 'users'));
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('the Admin API', () => {
    it('refuses a tenant administrator a client for a service audience with service scopes, audited, and creates nothing', async () => {
      const answer = await admin.call('alice', 'POST', '/admin/clients', {
        clientId: 'acme-reader',
        grantTypes: ['client_credentials'],
        scopes: ['users:read', 'users:provision'],
        audience: 'users',
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: 'forbidden', message: expect.stringContaining('audience'), requestId: expect.any(String) });
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.text).not.toContain('    at ');
      const listed = await admin.call<{ clientId: string }[]>('alice', 'GET', '/admin/clients');
      expect(listed.body.map((row) => row.clientId)).not.toContain('acme-reader');
      expect(await auditRows('admin.client.refused')).toContainEqual(
        expect.objectContaining({
          actor: expect.any(String),
          clientId: 'acme-reader',
          outcome: 'failure',
          details: expect.objectContaining({ audience: 'users' }),
        }),
      );
    });

    it('refuses service and platform scopes even on the API audience, and any other audience', async () => {
      for (const scopes of [['users:read'], ['users:provision'], ['admin'], ['introspect'], ['profile', 'users:read']]) {
        const answer = await admin.call('alice', 'POST', '/admin/clients', {
          clientId: `acme-${scopes.join('-').replace(/:/g, '.')}`,
          grantTypes: ['client_credentials'],
          scopes,
        });
        expect([scopes, answer.status, answer.body]).toEqual([
          scopes,
          403,
          expect.objectContaining({ error: 'forbidden', message: expect.stringContaining('scope') }),
        ]);
      }
      for (const audience of ['orders', 'auth', 'gatehouse-api-2']) {
        const answer = await admin.call('alice', 'POST', '/admin/clients', {
          clientId: `acme-to-${audience}`,
          grantTypes: ['client_credentials'],
          scopes: ['profile'],
          audience,
        });
        expect([audience, answer.status, answer.body]).toEqual([audience, 403, expect.objectContaining({ error: 'forbidden' })]);
      }
    });

    it("confines every tenant's client, a platform administrator's included; platform clients may be services", async () => {
      const forAcme = await admin.call('ops', 'POST', '/admin/clients', {
        clientId: 'acme-by-ops',
        tenant: 'acme',
        grantTypes: ['client_credentials'],
        scopes: ['users:read'],
        audience: 'users',
      });
      expect(forAcme.status).toBe(403);
      expect(forAcme.body).toMatchObject({ error: 'forbidden' });
      const introspecting = await admin.call('ops', 'POST', '/admin/clients', {
        clientId: 'acme-introspector',
        tenant: 'acme',
        grantTypes: ['client_credentials'],
        scopes: ['profile'],
        introspect: true,
      });
      expect(introspecting.status).toBe(403);
      const platform = await admin.call('ops', 'POST', '/admin/clients', {
        clientId: 'billing-service',
        grantTypes: ['client_credentials'],
        scopes: ['users:read'],
        audience: 'users',
      });
      expect(platform.status).toBe(201);
    });

    it("still creates a tenant's client within the API audience and the tenant scopes", async () => {
      const created = await admin.call<{ audience: string | null; scopes: string[]; tenant: string }>('alice', 'POST', '/admin/clients', {
        clientId: 'acme-app',
        grantTypes: ['client_credentials'],
        scopes: ['profile', 'orders:read', 'orders:write'],
        audience: 'gatehouse-api',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ tenant: 'acme', audience: 'gatehouse-api', scopes: ['profile', 'orders:read', 'orders:write'] });
    });
  });

  describe('the token endpoint', () => {
    it('issues no token to a tenant client whose audience is a service', async () => {
      const answer = await tokenFor('acme-sidecar', SECRET.sidecar);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'unauthorized_client', error_description: expect.any(String) });
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('grants a tenant client no service or platform scope it holds, and only the API audience', async () => {
      for (const scope of ['users:read', 'admin', 'profile users:read']) {
        const refused = await tokenFor('acme-hoarder', SECRET.hoarder, { scope });
        expect([scope, refused.status, refused.body]).toEqual([scope, 400, { error: 'invalid_scope', error_description: expect.any(String) }]);
      }
      const granted = await tokenFor('acme-hoarder', SECRET.hoarder);
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ scope: 'profile' });
      expect(decodeJwt(String(granted.body.access_token)).payload).toMatchObject({ aud: 'gatehouse-api', tenant_id: 'acme', scope: 'profile' });
    });
  });

  describe('introspection', () => {
    it("gives a tenant's client marked introspect nothing but its own tokens: the privilege is the platform's", async () => {
      const others = (await tokenFor('orders-service', SECRET.orders)).body.access_token as string;
      const own = (await tokenFor('acme-peeker', SECRET.peeker)).body.access_token as string;
      const introspect = (token: string) => postForm(`${gateway.url}/oauth/introspect`, { token }, { authorization: basic('acme-peeker', SECRET.peeker) });
      expect((await introspect(others)).text).toBe('{"active":false}');
      expect((await introspect(own)).body).toMatchObject({ active: true, client_id: 'acme-peeker' });
      const registry = await postForm(`${auth.url}/internal/tenants`, {}, { authorization: basic('acme-peeker', SECRET.peeker) });
      expect(registry.body).toMatchObject({ error: 'invalid_client' });
    });
  });

  describe('the scopes a tenant is allowed', () => {
    it('are set per tenant by platform administrators only, never to a platform-only scope', async () => {
      expect((await admin.call('alice', 'PUT', '/admin/tenants/acme/allowed-scopes', { allowedScopes: ['profile'] })).status).toBe(403);
      for (const allowedScopes of [['users:read'], ['profile', 'admin'], ['introspect'], ['users:provision']]) {
        const answer = await admin.call('ops', 'PUT', '/admin/tenants/acme/allowed-scopes', { allowedScopes });
        expect([allowedScopes, answer.status, answer.body]).toEqual([
          allowedScopes,
          400,
          expect.objectContaining({ error: 'invalid_request', message: expect.stringContaining('allowedScopes') }),
        ]);
      }
      const created = await admin.call('ops', 'POST', '/admin/tenants', { id: 'initech', name: 'Initech', allowedScopes: ['users:read'] });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ error: 'invalid_request' });
    });

    it('narrow what a tenant administrator may give a client and what its clients are granted', async () => {
      const app = await admin.call<{ clientSecret: string }>('alice', 'POST', '/admin/clients', {
        clientId: 'acme-narrowed',
        grantTypes: ['client_credentials'],
        scopes: ['profile', 'orders:read', 'orders:write'],
      });
      expect(app.status).toBe(201);
      const set = await admin.call('ops', 'PUT', '/admin/tenants/acme/allowed-scopes', { allowedScopes: ['profile', 'orders:read'] });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ id: 'acme', allowedScopes: ['profile', 'orders:read'] });
      const refused = await admin.call('alice', 'POST', '/admin/clients', {
        clientId: 'acme-writer',
        grantTypes: ['client_credentials'],
        scopes: ['orders:write'],
      });
      expect(refused.status).toBe(403);
      expect((await tokenFor('acme-narrowed', app.body.clientSecret)).body).toMatchObject({ scope: 'profile orders:read' });
      expect((await tokenFor('acme-narrowed', app.body.clientSecret, { scope: 'orders:write' })).body).toMatchObject({ error: 'invalid_scope' });
      const reset = await admin.call('ops', 'PUT', '/admin/tenants/acme/allowed-scopes', { allowedScopes: null });
      expect(reset.body).toMatchObject({ id: 'acme', allowedScopes: null });
      expect((await tokenFor('acme-narrowed', app.body.clientSecret)).body).toMatchObject({ scope: 'profile orders:read orders:write' });
      expect(await auditRows('admin.tenant.allowed_scopes_set')).toHaveLength(2);
    });
  });

  describe('messages to users', () => {
    it("refuses a service token of tenant acme reading globex's users, with tenant_mismatch", async () => {
      const token = await acmeServiceToken();
      expect(await codeOf(raw(USERS_PATTERN.get, { tenantId: 'globex', id: 'g-1' }, token))).toBe('tenant_mismatch');
      expect(await codeOf(raw(USERS_PATTERN.getMany, { tenantId: 'globex', ids: ['g-1'] }, token))).toBe('tenant_mismatch');
      await expect(raw<ProfileSummary>(USERS_PATTERN.get, { tenantId: 'acme', id: 'a-1' }, token)).resolves.toMatchObject({ id: 'a-1', tenantId: 'acme' });
    });

    it('refuses a tenant-data message that names no tenant, whoever sends it', async () => {
      const platform = new ServiceTokenClient({ clientId: 'orders-service', secret: SECRET.orders, tokenUrl: `${auth.url}/oauth/token` });
      expect(await codeOf(raw(USERS_PATTERN.get, { id: 'g-1' }, await platform.token()))).toBe('invalid_request');
      expect(await codeOf(raw(USERS_PATTERN.get, { id: 'a-1' }, await acmeServiceToken()))).toBe('invalid_request');
      expect(await codeOf(raw(USERS_PATTERN.getMany, { tenantId: '', ids: ['a-1'] }, await acmeServiceToken()))).toBe('invalid_request');
    });

    it('lets a platform service act for the tenant its message names', async () => {
      const orders = new ServiceClient(
        client,
        new ServiceTokenClient({ clientId: 'orders-service', secret: SECRET.orders, tokenUrl: `${auth.url}/oauth/token` }),
        3_000,
      );
      const batch = await orders.send<ProfileBatch>(USERS_PATTERN.getMany, { tenantId: 'globex', ids: ['g-1', 'a-1'] });
      expect(batch.profiles.map((profile) => profile.id)).toEqual(['g-1']);
    });

    it("provisions no profile in globex from an event signed for acme's service", async () => {
      const event = { tenantId: 'globex', accountId: 'g-planted', username: 'planted', email: 'planted@globex.test', registeredAt: new Date().toISOString() };
      await emitEvent(client, AUTH_EVENT.userRegistered, event, 3_000, { authorization: `Bearer ${await acmeServiceToken({ scope: 'users:provision' })}` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await users.app.get(ProfilesRepository).find('globex', 'g-planted')).toBeNull();
    });
  });
});
