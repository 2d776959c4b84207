import { request as httpRequest } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { AuditEventEntity } from '../apps/auth/src/audit/audit-event.entity';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import type { Echo } from './support/echo-upstream';
import { EchoUpstream } from './support/echo-upstream';
import { eventually } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

const PASSWORD = 'a long enough passphrase for tests';
const SECRET = { cli: 'cli-secret-0123456789abcdefghijklmnopq', gateway: 'gateway-secret-0123456789abcdefghij', ops: 'ops-secret-0123456789abcdefghijklmnop' };
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
  - { id: globex, name: Globex }
  - { id: dormant, name: Dormant, status: suspended }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${SECRET.cli}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: globex-cli, tenant: globex, secret: "${SECRET.cli}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: gateway, secret: "${SECRET.gateway}", grantTypes: [client_credentials], scopes: [], introspect: true }
  - { clientId: ops, secret: "${SECRET.ops}", grantTypes: [client_credentials], scopes: [admin] }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: "${PASSWORD}" }
  - { tenant: globex, username: gina, email: gina@globex.test, password: "${PASSWORD}" }
`;
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /admin, upstream: AUTH_INTERNAL_URL, auth: jwt, propagation: pass-through }
  - { prefix: /sub, upstream: USERS_URL, tenant: [subdomain], propagation: headers }
  - { prefix: /pth, upstream: USERS_URL, tenant: [path], propagation: headers }
  - { prefix: /hdr, upstream: USERS_URL, tenant: [header], propagation: headers }
  - { prefix: /clm, upstream: USERS_URL, tenant: [claim], propagation: headers }
  - { prefix: /all, upstream: USERS_URL, tenant: [subdomain, path, header, claim], propagation: headers }
  - { prefix: /none, upstream: USERS_URL, propagation: headers }
`;

interface Answer {
  status: number;
  body: Echo & { error?: string };
}

