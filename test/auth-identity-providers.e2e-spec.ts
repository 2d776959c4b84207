import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { readBootstrapFile } from '../apps/auth/src/bootstrap/bootstrap-file';
import { Bootstrap } from '../apps/auth/src/bootstrap/bootstrap.service';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_SECRET, AdminApi } from './support/admin-api';
import type { HttpResult } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const ISSUER = 'https://gatehouse.test';
const SECRET = { ...ADMIN_SECRET, GATEWAY: 'gateway-secret-0123456789abcdefghijklmnopq' };
const ACME_IDP = {
  issuer: 'https://login.acme.test/realms/acme',
  jwksUri: 'http://127.0.0.1:4100/realms/acme/certs',
  audience: 'acme-api',
  rolesClaim: 'realm_access.roles',
  acceptTypJwt: false,
};
const GLOBEX_IDP = { issuer: 'https://globex.idp.test/', jwksUri: 'https://globex.idp.test/.well-known/jwks.json', audience: 'gatehouse-api' };

const BOOTSTRAP = `
tenants:
  - id: acme
    name: Acme
    identityProvider: { issuer: "${ACME_IDP.issuer}", jwksUri: "${ACME_IDP.jwksUri}", audience: ${ACME_IDP.audience}, rolesClaim: ${ACME_IDP.rolesClaim} }
  - { id: globex, name: Globex }
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - { clientId: gateway, secret: "${SECRET.GATEWAY}", grantTypes: [client_credentials], scopes: [], introspect: true }
users:
${ADMIN_BOOTSTRAP_USERS}
`;

interface TenantView {
  id: string;
  identityProvider: Record<string, string> | null;
}

