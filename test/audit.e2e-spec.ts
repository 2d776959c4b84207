import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../apps/auth/src/audit/audit-event.entity';
import { AuditRetention } from '../apps/auth/src/audit/audit-retention';
import { startPlatform } from '../apps/platform/src/platform';
import { eventually, http } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * The audit trail operators read: events of auth, of the gateway and of a service in one place,
 * `/admin/audit` held to the caller's tenant, cursor pages, the JSON-lines export, and retention.
 */

const PASSWORD = 'a long enough passphrase for tests';
const SECRET = {
  cli: 'cli-secret-0123456789abcdefghijklmnopq',
  gateway: 'gateway-secret-0123456789abcdefghij',
  ops: 'ops-secret-0123456789abcdefghijklmnop',
  orders: 'orders-service-secret-0123456789abcdefgh',
  users: 'users-service-secret-0123456789abcdefghi',
};
// orders-service lacks users:read, so users refuses its messages: a refusal by a service, reported.
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
  - { id: globex, name: Globex }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${SECRET.cli}", grantTypes: [password], scopes: [profile, orders:read, orders:write], firstParty: true }
  - { clientId: globex-cli, tenant: globex, secret: "${SECRET.cli}", grantTypes: [password], scopes: [profile, orders:read], firstParty: true }
  - { clientId: gateway, secret: "${SECRET.gateway}", grantTypes: [client_credentials], scopes: [], introspect: true }
  - { clientId: ops, secret: "${SECRET.ops}", grantTypes: [client_credentials], scopes: [admin] }
  - { clientId: orders-service, secret: "${SECRET.orders}", grantTypes: [client_credentials], scopes: [users:provision], audience: users }
  - { clientId: users-service, secret: "${SECRET.users}", grantTypes: [client_credentials], scopes: [], audience: orders }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: "${PASSWORD}", roles: [admin] }
  - { tenant: acme, username: bob, email: bob@acme.test, password: "${PASSWORD}" }
  - { tenant: globex, username: gina, email: gina@globex.test, password: "${PASSWORD}", roles: [admin] }
