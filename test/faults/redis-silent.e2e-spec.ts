import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../../apps/auth/src/auth.app';
import { gatewayApp } from '../../apps/gateway/src/gateway.app';
import { referenceBootstrap } from '../support/bootstrap';
import { EchoUpstream } from '../support/echo-upstream';
import { eventually } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from '../support/test-env';

const REDIS_TIMEOUT_MS = 100;
// What a request may take while Redis is silent: its deadline, plus the upstream and the machine's
// noise, far below the seconds a request waited when Redis calls had no deadline.
const BOUND_MS = 1_000;

interface Readiness {
  details: Record<string, { status: string; detail?: string }>;
}

async function timed(url: string): Promise<{ status: number; ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body: unknown = await response.json();
  return { status: response.status, ms: performance.now() - started, body };
}

/**
 * A Redis that accepts connections and never answers: every call to it has a deadline, the
 * counters fall back to memory at the first one that passes, and readiness says degraded at once.
 * Needs a Redis to put the fault between (the real-services run).
 */
(REAL.redis ? describe : describe.skip)('faults: a Redis that stops answering', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let proxy: TcpProxy;
  let gateway: RunningApp;
  let auth: RunningApp;

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    const redis = new URL(REAL.redis ?? 'redis://127.0.0.1:6379');
    proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) }, await freePort());
    await proxy.start();
    const faulty = { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS) };
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), 'routes:\n  - { prefix: /open, upstream: USERS_URL, auth: public, rateLimit: public }\n');
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir), ...faulty } });
    gateway = await startApp(gatewayApp, {
      env: { ...testEnv.env, ...faulty, GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'), USERS_URL: upstreamUrl },
    });
  });

  afterAll(async () => {
    proxy?.resume();
    await gateway?.close();
    await auth?.close();
    await proxy?.stop();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('answers every request within its bound, says degraded in readiness, and recovers once Redis answers', async () => {
    expect((await timed(`${gateway.url}/open/x`)).status).toBe(200);
    proxy.silence();

    const during = [];
    for (let i = 0; i < 20; i++) during.push(await timed(`${gateway.url}/open/x`));
    expect(during.map((answer) => answer.status)).toEqual(during.map(() => 200));
    expect(Math.max(...during.map((answer) => answer.ms))).toBeLessThan(BOUND_MS);

    for (const app of [gateway, auth]) {
      const ready = await timed(`${app.url}/health/ready`);
      expect(ready.ms).toBeLessThan(2 * BOUND_MS);
      expect(ready.status).toBe(200);
      expect((ready.body as Readiness).details.redis).toEqual({ status: 'up', detail: expect.stringContaining('degraded') as string });
    }
    // And /metrics says so, for an alert: the counters are per instance for now.
    const fallback = async (app: RunningApp, counters: string) =>
      new RegExp(`^gatehouse_redis_fallback\\{counters="${counters}",app="${app.name}"\\} (\\d)$`, 'm').exec(
        await (await fetch(`${app.url}/metrics`)).text(),
      )?.[1];
    expect([await fallback(gateway, 'rate-limits'), await fallback(auth, 'login-limits')]).toEqual(['1', '1']);

    proxy.resume();
    const recovered = async (app: RunningApp) => {
      await fetch(`${app.url}/open/x`).catch(() => undefined);
      const ready = (await timed(`${app.url}/health/ready`)).body as Readiness;
      // What Redis feeds; other checks may be degraded for reasons of their own (no revocation feed here).
      return ['redis', 'rate-limits', 'login-limits'].every((name) => ready.details[name]?.detail === undefined);
    };
    expect(await eventually(() => recovered(gateway), 5_000)).toBe(true);
    expect(await eventually(() => recovered(auth), 5_000)).toBe(true);
    expect([await fallback(gateway, 'rate-limits'), await fallback(auth, 'login-limits')]).toEqual(['0', '0']);
  });
});
