import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { InternalTokenMinter } from '../apps/gateway/src/propagation/internal-token.minter';
import { ordersApp } from '../apps/orders/src/orders.app';
import { fingerprintOf } from '../apps/orders/src/orders/idempotency';
import { OrdersRepository } from '../apps/orders/src/orders/orders.repository';
import { usersApp } from '../apps/users/src/users.app';
import { http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';

const SECRETS = {
  ACME_CLI_SECRET: 'acme-cli-secret-0123456789abcdefghijklmnop',
  GLOBEX_CLI_SECRET: 'globex-cli-secret-0123456789abcdefghijklm',
  REPORTS_SECRET: 'reports-secret-0123456789abcdefghijklmnopq',
  ALICE_PASSWORD: 'a long passphrase, with: yaml, specials}',
  BOB_PASSWORD: 'a second passphrase for the acme buyer',
  CAROL_PASSWORD: 'a third passphrase for the globex admin',
  ORDERS_SERVICE_SECRET: 'orders-service-secret-0123456789abcdefghijk',
};

/** The design's bootstrap shape: two tenants, a non-admin buyer in acme, and a platform client. */
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme, plan: pro }
  - { id: globex, name: Globex, plan: pro }
clients:
  - clientId: acme-cli
    tenant: acme
    secret: \${ACME_CLI_SECRET}
    grantTypes: [password, refresh_token, client_credentials]
    scopes: [orders:read, orders:write, profile]
    firstParty: true
  - clientId: globex-cli
    tenant: globex
    secret: \${GLOBEX_CLI_SECRET}
    grantTypes: [password, refresh_token]
    scopes: [orders:read, orders:write, profile]
    firstParty: true
  - clientId: orders-service
    secret: \${ORDERS_SERVICE_SECRET}
    grantTypes: [client_credentials]
    scopes: [users:read]
    audience: users
  - clientId: reports
    secret: \${REPORTS_SECRET}
    grantTypes: [client_credentials]
    scopes: [orders:read]
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: \${ALICE_PASSWORD}, roles: [admin] }
  - { tenant: acme, username: bob, email: bob@acme.test, password: \${BOB_PASSWORD} }
  - { tenant: globex, username: carol, email: carol@globex.test, password: \${CAROL_PASSWORD}, roles: [admin] }
