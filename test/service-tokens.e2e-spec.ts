import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { CommonSettings, loadSettings } from '@gatehouse/config';
import { AUTH_EVENT, DomainError, type ProfileBatch, type ProfileSummary, USERS_PATTERN } from '@gatehouse/contracts';
import { ServiceClient, ServiceTokenClient } from '@gatehouse/security';
import { emitEvent, messageClientOptions, rpcCall } from '@gatehouse/transport';
import { authApp } from '../apps/auth/src/auth.app';
import { KeyStore } from '../apps/auth/src/keys/key-store.service';
import { usersApp } from '../apps/users/src/users.app';
import { ProfilesRepository } from '../apps/users/src/profiles/profiles.repository';
import { eventually } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

const ISSUER = 'http://gateway.test';
const SECRET = {
  orders: 'orders-service-secret-0123456789abcdef',
  reports: 'reports-secret-0123456789abcdefghijkl',
  ops: 'ops-secret-0123456789abcdefghijklmnop',
};
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
clients:
  - { clientId: orders-service, secret: "${SECRET.orders}", grantTypes: [client_credentials], scopes: [users:read], audience: users }
  - { clientId: reports, secret: "${SECRET.reports}", grantTypes: [client_credentials], scopes: [profile], audience: users }
  - { clientId: ops, secret: "${SECRET.ops}", grantTypes: [client_credentials], scopes: [admin] }