/** Tenant resolution at the gateway. */
describe('gateway: tenants resolved, checked against the registry and against the token', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;
  let gatewayEnv: Record<string, string>;
  let alice: string;
  let ops: string;

  /** node:http, because fetch will not send a Host header of our choosing. */
  function get(path: string, headers: Record<string, string> = {}, token: string | undefined = alice): Promise<Answer> {
    const url = new URL(gateway.url);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: url.hostname, port: url.port, path, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Answer['body'] }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
  const tenantSeen = (answer: Answer) => ({ status: answer.status, tenant: answer.body.headers?.['x-tenant-id'], error: answer.body.error });

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: 'http://gateway.test' });
    writeFileSync(join(testEnv.dataDir, 'bootstrap.yaml'), BOOTSTRAP);
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: join(testEnv.dataDir, 'bootstrap.yaml') } });
    gatewayEnv = {
      ...testEnv.env,
      GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'),
      USERS_URL: upstreamUrl,
      GATEWAY_CLIENT_SECRET: SECRET.gateway,
      TENANT_BASE_HOST: 'gatehouse.test',
      TENANT_REGISTRY_TTL: '1',
    };
    gateway = await startApp(gatewayApp, { env: gatewayEnv });
    alice = (
      await postForm<{ access_token: string }>(
        `${gateway.url}/oauth/token`,
        { grant_type: 'password', username: 'alice', password: PASSWORD },
        { authorization: basic('acme-cli', SECRET.cli) },
      )
    ).body.access_token;
    ops = (
      await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('ops', SECRET.ops) })
    ).body.access_token;
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('resolves each source alone, and passes the tenant on', async () => {
    expect(tenantSeen(await get('/sub/x', { host: 'acme.gatehouse.test' }))).toEqual({ status: 200, tenant: 'acme', error: undefined });
    expect(tenantSeen(await get('/hdr/x', { 'x-tenant-id': 'acme' }))).toEqual({ status: 200, tenant: 'acme', error: undefined });
    expect(tenantSeen(await get('/clm/x'))).toEqual({ status: 200, tenant: 'acme', error: undefined });
    const path = await get('/tenants/acme/pth/x?q=1');
    expect(tenantSeen(path)).toEqual({ status: 200, tenant: 'acme', error: undefined });
    expect(path.body.url).toBe('/pth/x?q=1');
  });

  it("takes the first source that names a tenant, in the route's order", async () => {
    expect(tenantSeen(await get('/all/x', { host: 'globex.gatehouse.test', 'x-tenant-id': 'acme' }))).toEqual({
      status: 403,
      tenant: undefined,
      error: 'tenant_mismatch',
    });
    expect(tenantSeen(await get('/tenants/acme/all/x', { host: 'gatehouse.test', 'x-tenant-id': 'globex' }))).toEqual({
      status: 200,
      tenant: 'acme',
      error: undefined,
    });
    expect(tenantSeen(await get('/all/x', { 'x-tenant-id': 'acme' }))).toEqual({ status: 200, tenant: 'acme', error: undefined });
  });

  it('answers each failure with its code: unidentified 400, unknown 404, suspended 403', async () => {
    expect(tenantSeen(await get('/hdr/x'))).toMatchObject({ status: 400, error: 'tenant_not_identified' });
    expect(tenantSeen(await get('/sub/x', { host: 'gatehouse.test' }))).toMatchObject({ status: 400, error: 'tenant_not_identified' });
    expect(tenantSeen(await get('/hdr/x', { 'x-tenant-id': 'Not_A_Slug' }))).toMatchObject({ status: 400, error: 'tenant_not_identified' });
    expect(tenantSeen(await get('/hdr/x', { 'x-tenant-id': 'nosuch' }))).toMatchObject({ status: 404, error: 'tenant_not_found' });
    expect(tenantSeen(await get('/hdr/x', { 'x-tenant-id': 'dormant' }))).toMatchObject({ status: 403, error: 'tenant_suspended' });
    expect(tenantSeen(await get('/tenants/acme/none/x'))).toMatchObject({ status: 404, error: 'route_not_found' });
    expect(tenantSeen(await get('/none/x'))).toEqual({ status: 200, tenant: 'acme', error: undefined });
  });

  it("a token of tenant A on tenant B's subdomain, path or header: 403 tenant_mismatch, and an audit event", async () => {
    const refused = [
      await get('/sub/x', { host: 'globex.gatehouse.test', 'x-request-id': 'req-cross-00000001' }),
      await get('/tenants/globex/pth/x'),
      await get('/hdr/x', { 'x-tenant-id': 'globex' }),
    ];
    expect(refused.map(tenantSeen)).toEqual(Array.from({ length: 3 }, () => ({ status: 403, tenant: undefined, error: 'tenant_mismatch' })));
    const events = auth.app.get(DataSource).getRepository(AuditEventEntity);
    const written = await eventually(async () => (await events.countBy({ type: 'cross_tenant_attempt' })) >= 3, 5_000);
    expect(written).toBe(true);
    const event = await events.findOneByOrFail({ type: 'cross_tenant_attempt', tenantId: 'globex' });
    expect(event.details).toMatchObject({ resolvedTenant: 'globex', tokenTenant: 'acme' });
    // Reported over the transport with the gateway's own ids: the row carries the request's id.
    expect(await events.findOneByOrFail({ type: 'cross_tenant_attempt', requestId: 'req-cross-00000001' })).toMatchObject({
      source: 'gateway',
      clientId: 'acme-cli',
    });
  });

  it('suspending a tenant while traffic runs revokes its tokens (401 invalid_token); once reactivated, new tokens get through', async () => {
    const admin = { authorization: `Bearer ${ops}` };
    const adminCall = (path: string) => fetch(`${gateway.url}${path}`, { method: 'POST', headers: admin });
    expect((await get('/hdr/x', { 'x-tenant-id': 'acme' })).status).toBe(200);
    expect((await adminCall('/admin/tenants/acme/suspend')).status).toBe(200);
    expect(await eventually(async () => (await get('/hdr/x', { 'x-tenant-id': 'acme' })).body.error === 'invalid_token', 5_000, 100)).toBe(true);
    expect((await adminCall('/admin/tenants/acme/activate')).status).toBe(200);
    expect((await get('/hdr/x', { 'x-tenant-id': 'acme' })).body.error).toBe('invalid_token');
    // Tokens issued in the second of the suspension count as issued before it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    alice = (
      await postForm<{ access_token: string }>(
        `${gateway.url}/oauth/token`,
        { grant_type: 'password', username: 'alice', password: PASSWORD },
        { authorization: basic('acme-cli', SECRET.cli) },
      )
    ).body.access_token;
    expect(await eventually(async () => (await get('/hdr/x', { 'x-tenant-id': 'acme' })).status === 200, 5_000, 100)).toBe(true);
  });

  (REAL.redis ? it : it.skip)("with Redis, auth's notice makes a change take effect at once, whatever the registry TTL", async () => {
    const patient = await startApp(gatewayApp, { env: { ...gatewayEnv, GATEWAY_PORT: String(await freePort()), TENANT_REGISTRY_TTL: '3600' } });
    try {
      const gina = (
        await postForm<{ access_token: string }>(
          `${auth.url}/oauth/token`,
          { grant_type: 'password', username: 'gina', password: PASSWORD },
          { authorization: basic('globex-cli', SECRET.cli) },
        )
      ).body.access_token;
      const probe = async (token = gina) => {
        const response = await fetch(`${patient.url}/hdr/x`, { headers: { authorization: `Bearer ${token}`, 'x-tenant-id': 'globex' } });
        return response.status === 200 ? 'ok' : ((await response.json()) as { error?: string }).error;
      };
      const adminCall = (path: string) => fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ops}` } });
      expect(await probe()).toBe('ok');
      // A token of no tenant meets the registry before the mismatch: it shows what the registry says.
      expect(await probe(ops)).toBe('tenant_mismatch');
      expect((await adminCall('/admin/tenants/globex/suspend')).status).toBe(200);
      expect(await eventually(async () => (await probe(ops)) === 'tenant_suspended', 3_000, 50)).toBe(true);
      expect(await probe()).toBe('invalid_token');
      expect((await adminCall('/admin/tenants/globex/activate')).status).toBe(200);
      expect(await eventually(async () => (await probe(ops)) === 'tenant_mismatch', 3_000, 50)).toBe(true);
    } finally {
      await patient.close();
    }
  });
});
