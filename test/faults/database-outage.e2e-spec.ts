import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../../apps/auth/src/auth.app';
import { referenceBootstrap } from '../support/bootstrap';
import { eventually } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from '../support/test-env';

const DATABASE_TIMEOUT_MS = 1_000;

interface Answer {
  status: number;
  ms: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
}

let registered = 0;

/**
 * PostgreSQL refusing connections, then accepting them and never answering: each is
 * unavailability, answered 503 with Retry-After and the platform's body within the database
 * deadline, never a 500 and never a hang; the app serves again once the database is back.
 * Needs a PostgreSQL to put the fault between (the real-services run).
 */
(REAL.postgres ? describe : describe.skip)('faults: the database goes away', () => {
  let testEnv: TestEnv;
  let proxy: TcpProxy;
  let auth: RunningApp;

  async function register(): Promise<Answer> {
    const started = performance.now();
    const body = JSON.stringify({
      tenant: 'acme',
      username: `outage-${++registered}`,
      email: `outage-${registered}@acme.test`,
      password: 'a long passphrase for the outage',
    });
    const response = await fetch(`${auth.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: response.status,
      ms: performance.now() - started,
      body: (await response.json()) as Record<string, unknown>,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  function expectUnavailable(answer: Answer): void {
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: 'service_unavailable', message: expect.any(String), requestId: expect.any(String) });
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    // Its deadline and 10%, plus what the request does besides waiting (hashing the password).
    expect(answer.ms).toBeLessThan(DATABASE_TIMEOUT_MS * 1.1 + 500);
  }

  beforeAll(async () => {
    const database = new URL(REAL.postgres!);
    proxy = new TcpProxy({ host: database.hostname, port: Number(database.port || 5432) }, await freePort());
    await proxy.start();
    testEnv = await createTestEnv();
    database.host = `127.0.0.1:${proxy.port}`;
    auth = await startApp(authApp, {
      env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir), DATABASE_URL: database.toString(), DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    proxy?.resume();
    await proxy?.start().catch(() => undefined);
    await auth?.close();
    await proxy?.stop();
    await testEnv?.cleanup();
  });

  it('serves while the database is there', async () => {
    expect((await register()).status).toBe(201);
  });

  it('answers 503 with Retry-After while the database refuses connections, and serves again once it is back', async () => {
    await proxy.stop();
    for (let i = 0; i < 3; i++) expectUnavailable(await register());
    await proxy.start();
    expect(await eventually(async () => (await register()).status === 201, 5_000)).toBe(true);
  });

  it('answers 503 within the deadline while the database accepts and never answers, and serves again once it does', async () => {
    proxy.silence();
    for (let i = 0; i < 3; i++) expectUnavailable(await register());
    proxy.resume();
    expect(await eventually(async () => (await register()).status === 201, 5_000)).toBe(true);
  });
});