describe('auth: external identity providers of tenants', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let admin: AdminApi;

  const call = <T = Record<string, unknown>>(as: string, method: string, path: string, body?: unknown): Promise<HttpResult<T>> =>
    admin.call<T>(as, method, path, body);
  const put = (as: string, tenant: string, body: unknown) =>
    call<TenantView & { error?: string; message?: string }>(as, 'PUT', `/admin/tenants/${tenant}/identity-provider`, body);
  // What the gateway reads: the registry, as its introspect client.
  const registered = async (tenant: string) => {
    const answer = await postForm<{ tenants: TenantView[] }>(`${auth.url}/internal/tenants`, {}, { authorization: basic('gateway', SECRET.GATEWAY) });
    expect(answer.status).toBe(200);
    return answer.body.tenants.find((entry) => entry.id === tenant)?.identityProvider;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
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
    it('is a platform operation: tenant administrators, tenant clients and plain users get 403', async () => {
      for (const as of ['alice', 'acmeService', 'bob']) {
        expect((await put(as, 'acme', GLOBEX_IDP)).body).toMatchObject({ error: 'forbidden' });
        const removal = await call(as, 'DELETE', '/admin/tenants/acme/identity-provider');
        expect(removal.status).toBe(403);
        expect(removal.body).toMatchObject({ error: 'forbidden' });
      }
      expect(await registered('acme')).toEqual(ACME_IDP);
    });

    it('validates the body, naming each field at fault', async () => {
      const bad = await put('ops', 'globex', { issuer: 'not a url', jwksUri: 'ftp://idp.test/jwks', audience: '', rolesClaim: 'realm access' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/^Invalid input: /) });
      for (const field of ['issuer', 'jwksUri', 'audience', 'rolesClaim']) expect(bad.body.message).toContain(`${field}:`);

      const unknown = await put('ops', 'globex', { ...GLOBEX_IDP, scope: 'openid' });
      expect(unknown.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('property scope should not exist') });
      expect((await put('ops', 'globex', { issuer: GLOBEX_IDP.issuer })).status).toBe(400);
      expect((await put('ops', 'globex', { ...GLOBEX_IDP, issuer: `https://idp.test/${'x'.repeat(512)}` })).status).toBe(400);
      expect(await registered('globex')).toBeNull();
    });

    it("refuses the platform's own issuer, with or without a trailing slash", async () => {
      for (const issuer of [ISSUER, `${ISSUER}/`]) {
        const answer = await put('ops', 'globex', { ...GLOBEX_IDP, issuer });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining("this platform's own (AUTH_ISSUER)") });
      }
    });

    it('refuses an issuer another tenant already has (409), also on creation', async () => {
      for (const issuer of [ACME_IDP.issuer, `${ACME_IDP.issuer}/`]) {
        const answer = await put('ops', 'globex', { ...GLOBEX_IDP, issuer });
        expect(answer.status).toBe(409);
        expect(answer.body).toMatchObject({ error: 'conflict', message: 'The issuer is already the identity provider of acme.' });
      }
      const created = await call('ops', 'POST', '/admin/tenants', { id: 'umbrella', name: 'Umbrella', identityProvider: ACME_IDP });
      expect(created.status).toBe(409);
      expect((await call('ops', 'GET', '/admin/tenants')).body).not.toContainEqual(expect.objectContaining({ id: 'umbrella' }));
      expect(await registered('globex')).toBeNull();
    });

    it('answers 404 for an unknown tenant', async () => {
      expect((await put('ops', 'nobody', GLOBEX_IDP)).body).toMatchObject({ error: 'not_found' });
      const removal = await call('ops', 'DELETE', '/admin/tenants/nobody/identity-provider');
      expect(removal.status).toBe(404);
      expect(removal.body).toMatchObject({ error: 'not_found' });
    });
  });

  describe('a platform administrator', () => {
    it('sees the provider the bootstrap file declares, in the Admin API and the registry', async () => {
      const listed = await call<TenantView[]>('ops', 'GET', '/admin/tenants');
      expect(listed.body.find((tenant) => tenant.id === 'acme')?.identityProvider).toEqual(ACME_IDP);
      expect(await registered('acme')).toEqual(ACME_IDP);
    });

    it('sets a provider (rolesClaim defaults to roles) and the registry hands it to the gateway', async () => {
      const answer = await put('ops', 'globex', GLOBEX_IDP);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: 'globex', identityProvider: { ...GLOBEX_IDP, rolesClaim: 'roles', acceptTypJwt: false } });
      expect(await registered('globex')).toEqual({ ...GLOBEX_IDP, rolesClaim: 'roles', acceptTypJwt: false });

      // Replacing it, with the tenant's own issuer kept, is no conflict.
      const replaced = await put('ops', 'globex', { ...GLOBEX_IDP, audience: 'globex-api', rolesClaim: 'groups', acceptTypJwt: true });
      expect(replaced.status).toBe(200);
      expect(await registered('globex')).toEqual({ ...GLOBEX_IDP, audience: 'globex-api', rolesClaim: 'groups', acceptTypJwt: true });
    });

    it('removes it: the registry shows none, and removing again changes nothing', async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await call<TenantView>('ops', 'DELETE', '/admin/tenants/globex/identity-provider');
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ id: 'globex', identityProvider: null });
      }
      expect(await registered('globex')).toBeNull();
      // The issuer is free again.
      expect((await call('ops', 'POST', '/admin/tenants', { id: 'initech', name: 'Initech', identityProvider: GLOBEX_IDP })).status).toBe(201);
      expect(await registered('initech')).toEqual({ ...GLOBEX_IDP, rolesClaim: 'roles', acceptTypJwt: false });
    });

    it('is held to one tenant per issuer by the database too, for writers that race', async () => {
      const write = auth.app
        .get(DataSource)
        .query(`UPDATE "${testEnv.schemaPrefix}auth"."tenants" SET "identity_provider" = $1::jsonb WHERE "id" = 'globex'`, [
          JSON.stringify({ ...ACME_IDP, issuer: `${ACME_IDP.issuer}/` }),
        ]);
      await expect(write).rejects.toThrow(/tenants_identity_provider_issuer_idx/);
    });

    it('leaves an audit trail of each change', async () => {
      const rows = await auth.app
        .get(DataSource)
        .query<{ type: string; tenant_id: string; details: { issuer?: string } }[]>(
          `SELECT "type", "tenant_id", "details" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" LIKE 'admin.tenant.%' ORDER BY "id"`,
        );
      expect(rows.map((row) => [row.type, row.tenant_id, row.details.issuer])).toEqual([
        ['admin.tenant.identity_provider_set', 'globex', GLOBEX_IDP.issuer],
        ['admin.tenant.identity_provider_set', 'globex', GLOBEX_IDP.issuer],
        ['admin.tenant.identity_provider_removed', 'globex', GLOBEX_IDP.issuer],
        ['admin.tenant.created', 'initech', GLOBEX_IDP.issuer],
      ]);
    });
  });

  describe('the bootstrap file, applied again at the next start', () => {
    const apply = (text: string) => {
      const file = join(testEnv.dataDir, 'again.yaml');
      writeFileSync(file, text);
      return auth.app.get(Bootstrap).apply(readBootstrapFile(file, {}));
    };

    it('refuses, before writing anything, the platform issuer and an issuer another tenant holds', async () => {
      const attempt = apply(`
tenants:
  - { id: acme, name: Acme, identityProvider: { issuer: "${ISSUER}/", jwksUri: "${ACME_IDP.jwksUri}", audience: api } }
  - { id: globex, name: Globex, identityProvider: { issuer: "${GLOBEX_IDP.issuer}", jwksUri: "${GLOBEX_IDP.jwksUri}", audience: api } }
`);
      await expect(attempt).rejects.toThrow(
        /unusable identity providers\n {2}- acme: the issuer is this platform's own[\s\S]*- globex: issuer https:\/\/globex\.idp\.test\/ is the identity provider of tenant initech/,
      );
      expect(await registered('acme')).toEqual(ACME_IDP);
    });

    it('is the declared state: a listed tenant without a provider has none', async () => {
      await apply('tenants:\n  - { id: acme, name: Acme }\n');
      expect(await registered('acme')).toBeNull();
    });
  });
});
