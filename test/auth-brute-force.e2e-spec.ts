import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { eventually, http, type HttpResult } from './support/http';
import { basic, postForm } from './support/oauth';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

const PASSWORD = 'correct horse battery staple';
// Small numbers, so each limit is reached in a few requests; every test uses its own addresses
// and usernames, so the counters of one test never reach another.
const LIMITS = {
  AUTH_TRUSTED_PROXIES: '127.0.0.1',
  LOGIN_FAILURE_THRESHOLD: '3',
  LOGIN_DELAY_BASE: '1',
  LOGIN_DELAY_MAX: '2',
  LOGIN_FAILURE_WINDOW: '60',
  LOGIN_ACCOUNT_FAILURE_CAP: '10',
  LOGIN_ACCOUNT_CAP_DELAY: '60',
  LOGIN_IP_LIMIT: '8',
  LOGIN_PAIR_LIMIT: '7',
};
type Endpoint = 'token' | 'login' | 'session';

let lastAddress = 0;
/** A fresh client address, sent as the trusted proxy's X-Forwarded-For. */
const address = () => `198.51.100.${++lastAddress}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryAfter = (answer: HttpResult) => Number(answer.headers.get('retry-after'));

/** Status, body without its request id, and every header but those that differ per response. */
function comparable(answer: HttpResult) {
  const { requestId: _requestId, ...body } = (answer.body ?? {}) as Record<string, unknown>;
  const headers = [...answer.headers.entries()].filter(([name]) => !['date', 'x-request-id'].includes(name));
  return { status: answer.status, body, headers };
}

function expectRateLimited(answer: HttpResult, seconds?: number) {
  expect(answer.status).toBe(429);
  expect(answer.body).toEqual({ error: 'rate_limited', message: 'Too many requests.', requestId: expect.any(String) });
  expect(answer.headers.get('cache-control')).toBe('no-store');
  if (seconds === undefined) expect(retryAfter(answer)).toBeGreaterThanOrEqual(1);
  else expect(retryAfter(answer)).toBe(seconds);
}

function loginTo(app: () => RunningApp) {
  return (from: string, username: string, password: string, via: Endpoint = 'token'): Promise<HttpResult> => {
    const forwarded = { 'x-forwarded-for': from };
    if (via === 'token') {
      const fields = { grant_type: 'password', username, password };
      return postForm(`${app().url}/oauth/token`, fields, { ...forwarded, authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) });
    }
    const path = via === 'login' ? '/auth/login' : '/auth/session';
    const body = JSON.stringify({ tenant: 'acme', username, password });
    return http(`${app().url}${path}`, { method: 'POST', headers: { ...forwarded, 'content-type': 'application/json' }, body });
  };
}

describe('auth: brute-force defence of password logins', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  const login = loginTo(() => auth);

  async function register(username: string): Promise<void> {
    const body = JSON.stringify({ tenant: 'acme', username, email: `${username}@acme.test`, password: PASSWORD });
    const answer = await http(`${auth.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(201);
  }
  async function failTimes(count: number, from: string, username: string, via: Endpoint = 'token'): Promise<HttpResult[]> {
    const answers = [];
    for (let i = 0; i < count; i++) answers.push(await login(from, username, 'a wrong password', via));
    for (const answer of answers) expect(answer.body).toMatchObject({ error: 'invalid_grant' });
    return answers;
  }

  beforeAll(async () => {
    testEnv = await createTestEnv(LIMITS);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    for (const username of ['bob', 'dora', 'erin', 'fred', 'gail', 'hank', 'ivy']) await register(username);
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('slows the attacking address while the real user logs in at once from another', async () => {
    const attacker = address();
    await failTimes(3, attacker, 'bob');
    // Even the right password is not checked during the delay.
    expectRateLimited(await login(attacker, 'bob', PASSWORD), 1);
    expect((await login(address(), 'bob', PASSWORD)).status).toBe(200);
    expect((await login(address(), 'bob', PASSWORD, 'login')).status).toBe(200);
  });

  it('doubles the delay with each failure past the threshold, and lets the pair in once it lapses', async () => {
    const attacker = address();
    await failTimes(3, attacker, 'dora');
    expectRateLimited(await login(attacker, 'dora', 'a wrong password'), 1);
    await sleep(1100);
    await failTimes(1, attacker, 'dora');
    expectRateLimited(await login(attacker, 'dora', PASSWORD), 2);
    await sleep(2100);
    expect((await login(attacker, 'dora', PASSWORD)).status).toBe(200);
  });

  it('applies the same limits to the password grant, /auth/login and /auth/session', async () => {
    const attacker = address();
    await failTimes(1, attacker, 'erin', 'token');
    await failTimes(1, attacker, 'erin', 'login');
    await failTimes(1, attacker, 'erin', 'session');
    for (const via of ['token', 'login', 'session'] as const) expectRateLimited(await login(attacker, 'erin', PASSWORD, via), 1);
  });

  it('answers an unknown account exactly as an existing one, failures and delays alike', async () => {
    const [known, unknown] = [address(), address()];
    const knownFailures = await failTimes(3, known, 'fred', 'login');
    const unknownFailures = await failTimes(3, unknown, 'nobody-here', 'login');
    expect(unknownFailures.map(comparable)).toEqual(knownFailures.map(comparable));
    const knownDelayed = await login(known, 'fred', PASSWORD, 'login');
    const unknownDelayed = await login(unknown, 'nobody-here', PASSWORD, 'login');
    expectRateLimited(knownDelayed, 1);
    expect(comparable(unknownDelayed)).toEqual(comparable(knownDelayed));
  });

  it('forgets the failures of a pair when it logs in', async () => {
    const user = address();
    await failTimes(2, user, 'gail');
    expect((await login(user, 'gail', PASSWORD)).status).toBe(200);
    await failTimes(2, user, 'gail');
    expect((await login(user, 'gail', PASSWORD)).status).toBe(200);
  });

  it('limits the logins of one address, whichever usernames it tries', async () => {
    const sprayer = address();
    for (let i = 0; i < 8; i++) await failTimes(1, sprayer, `spray-${i}`);
    expectRateLimited(await login(sprayer, 'spray-8', 'a wrong password'));
    expect(retryAfter(await login(sprayer, 'hank', PASSWORD))).toBeLessThanOrEqual(60);
    await failTimes(1, address(), 'spray-8');
  });

  it('limits the logins of one address on one username, successful or not', async () => {
    const busy = address();
    for (let i = 0; i < 7; i++) expect((await login(busy, 'hank', PASSWORD)).status).toBe(200);
    expectRateLimited(await login(busy, 'hank', PASSWORD));
    expect((await login(address(), 'hank', PASSWORD)).status).toBe(200);
  });

  it('holds an account everywhere once it reaches the cap over all addresses, and audits it', async () => {
    for (let i = 0; i < 10; i++) await failTimes(1, address(), 'ivy');
    const held = await login(address(), 'ivy', PASSWORD);
    expectRateLimited(held);
    expect(retryAfter(held)).toBeGreaterThan(50);
    const rows = await auth.app
      .get(DataSource)
      .query<{ details: Record<string, unknown>; ip: string }[]>(
        `SELECT "details", "ip" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = 'login.account_capped'`,
      );
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toEqual({ username: 'ivy', failures: 10, windowSeconds: 3600, heldSeconds: 60 });
    expect(JSON.stringify(rows[0])).not.toContain('wrong password');
  });

  it('stays ready', async () => {
    expect((await http(`${auth.url}/health/ready`)).status).toBe(200);
  });

  (REAL.redis ? describe : describe.skip)('with Redis: shared by instances, per instance while it is cut', () => {
    let second: RunningApp;
    let proxy: TcpProxy;
    const loginSecond = loginTo(() => second);
    const limitsDetail = async () => {
      const ready = await http<{ info?: Record<string, { detail?: string }> }>(`${second.url}/health/ready`);
      expect(ready.status).toBe(200);
      return ready.body.info?.['login-limits']?.detail;
    };

    beforeAll(async () => {
      const redis = new URL(REAL.redis ?? 'redis://127.0.0.1:6379');
      proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) }, await freePort());
      await proxy.start();
      // Unknown accounts count like known ones, so on the embedded database the second instance
      // needs no data of the first: its own folder avoids two processes on one PGlite.
      const dataDir = join(testEnv.dataDir, 'second');
      mkdirSync(dataDir, { recursive: true });
      const env = { ...testEnv.env, ...referenceBootstrap(dataDir), AUTH_PORT: String(await freePort()), REDIS_URL: `redis://127.0.0.1:${proxy.port}` };
      second = await startApp(authApp, { env: REAL.postgres ? env : { ...env, DATA_DIR: dataDir } });
    });

    afterAll(async () => {
      await second?.close();
      await proxy?.stop();
    });

    it('counts one pair across two instances', async () => {
      const attacker = address();
      await failTimes(2, attacker, 'jack');
      expect((await loginSecond(attacker, 'jack', 'a wrong password')).body).toMatchObject({ error: 'invalid_grant' });
      expectRateLimited(await login(attacker, 'jack', 'a wrong password'), 1);
      expectRateLimited(await loginSecond(attacker, 'jack', 'a wrong password'), 1);
    });

    it('keeps limiting on its own memory while Redis is cut, degraded but ready, and shares again once it is back', async () => {
      await proxy.stop();
      const attacker = address();
      const during = [];
      for (let i = 0; i < 3; i++) during.push(await loginSecond(attacker, 'kate', 'a wrong password'));
      expect(during.map((answer) => answer.status)).toEqual([400, 400, 400]);
      expectRateLimited(await loginSecond(attacker, 'kate', 'a wrong password'), 1);
      // The first instance, still on Redis, never saw those failures.
      expect((await login(attacker, 'kate', 'a wrong password')).status).toBe(400);
      expect(await limitsDetail()).toMatch(/^degraded/);

      await proxy.start();
      expect(await eventually(async () => (await limitsDetail()) === undefined, 10_000, 200)).toBe(true);
      const next = address();
      await failTimes(2, next, 'liam');
      expect((await loginSecond(next, 'liam', 'a wrong password')).status).toBe(400);
      expectRateLimited(await login(next, 'liam', 'a wrong password'), 1);
    });
  });
});