`;

/** Service-to-service messages carry a client_credentials token that the callee verifies. */
describe('service tokens: orders-style calls to users over the transport', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let client: ClientProxy;
  let tokens: ServiceTokenClient;
  let service: ServiceClient;

  const credentials = (clientId: string, secret: string) => ({ clientId, secret, tokenUrl: `${auth.url}/oauth/token` });
  const raw = <T>(pattern: string, payload: object, token?: string) =>
    rpcCall<T>(client, pattern, payload, 3_000, token ? { authorization: `Bearer ${token}`, requestId: 'req-service-000001' } : {});
  const codeOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'passed',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );
  async function forge(claims: Record<string, unknown>): Promise<string> {
    const key = await auth.app.get(KeyStore).signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new jose.SignJWT({
      iss: ISSUER,
      aud: 'users',
      sub: 'client:orders-service',
      client_id: 'orders-service',
      scope: 'users:read',
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
    const repository = users.app.get(ProfilesRepository);
    for (const id of ['u-1', 'u-2']) await repository.insertIfAbsent({ tenantId: 'acme', id, username: id, email: null, displayName: `User ${id}` });
    client = ClientProxyFactory.create(messageClientOptions(loadSettings(CommonSettings, testEnv.env).settings, 'test', 'users'));
    tokens = new ServiceTokenClient(credentials('orders-service', SECRET.orders));
    service = new ServiceClient(client, tokens, 3_000);
  });

  afterAll(async () => {
    await client?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('answers a call carrying a service token with scope users:read and aud users', async () => {
    await expect(service.send<ProfileSummary>(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-1' })).resolves.toEqual({
      id: 'u-1',
      tenantId: 'acme',
      username: 'u-1',
      displayName: 'User u-1',
      avatarUrl: null,
    });
    const batch = await service.send<ProfileBatch>(USERS_PATTERN.getMany, { tenantId: 'acme', ids: ['u-1', 'u-2', 'nobody'] });
    expect(batch.profiles.map((profile) => profile.id).sort()).toEqual(['u-1', 'u-2']);
    expect(await codeOf(service.send(USERS_PATTERN.get, { tenantId: 'other', id: 'u-1' }))).toBe('not_found');
    expect(await codeOf(service.send(USERS_PATTERN.getMany, { tenantId: 'acme', ids: 'u-1' }))).toBe('invalid_request');
  });

  it('refuses a message without a token, with an expired one, without users:read, for another audience, or from a user', async () => {
    const lookup = { tenantId: 'acme', id: 'u-1' };
    expect(await codeOf(raw(USERS_PATTERN.get, lookup))).toBe('missing_token');
    const now = Math.floor(Date.now() / 1000);
    expect(await codeOf(raw(USERS_PATTERN.get, lookup, await forge({ exp: now - 120, iat: now - 300, nbf: now - 300 })))).toBe('token_expired');
    const reports = (
      await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('reports', SECRET.reports) },
      )
    ).body.access_token;
    expect(await codeOf(raw(USERS_PATTERN.get, lookup, reports))).toBe('insufficient_scope');
    const ops = (
      await postForm<{ access_token: string }>(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('ops', SECRET.ops) })
    ).body.access_token;
    expect(await codeOf(raw(USERS_PATTERN.get, lookup, ops))).toBe('invalid_claims');
    expect(await codeOf(raw(USERS_PATTERN.get, lookup, await forge({ sub: 'u-1' })))).toBe('forbidden');
    expect(await codeOf(raw(USERS_PATTERN.get, lookup, await forge({})))).toBe('passed');
  });

  it('user.registered creates the profile once, however often the event arrives, and only with users:provision', async () => {
    const event = { tenantId: 'acme', accountId: 'u-new', username: 'newbie', email: 'newbie@acme.test', registeredAt: new Date().toISOString() };
    const emit = async (scope: string) =>
      emitEvent(client, AUTH_EVENT.userRegistered, event, 3_000, { authorization: `Bearer ${await forge({ sub: 'client:auth', client_id: 'auth', scope })}` });
    await emit('users:read');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const repository = users.app.get(ProfilesRepository);
    expect(await repository.find('acme', 'u-new')).toBeNull();
    await emit('users:provision');
    await emit('users:provision');
    expect(await eventually(async () => (await repository.find('acme', 'u-new')) !== null, 5_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await repository.findMany('acme', ['u-new'])).map((profile) => profile.username)).toEqual(['newbie']);
  });

  it("maps the callee's refusal of this service's own identity to service_unavailable, after one retry with a fresh token", async () => {
    const weak = new ServiceTokenClient(credentials('reports', SECRET.reports));
    const caller = new ServiceClient(client, weak, 3_000);
    expect(await codeOf(caller.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-1' }))).toBe('service_unavailable');
    const nobody = new ServiceClient(client, new ServiceTokenClient(credentials('orders-service', 'wrong-secret-0123456789abcdef')), 3_000);
    expect(await codeOf(nobody.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-1' }))).toBe('service_unavailable');
  });

  it('fetches one token for many concurrent calls, and a new one after a refusal', async () => {
    const fresh = new ServiceTokenClient(credentials('orders-service', SECRET.orders));
    const caller = new ServiceClient(client, fresh, 3_000);
    await Promise.all(Array.from({ length: 20 }, () => caller.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-1' })));
    expect(fresh.requests).toBe(1);
    fresh.invalidate(await fresh.token());
    await caller.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-2' });
    expect(fresh.requests).toBe(2);
  });
});

/** Refresh ahead of expiry, measured across several lifetimes of a short-lived token. */
describe('service tokens: refreshed before they expire', () => {
  const TTL = 5;
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let client: ClientProxy;

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER, ACCESS_TOKEN_TTL: String(TTL) });
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file } });
    users = await startApp(usersApp, { env: testEnv.env });
    await users.app.get(ProfilesRepository).insertIfAbsent({ tenantId: 'acme', id: 'u-1', username: 'u-1', email: null, displayName: 'User u-1' });
    client = ClientProxyFactory.create(messageClientOptions(loadSettings(CommonSettings, testEnv.env).settings, 'test', 'users'));
  });

  afterAll(async () => {
    await client?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('keeps calling across several token lifetimes with no failure and one token request per lifetime at most', async () => {
    const tokens = new ServiceTokenClient({ clientId: 'orders-service', secret: SECRET.orders, tokenUrl: `${auth.url}/oauth/token` });
    const caller = new ServiceClient(client, tokens, 3_000);
    const started = Date.now();
    const failures: string[] = [];
    let calls = 0;
    while (Date.now() - started < 3 * TTL * 1000 + 500) {
      await caller.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u-1' }).then(
        () => calls++,
        (error: Error) => failures.push(error.message),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lifetimes = Math.ceil((Date.now() - started) / (TTL * 1000));
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(50);
    expect(tokens.requests).toBeGreaterThanOrEqual(lifetimes);
    expect(tokens.requests).toBeLessThanOrEqual(lifetimes + 1);
  });
});
