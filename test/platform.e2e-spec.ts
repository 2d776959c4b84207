import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataFolderInUseError } from '@gatehouse/persistence';
import { DataSource } from 'typeorm';
import { startPlatform } from '../apps/platform/src/platform';
import { ProfileEntity } from '../apps/users/src/profiles/profile.entity';
import { usersApp } from '../apps/users/src/users.app';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';
import { eventually, http } from './support/http';
import { basic, postForm } from './support/oauth';

const urlOf = (apps: RunningApp[], name: string) => apps.find((app) => app.name === name)!.url;

describe('platform: every app in one process', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];

  beforeAll(async () => {
    testEnv = await createTestEnv();
    apps = await startPlatform({ env: testEnv.env });
  });

  afterAll(async () => {
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it.each(['gateway', 'auth', 'users', 'orders'])('%s is live and ready', async (name) => {
    const live = await http(`${urlOf(apps, name)}/health/live`);
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await http<{ status: string; details: Record<string, { status: string }> }>(`${urlOf(apps, name)}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    if (name !== 'gateway') expect(ready.body.details.database).toEqual({ status: 'up' });
    if (name === 'users' || name === 'orders') expect(ready.body.details.transport).toEqual({ status: 'up' });
    if (REAL.redis && name === 'gateway') expect(ready.body.details.redis).toEqual({ status: 'up' });
  });

  it.each(['gateway', 'auth', 'users', 'orders'])('%s serves Prometheus metrics of its own', async (name) => {
    await http(`${urlOf(apps, name)}/health/live`);
    const metrics = await http<string>(`${urlOf(apps, name)}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toContain(`gatehouse_http_requests_total{method="GET",route="/health/live",status="200",app="${name}"}`);
  });

  it.each(['gateway', 'auth', 'users', 'orders'])('%s serves its OpenAPI document and Swagger UI', async (name) => {
    const json = await http<{ openapi: string; info: { title: string } }>(`${urlOf(apps, name)}/docs-json`);
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    const ui = await http<string>(`${urlOf(apps, name)}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('orders reaches users over the message transport', async () => {
    const answer = await http<{ service: string; instance: string }>(`${urlOf(apps, 'orders')}/orders/health/users`);
    expect(answer.status).toBe(200);
    expect(answer.body.service).toBe('users');
  });

  it("gives the demo's admin a profile from the start, with the account's username and email, before any request of theirs", async () => {
    const users = apps.find((app) => app.name === 'users')!;
    const profiles = users.app.get(DataSource).getRepository(ProfileEntity);
    const provisioned = await eventually(async () => (await profiles.findOneBy({ tenantId: 'demo', username: 'admin' })) !== null, 15_000);
    expect(provisioned).toBe(true);
    const folder = join(testEnv.dataDir, REAL.postgres ? 'auth' : 'platform');
    const demo = JSON.parse(readFileSync(join(folder, 'bootstrap-credentials.json'), 'utf8')) as {
      admin: { username: string; password: string };
      clients: Record<string, string>;
    };
    const gateway = urlOf(apps, 'gateway');
    const login = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'password', username: demo.admin.username, password: demo.admin.password, scope: 'profile' },
      { authorization: basic('demo-cli', demo.clients['demo-cli']) },
    );
    const me = await http(`${gateway}/users/me`, { headers: { authorization: `Bearer ${login.body.access_token}` } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenantId: 'demo', username: 'admin', email: 'admin@demo.test', displayName: 'admin' });
  });

  it('works out of the box on the demo: a demo user places an order through the gateway, and orders embeds the profile it got from users with its own service token', async () => {
    const folder = join(testEnv.dataDir, REAL.postgres ? 'auth' : 'platform');
    const demo = JSON.parse(readFileSync(join(folder, 'bootstrap-credentials.json'), 'utf8')) as {
      admin: { username: string; password: string };
      clients: Record<string, string>;
    };
    const gateway = urlOf(apps, 'gateway');
    const login = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'password', username: demo.admin.username, password: demo.admin.password, scope: 'profile orders:read orders:write' },
      { authorization: basic('demo-cli', demo.clients['demo-cli']) },
    );
    const bearer = { authorization: `Bearer ${login.body.access_token}`, 'content-type': 'application/json' };
    const profile = await http<{ id: string; username: string }>(`${gateway}/users/me`, { headers: bearer });
    expect(profile.status).toBe(200);
    const order = await http<{ owner: Record<string, unknown> }>(`${gateway}/orders`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ currency: 'EUR', items: [{ sku: 'A-1', quantity: 1, unitPriceMinor: 100 }] }),
    });
    expect(order.status).toBe(201);
    expect(order.body.owner).toMatchObject({ id: profile.body.id, username: profile.body.username });
  });

  it('keeps a well-formed request id and replaces a malformed one', async () => {
    const kept = await http(`${urlOf(apps, 'users')}/health/live`, { headers: { 'x-request-id': 'req-0123456789abcdef' } });
    expect(kept.headers.get('x-request-id')).toBe('req-0123456789abcdef');
    const replaced = await http(`${urlOf(apps, 'users')}/health/live`, { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown path with the error contract, not a framework page', async () => {
    const answer = await http(`${urlOf(apps, 'orders')}/no/such/path`, { headers: { 'x-request-id': 'req-unknown-path-1' } });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'not_found', message: 'The resource does not exist.', requestId: 'req-unknown-path-1' });
  });

  it('refuses routes that declare no credential it can verify (deny by default)', async () => {
    // No app exposes a non-public HTTP route yet; a message handler's guard is exercised by the
    // route inventory. Here: the health routes are public and nothing else answers 200 unauthenticated.
    const answer = await http(`${urlOf(apps, 'users')}/users/me`);
    expect([401, 404]).toContain(answer.status);
  });

  it('runs each app in its own schema', async () => {
    const users = apps.find((app) => app.name === 'users')!;
    const dataSource = users.app.get(DataSource);
    const [row] = await dataSource.query<{ schema: string }[]>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'profiles'`);
    expect(row.schema).toBe(`${testEnv.schemaPrefix}users`);
  });
});

describe('platform: data survives a restart', () => {
  let testEnv: TestEnv;
  beforeAll(async () => (testEnv = await createTestEnv()));
  afterAll(() => testEnv.cleanup());

  it('reads back after a restart what an app wrote before it', async () => {
    let apps = await startPlatform({ env: testEnv.env });
    const write = apps.find((app) => app.name === 'users')!.app.get(DataSource);
    await write.getRepository(ProfileEntity).insert({
      tenantId: 'acme',
      id: 'account-1',
      username: 'alice',
      email: 'alice@acme.test',
      displayName: 'Alice',
    });
    for (const app of apps.reverse()) await app.close();

    apps = await startPlatform({ env: testEnv.env });
    try {
      const read = apps.find((app) => app.name === 'users')!.app.get(DataSource);
      const found = await read.getRepository(ProfileEntity).findOneBy({ tenantId: 'acme', id: 'account-1' });
      expect(found).toMatchObject({ username: 'alice', displayName: 'Alice', locale: 'en' });
    } finally {
      for (const app of apps.reverse()) await app.close();
    }
  });
});

(REAL.postgres ? describe.skip : describe)('platform: one embedded data folder, one process', () => {
  let testEnv: TestEnv;
  let holder: ChildProcess | undefined;
  beforeAll(async () => (testEnv = await createTestEnv()));
  afterAll(async () => {
    holder?.kill();
    await testEnv.cleanup();
  });

  it('refuses to start on a data folder another live process holds', async () => {
    holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const folder = join(testEnv.dataDir, 'platform');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'gatehouse.lock'), String(holder.pid));

    const attempt = startPlatform({ env: testEnv.env });
    await expect(attempt).rejects.toBeInstanceOf(DataFolderInUseError);
    await expect(attempt).rejects.toThrow(`in use by another Gatehouse process (pid ${holder.pid})`);
  });

  it('takes over a lock left by a process that is gone', async () => {
    holder?.kill();
    await new Promise((resolve) => holder?.once('exit', resolve));
    const apps = await startPlatform({ env: testEnv.env });
    try {
      expect(existsSync(join(testEnv.dataDir, 'platform', 'gatehouse.lock'))).toBe(true);
    } finally {
      for (const app of apps.reverse()) await app.close();
    }
    expect(existsSync(join(testEnv.dataDir, 'platform', 'gatehouse.lock'))).toBe(false);
  });
});

describe('an app started alone', () => {
  let testEnv: TestEnv;
  beforeAll(async () => (testEnv = await createTestEnv()));
  afterAll(() => testEnv.cleanup());

  it('runs on its own, with its own data folder', async () => {
    const users = await startApp(usersApp, { env: testEnv.env });
    try {
      expect((await http(`${users.url}/health/ready`)).status).toBe(200);
      if (!REAL.postgres) {
        expect(existsSync(join(testEnv.dataDir, 'users', 'gatehouse.lock'))).toBe(true);
        expect(existsSync(join(testEnv.dataDir, 'platform', 'gatehouse.lock'))).toBe(false);
      }
    } finally {
      await users.close();
    }
  });
});