`;

interface Order {
  id: string;
  ownerId: string;
  status: string;
  totalMinor: number;
}

const EUR = {
  currency: 'EUR',
  items: [
    { sku: 'A-1', quantity: 2, unitPriceMinor: 1250 },
    { sku: 'B.2', quantity: 1, unitPriceMinor: 99 },
  ],
};
let keys = 0;
const freshKey = () => `key-${Date.now()}-${++keys}`;

describe('orders: the HTTP API through the gateway', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[] = [];
  let gateway: RunningApp;
  let orders: RunningApp;
  let users: RunningApp;
  const tokens: Record<'alice' | 'bob' | 'carol' | 'bobReadOnly' | 'reports' | 'acmeClient', string> = {
    alice: '',
    bob: '',
    carol: '',
    bobReadOnly: '',
    reports: '',
    acmeClient: '',
  };

  const token = async (client: string, secret: string, fields: Record<string, string>) =>
    (await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, fields, { authorization: basic(client, secret) })).body.access_token;
  const call = <T = Order>(method: string, path: string, bearer: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> =>
    http<T>(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const place = (bearer: string, body: unknown = EUR, key?: string) =>
    call('POST', '/orders', bearer, body, key === undefined ? {} : { 'idempotency-key': key });
  const list = (bearer: string, query = '', headers: Record<string, string> = {}) => call<Order[]>('GET', `/orders${query}`, bearer, undefined, headers);
  const subject = (bearer: string) => String(decodeJwt(bearer).payload.sub);

  function expectError(answer: HttpResult, status: number, error: string): void {
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body: { error, message: expect.any(String), requestId: expect.any(String) } });
  }

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    apps.push(await startApp(authApp, { env: { ...testEnv.env, ...SECRETS, BOOTSTRAP_FILE: file } }));
    users = await startApp(usersApp, { env: testEnv.env });
    apps.push(users);
    orders = await startApp(ordersApp, { env: { ...testEnv.env, ORDERS_SERVICE_SECRET: SECRETS.ORDERS_SERVICE_SECRET } });
    apps.push(orders);
    gateway = await startApp(gatewayApp, { env: testEnv.env });
    apps.push(gateway);
    const user = (username: string, password: string, extra: Record<string, string> = {}) => ({ grant_type: 'password', username, password, ...extra });
    tokens.alice = await token('acme-cli', SECRETS.ACME_CLI_SECRET, user('alice', SECRETS.ALICE_PASSWORD));
    tokens.bob = await token('acme-cli', SECRETS.ACME_CLI_SECRET, user('bob', SECRETS.BOB_PASSWORD));
    tokens.bobReadOnly = await token('acme-cli', SECRETS.ACME_CLI_SECRET, user('bob', SECRETS.BOB_PASSWORD, { scope: 'orders:read' }));
    tokens.carol = await token('globex-cli', SECRETS.GLOBEX_CLI_SECRET, user('carol', SECRETS.CAROL_PASSWORD));
    tokens.reports = await token('reports', SECRETS.REPORTS_SECRET, { grant_type: 'client_credentials' });
    tokens.acmeClient = await token('acme-cli', SECRETS.ACME_CLI_SECRET, { grant_type: 'client_credentials', scope: 'orders:write orders:read' });
    // Profiles start on a user's first request to users (or when auth announces the account).
    for (const who of ['alice', 'bob', 'carol'] as const) expect((await call('GET', '/users/me', tokens[who])).status).toBe(200);
  });

  afterAll(async () => {
    for (const app of [...apps].reverse()) await app.close();
    apps = [];
    await testEnv?.cleanup();
  });

  it('POST /orders places an order: 201 with exactly the order, totals in integer minor units', async () => {
    const profile = (await call<{ username: string; displayName: string }>('GET', '/users/me', tokens.bob)).body;
    const answer = await place(tokens.bob);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: 'acme',
      ownerId: subject(tokens.bob),
      status: 'placed',
      currency: 'EUR',
      items: EUR.items,
      totalMinor: 2599,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      owner: { id: subject(tokens.bob), username: profile.username, displayName: profile.displayName, avatarUrl: null },
    });
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    expect((await call('GET', `/orders/${answer.body.id}`, tokens.bob)).body).toEqual(answer.body);
  });

  it.each([
    ['an unknown field', { ...EUR, discount: 5 }],
    ['an unknown item field', { currency: 'EUR', items: [{ ...EUR.items[0], note: 'x' }] }],
    ['a lower-case currency', { ...EUR, currency: 'eur' }],
    ['a currency that is no ISO 4217 code', { ...EUR, currency: 'ABC' }],
    ['a zero quantity', { currency: 'EUR', items: [{ sku: 'A-1', quantity: 0, unitPriceMinor: 1 }] }],
    ['a fractional price', { currency: 'EUR', items: [{ sku: 'A-1', quantity: 1, unitPriceMinor: 12.5 }] }],
    ['a price given as a string', { currency: 'EUR', items: [{ sku: 'A-1', quantity: 1, unitPriceMinor: '1250' }] }],
    ['a malformed sku', { currency: 'EUR', items: [{ sku: 'A 1', quantity: 1, unitPriceMinor: 1 }] }],
    ['no items', { currency: 'EUR', items: [] }],
    ['101 items', { currency: 'EUR', items: Array.from({ length: 101 }, () => EUR.items[0]) }],
  ])('POST /orders with %s: 400 invalid_request', async (_case, body) => {
    expectError(await place(tokens.bob, body), 400, 'invalid_request');
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['with a space', 'a key'],
  ])('an Idempotency-Key %s: 400 invalid_request', async (_case, key) => {
    expectError(await place(tokens.bob, EUR, key), 400, 'invalid_request');
  });

  it('a retry with the same Idempotency-Key and body answers the first order again (201, replayed)', async () => {
    const key = freshKey();
    const first = await place(tokens.bob, EUR, key);
    // Same request, other key order and spacing: still the same request.
    const retry = await http<Order>(`${gateway.url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.bob}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: `{ "items": ${JSON.stringify(EUR.items)}, "currency": "EUR" }`,
    });
    expect(first.status).toBe(201);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same Idempotency-Key with another body: 409 conflict, and the first order stands', async () => {
    const key = freshKey();
    const first = await place(tokens.bob, EUR, key);
    expectError(await place(tokens.bob, { ...EUR, currency: 'USD' }, key), 409, 'conflict');
    expect((await call('GET', `/orders/${first.body.id}`, tokens.bob)).body).toEqual(first.body);
  });

  it('keys belong to their caller: the same key from another user places another order', async () => {
    const key = freshKey();
    const bobs = await place(tokens.bob, EUR, key);
    const alices = await place(tokens.alice, { ...EUR, currency: 'USD' }, key);
    expect([bobs.status, alices.status]).toEqual([201, 201]);
    expect(alices.body.id).not.toBe(bobs.body.id);
  });

  it('concurrent requests with the same Idempotency-Key place exactly one order', async () => {
    const before = (await list(tokens.alice)).body.length;
    const key = freshKey();
    const answers = await Promise.all(Array.from({ length: 8 }, () => place(tokens.bob, EUR, key)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect((await list(tokens.alice)).body.length).toBe(before + 1);
  });

  it('the unique index decides a race: the insert that loses it answers null, not an error', async () => {
    // Timing alone may serialise the requests above (PGlite is one session); this takes the path for sure.
    const idempotency = { key: freshKey(), fingerprint: fingerprintOf(EUR) };
    const order = { tenantId: 'acme', ownerId: 'race-owner', currency: 'EUR', totalMinor: 2599, items: EUR.items, idempotency };
    const repository = orders.app.get(OrdersRepository);
    expect(await repository.insert(order)).toMatchObject({ idempotencyKey: idempotency.key });
    expect(await repository.insert(order)).toBeNull();
  });

  it('GET /orders: a user sees their own orders, an admin every order of the tenant, another tenant none', async () => {
    const bobs = await place(tokens.bob);
    const alices = await place(tokens.alice);
    const own = await list(tokens.bob);
    expect(own.status).toBe(200);
    expect(new Set(own.body.map((order) => order.ownerId))).toEqual(new Set([subject(tokens.bob)]));
    const tenant = (await list(tokens.alice)).body.map((order) => order.id);
    expect(tenant).toEqual(expect.arrayContaining([bobs.body.id, alices.body.id]));
    expect(own.body.map((order) => order.id)).not.toContain(alices.body.id);
    const globex = await list(tokens.carol);
    expect({ status: globex.status, body: globex.body }).toEqual({ status: 200, body: [] });
  });

  it('GET /orders pages newest first with limit and before', async () => {
    const all = (await list(tokens.bob)).body.map((order) => order.id);
    expect(all.length).toBeGreaterThan(2);
    const first = (await list(tokens.bob, '?limit=2')).body.map((order) => order.id);
    const next = (await list(tokens.bob, `?limit=2&before=${first[1]}`)).body.map((order) => order.id);
    expect([...first, ...next]).toEqual(all.slice(0, 4));
    expectError(await list(tokens.bob, '?limit=101'), 400, 'invalid_request');
    expectError(await list(tokens.bob, '?limit=2&before=nope'), 400, 'invalid_request');
  });

  it("another tenant's order reads as 404 not_found, on get and on cancel, and is left untouched", async () => {
    const order = (await place(tokens.bob)).body;
    expectError(await call('GET', `/orders/${order.id}`, tokens.carol), 404, 'not_found');
    expectError(await call('POST', `/orders/${order.id}/cancel`, tokens.carol), 404, 'not_found');
    expect((await call('GET', `/orders/${order.id}`, tokens.bob)).body.status).toBe('placed');
  });

  it("another user's order in the same tenant: 404 for a non-admin, visible and cancellable for an admin", async () => {
    const alices = (await place(tokens.alice)).body;
    expectError(await call('GET', `/orders/${alices.id}`, tokens.bob), 404, 'not_found');
    expectError(await call('POST', `/orders/${alices.id}/cancel`, tokens.bob), 404, 'not_found');
    const bobs = (await place(tokens.bob)).body;
    expect((await call('GET', `/orders/${bobs.id}`, tokens.alice)).body).toEqual(bobs);
    const cancelled = await call('POST', `/orders/${bobs.id}/cancel`, tokens.alice);
    expect({ status: cancelled.status, body: cancelled.body }).toEqual({ status: 200, body: { ...bobs, status: 'cancelled' } });
  });

  it('an id that is no UUID: 404 not_found', async () => {
    expectError(await call('GET', '/orders/not-a-uuid', tokens.bob), 404, 'not_found');
  });

  it('cancel, then cancel again: 200 cancelled, then 409 conflict', async () => {
    const order = (await place(tokens.bob)).body;
    const cancelled = await call('POST', `/orders/${order.id}/cancel`, tokens.bob);
    expect({ status: cancelled.status, body: cancelled.body }).toEqual({ status: 200, body: { ...order, status: 'cancelled' } });
    expectError(await call('POST', `/orders/${order.id}/cancel`, tokens.bob), 409, 'conflict');
    expect((await call('GET', `/orders/${order.id}`, tokens.bob)).body.status).toBe('cancelled');
  });

  it('a token without orders:write: 403 insufficient_scope on writes, reads still pass', async () => {
    const order = (await place(tokens.bob)).body;
    const refused = await place(tokens.bobReadOnly);
    expectError(refused, 403, 'insufficient_scope');
    expect(refused.headers.get('www-authenticate')).toContain('scope="orders:write"');
    expectError(await call('POST', `/orders/${order.id}/cancel`, tokens.bobReadOnly), 403, 'insufficient_scope');
    expect((await call('GET', `/orders/${order.id}`, tokens.bobReadOnly)).status).toBe(200);
  });

  it('a platform client, which belongs to no tenant: 400 tenant_not_identified at the gateway, 403 tenant_mismatch naming a tenant, 403 forbidden at orders directly', async () => {
    expectError(await list(tokens.reports), 400, 'tenant_not_identified');
    expectError(await list(tokens.reports, '', { 'x-tenant-id': 'acme' }), 403, 'tenant_mismatch');
    const internal = gateway.app.get(InternalTokenMinter).mint(
      {
        kind: 'client',
        subject: 'client:reports',
        clientId: 'reports',
        roles: [],
        scopes: ['orders:read'],
        tokenId: 'j-reports',
        expiresAt: Math.floor(Date.now() / 1000) + 60,
      },
      'orders',
      'req-1',
    );
    const direct = await http(`${orders.url}/orders`, { headers: { authorization: `Bearer ${internal}` } });
    expectError(direct, 403, 'forbidden');
  });

  it('embeds the owners of a page with one batched call, and a client owner as unknown', async () => {
    await call('POST', '/orders', tokens.acmeClient, EUR);
    const page = await list(tokens.alice, '?limit=100');
    const owners = new Map(page.body.map((order) => [order.ownerId, (order as unknown as { owner: Record<string, unknown> }).owner]));
    for (const who of ['alice', 'bob'] as const) {
      const { id, username, displayName } = (await call<{ id: string; username: string; displayName: string }>('GET', '/users/me', tokens[who])).body;
      expect(owners.get(id)).toEqual({ id, username, displayName, avatarUrl: null });
    }
    expect(owners.get('client:acme-cli')).toEqual({ id: 'client:acme-cli', unknown: true });
  });

  // Last: it stops users.
  it('with users down, a list still answers with owners marked unavailable; a single order asked with its owner is 503', async () => {
    const placed = await place(tokens.bob);
    await users.close();
    apps = apps.filter((app) => app !== users);
    const page = await list(tokens.bob);
    expect(page.status).toBe(200);
    expect((page.body[0] as unknown as { owner: unknown }).owner).toEqual({ id: subject(tokens.bob), unavailable: true });
    expect((await call('GET', `/orders/${placed.body.id}`, tokens.bob)).body).toMatchObject({ owner: { unavailable: true } });
    expectError(await call('GET', `/orders/${placed.body.id}?include=owner`, tokens.bob), 503, 'service_unavailable');
  });
});