`;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

interface AuditEvent {
  id: string;
  at: string;
  type: string;
  outcome: string;
  source: string;
  tenant: string | null;
  subject: string | null;
  client: string | null;
  ip: string | null;
  requestId: string | null;
  correlationId: string | null;
  traceId: string | null;
  details: Record<string, unknown>;
}
interface Page {
  events: AuditEvent[];
  nextCursor: string | null;
}

describe('audit trail: one trail for every app, read by administrators', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  let gateway: string;
  const tokens: Record<'alice' | 'bob' | 'gina' | 'ops', string> = { alice: '', bob: '', gina: '', ops: '' };
  const app = (name: string) => apps.find((one) => one.name === name) as RunningApp;
  const events = () => app('auth').app.get(DataSource).getRepository(AuditEventEntity);
  const audit = <T = Page>(who: keyof typeof tokens, query = '', path = '/admin/audit') =>
    http<T>(`${gateway}${path}${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });

  async function userToken(username: string, tenant: string): Promise<string> {
    const answer = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'password', username, password: PASSWORD, scope: tenant === 'acme' ? 'profile orders:read orders:write' : 'profile orders:read' },
      { authorization: basic(`${tenant}-cli`, SECRET.cli) },
    );
    expect(answer.status).toBe(200);
    return answer.body.access_token;
  }

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: 'http://gateway.test' });
    const bootstrap = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(bootstrap, BOOTSTRAP);
    // The shipped routes, and two that refuse at the gateway: by role, and by the sign-in (step-up).
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(
      routes,
      `${readFileSync('config/gateway.routes.yaml', 'utf8')}
  - { prefix: /orders/ledger, upstream: ORDERS_URL, auth: jwt, roles: [auditor] }
  - { prefix: /users/step-up, upstream: USERS_URL, auth: jwt, requireAcr: [urn:gatehouse:acr:mfa] }
`,
    );
    apps = await startPlatform({
      env: {
        ...testEnv.env,
        BOOTSTRAP_FILE: bootstrap,
        GATEWAY_ROUTES_FILE: routes,
        GATEWAY_CLIENT_SECRET: SECRET.gateway,
        ORDERS_SERVICE_SECRET: SECRET.orders,
        USERS_SERVICE_SECRET: SECRET.users,
      },
    });
    gateway = app('gateway').url;
    tokens.alice = await userToken('alice', 'acme');
    tokens.bob = await userToken('bob', 'acme');
    tokens.gina = await userToken('gina', 'globex');
    tokens.ops = (
      await postForm<{ access_token: string }>(`${gateway}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('ops', SECRET.ops) })
    ).body.access_token;
  });

  afterAll(async () => {
    for (const one of [...(apps ?? [])].reverse()) await one.close();
    await testEnv?.cleanup();
  });

  it('refuses bad filters with 400 invalid_request, never a 5xx', async () => {
    const bad = [
      '?client=',
      '?subject=',
      '?outcome=maybe',
      '?from=yesterday',
      '?limit=0',
      '?limit=201',
      '?limit=ten',
      '?cursor=not-ours',
      `?cursor=${Buffer.from('a1:-4').toString('base64url')}`,
      '?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      '?type=DROP%20TABLE',
      '?tenant=Not_A_Slug',
      '?order=asc',
    ];
    const answers = await Promise.all(
      bad.map(async (query) => [query, (await audit('ops', query)).status, (await audit<{ error: string }>('ops', query)).body.error]),
    );
    expect(answers).toEqual(bad.map((query) => [query, 400, 'invalid_request']));
    expect((await audit('ops', '?outcome=maybe', '/admin/audit/export')).status).toBe(400);
  });

  it('answers 401 without a token and 403 to someone who administers nothing', async () => {
    expect((await http(`${gateway}/admin/audit`)).status).toBe(401);
    expect((await audit<{ error: string }>('bob')).body).toMatchObject({ error: 'forbidden' });
    expect((await audit<{ error: string }>('bob', '', '/admin/audit/export')).status).toBe(403);
  });

  it("writes the gateway's cross-tenant attempt with the request's ids, subject, client and address", async () => {
    const refused = await http(`${gateway}/users/me`, {
      headers: {
        authorization: `Bearer ${tokens.alice}`,
        'x-tenant-id': 'globex',
        'x-request-id': 'req-audit-cross-0001',
        'x-correlation-id': 'corr-audit-0001',
      },
    });
    expect(refused.status).toBe(403);
    let found: AuditEvent | undefined;
    expect(
      await eventually(async () => {
        found = (await audit('gina', '?type=cross_tenant_attempt')).body.events.find((event) => event.requestId === 'req-audit-cross-0001');
        return found !== undefined;
      }, 5_000),
    ).toBe(true);
    expect(found).toMatchObject({
      source: 'gateway',
      outcome: 'failure',
      tenant: 'globex',
      client: 'acme-cli',
      correlationId: 'corr-audit-0001',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      subject: expect.any(String),
      details: { tokenTenant: 'acme', code: 'tenant_mismatch' },
    });
  });

  it("writes the gateway's refusal by a route's role with the request's ids and trace id, and never a step-up challenge", async () => {
    const challenged = await http(`${gateway}/users/step-up`, {
      headers: { authorization: `Bearer ${tokens.bob}`, 'x-request-id': 'req-audit-stepup-0001' },
    });
    expect(challenged.status).toBe(401);
    const refused = await http<{ error: string }>(`${gateway}/orders/ledger`, {
      headers: {
        authorization: `Bearer ${tokens.bob}`,
        'x-request-id': 'req-audit-role-0001',
        'x-correlation-id': 'corr-audit-0002',
        traceparent: TRACEPARENT,
      },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    let found: AuditEvent | undefined;
    expect(
      await eventually(async () => {
        found = (await audit('alice', '?type=access.refused')).body.events.find((event) => event.requestId === 'req-audit-role-0001');
        return found !== undefined;
      }, 5_000),
    ).toBe(true);
    expect(found).toMatchObject({
      source: 'gateway',
      outcome: 'failure',
      tenant: 'acme',
      client: 'acme-cli',
      correlationId: 'corr-audit-0002',
      traceId: TRACE_ID,
      details: { code: 'forbidden', route: '/orders/ledger' },
    });
    // Reported before the role refusal, which has arrived: a challenge would be there by now.
    expect(await events().countBy({ requestId: 'req-audit-stepup-0001' })).toBe(0);
  });

  it("writes a service's refusal, carrying the trace id of the request's traceparent across gateway, service and transport", async () => {
    const headers = { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' };
    const placed = await http(`${gateway}/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ currency: 'EUR', items: [{ sku: 'A-1', quantity: 1, unitPriceMinor: 100 }] }),
    });
    expect(placed.status).toBe(201);
    // Listing asks users for the owners' profiles; users refuses orders' token (no users:read).
    const listed = await http(`${gateway}/orders`, { headers: { authorization: headers.authorization, traceparent: TRACEPARENT } });
    expect(listed.status).toBe(200);
    let found: AuditEvent | undefined;
    expect(
      await eventually(async () => {
        found = (await audit('ops', '?type=access.refused')).body.events.find((event) => event.source === 'users-service' && event.traceId === TRACE_ID);
        return found !== undefined;
      }, 5_000),
    ).toBe(true);
    expect(found).toMatchObject({ outcome: 'failure', tenant: 'acme', details: { code: 'insufficient_scope', where: 'rpc' } });
  });

  it("refuses reports over auth's internal endpoint from anyone but a platform client, and malformed ones", async () => {
    const auth = app('auth').url;
    const report = (fields: Record<string, unknown>) =>
      JSON.stringify({ type: 'access.refused', outcome: 'failure', occurredAt: new Date().toISOString(), subject: 'user:probe', ...fields });
    const post = (authorization: string, body: string) =>
      postForm<{ error?: string; recorded?: boolean }>(`${auth}/internal/audit`, { report: body }, { authorization });
    const count = () => events().countBy({ actor: 'user:probe' });
    expect(await post(basic('acme-cli', SECRET.cli), report({}))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await post(basic('gateway', 'wrong-secret-0123456789abcdefghijkl'), report({}))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    for (const bad of [
      'not json',
      '[]',
      report({ type: 'token.issued' }),
      report({ details: { nested: { a: 1 } } }),
      report({ extra: 1 }),
      report({ traceId: 'xyz' }),
    ]) {
      expect(await post(basic('gateway', SECRET.gateway), bad)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    }
    expect(await count()).toBe(0);
    expect(await post(basic('gateway', SECRET.gateway), report({ tenantId: 'acme' }))).toMatchObject({ status: 200, body: { recorded: true } });
    expect(await count()).toBe(1);
  });

  it("holds a tenant administrator to their tenant's rows, whatever the filters", async () => {
    const gina = (await audit('gina', '?limit=200')).body.events;
    expect(gina.length).toBeGreaterThan(0);
    expect(new Set(gina.map((event) => event.tenant))).toEqual(new Set(['globex']));
    expect((await audit('gina', '?type=token.issued&limit=200')).body.events.every((event) => event.tenant === 'globex')).toBe(true);
    expect((await audit('gina', '?subject=' + encodeURIComponent(gina[0].subject ?? ''))).body.events.every((event) => event.tenant === 'globex')).toBe(true);
    expect((await audit<{ error: string }>('gina', '?tenant=acme')).body).toMatchObject({ error: 'forbidden' });
    expect((await audit('gina', '?tenant=acme', '/admin/audit/export')).status).toBe(403);
    const alice = (await audit('alice', '?limit=200')).body.events;
    expect(alice.length).toBeGreaterThan(0);
    expect(alice.filter((event) => event.tenant !== 'acme')).toEqual([]);
    // The platform's administrator reads both tenants, and can narrow to one.
    const all = (await audit('ops', '?limit=200')).body.events;
    expect(new Set(all.map((event) => event.tenant))).toEqual(expect.objectContaining({}));
    expect(all.some((event) => event.tenant === 'acme') && all.some((event) => event.tenant === 'globex')).toBe(true);
    expect((await audit('ops', '?tenant=globex&limit=200')).body.events.map((event) => event.id)).toEqual(gina.map((event) => event.id));
  });

  it('pages newest first with an opaque cursor: no row twice, none left out', async () => {
    const full = (await audit('ops', '?limit=200')).body.events;
    expect(full.length).toBeGreaterThan(3);
    const paged: AuditEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = (await audit('ops', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.events.length).toBeLessThanOrEqual(2);
      paged.push(...page.events);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 200);
    expect(paged.map((event) => event.id)).toEqual(full.map((event) => event.id));
    const ids = full.map((event) => BigInt(event.id));
    expect(ids.every((id, index) => index === 0 || id < ids[index - 1])).toBe(true);
    // Filters and the time range hold across pages too.
    const failures = (await audit('ops', '?outcome=failure&limit=1')).body;
    expect(failures.events.every((event) => event.outcome === 'failure')).toBe(true);
    const future = (await audit('ops', `?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body;
    expect(future).toEqual({ events: [], nextCursor: null });
  });

  it('exports the same rows as JSON lines, streamed, held to the tenant', async () => {
    const exportOf = async (who: keyof typeof tokens, query = '') => {
      const response = await fetch(`${gateway}/admin/audit/export${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };
    const exported = await exportOf('gina');
    expect(exported.status).toBe(200);
    expect(exported.type).toMatch(/^application\/x-ndjson/);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent);
    expect(lines.map((event) => event.id)).toEqual((await audit('gina', '?limit=200')).body.events.map((event) => event.id));
    const filtered = await exportOf('ops', '?type=cross_tenant_attempt');
    expect(
      filtered.text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as AuditEvent).type),
    ).toEqual(expect.arrayContaining(['cross_tenant_attempt']));
    expect(
      new Set(
        filtered.text
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as AuditEvent).type),
      ),
    ).toEqual(new Set(['cross_tenant_attempt']));
  });

  it('purges events older than AUDIT_RETENTION_DAYS, keeping the rest', async () => {
    const repository = events();
    const before = await repository.count();
    const old = await repository.find({ order: { id: 'ASC' }, take: 2 });
    await repository.update(
      old.map((row) => row.id),
      { createdAt: new Date(Date.now() - 400 * 86_400_000) },
    );
    expect(await app('auth').app.get(AuditRetention).purge()).toBe(2);
    expect(await repository.count()).toBe(before - 2);
    expect(await repository.countBy({ id: old[0].id })).toBe(0);
  });
});
