import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { EchoUpstream } from './support/echo-upstream';
import { eventually } from './support/http';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

const ROUTES = `
routes:
  - { prefix: /open, upstream: USERS_URL, auth: public, rateLimit: public }
`;
const LIMIT = 10;

interface Readiness {
  details: Record<string, { status: string; detail?: string }>;
}

/** Rate limits across gateway instances: shared through Redis, per instance without it or while it is down. */
describe('gateway: rate limits shared by instances, and what happens when Redis fails', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let gatewayEnv: Record<string, string>;
  const started: RunningApp[] = [];

  const start = async (extra: Record<string, string> = {}) => {
    const app = await startApp(gatewayApp, { env: { ...gatewayEnv, GATEWAY_PORT: String(await freePort()), ...extra } });
    started.push(app);
    return app;
  };
  const status = async (app: RunningApp) => (await fetch(`${app.url}/open/x`)).status;
  const ready = async (app: RunningApp) => {
    const response = await fetch(`${app.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Readiness };
  };

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), ROUTES);
    gatewayEnv = { ...testEnv.env, GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'), USERS_URL: upstreamUrl, RATE_LIMIT_PUBLIC: `${LIMIT}/60` };
  });

  afterAll(async () => {
    for (const app of started.reverse()) await app.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it(
    REAL.redis
      ? 'two gateways sharing Redis: of 2N requests split across them, exactly N pass'
      : 'two gateways without Redis: each counts alone, so each lets N through',
    async () => {
      const [first, second] = [await start(), await start()];
      const outcomes = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => status(i % 2 ? first : second)));
      expect(outcomes.filter((code) => code === 200)).toHaveLength(REAL.redis ? LIMIT : 2 * LIMIT);
      expect(outcomes.filter((code) => code !== 200).every((code) => code === 429)).toBe(true);
    },
  );

  (REAL.redis ? it : it.skip)(
    'Redis cut mid-traffic: no request fails, limits hold per instance, readiness says degraded; Redis back: shared again',
    async () => {
      const redis = new URL(REAL.redis ?? 'redis://127.0.0.1:6379');
      const proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) }, await freePort());
      await proxy.start();
      try {
        const gateway = await start({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: `${testEnv.env.REDIS_KEY_PREFIX}outage:` });
        const before = [];
        for (let i = 0; i < 4; i++) before.push(await status(gateway));
        expect(before).toEqual([200, 200, 200, 200]);

        await proxy.stop();
        const during = [];
        for (let i = 0; i < LIMIT + 2; i++) during.push(await status(gateway));
        // This instance's memory starts from nothing: the limit applies again, never no limit.
        expect(during).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
        const degraded = await ready(gateway);
        // Degraded, not failed (this suite runs no auth app, so only these two entries are asserted).
        expect(degraded.body.details['rate-limits']).toEqual({ status: 'up', detail: expect.stringContaining('degraded') as string });
        expect(degraded.body.details.redis).toEqual({ status: 'up', detail: expect.stringContaining('degraded') as string });

        await proxy.start();
        expect(await eventually(async () => (await ready(gateway)).body.details.redis.detail === undefined, 10_000)).toBe(true);
        // Redis still holds the four hits from before the cut: six more pass, then the shared limit.
        const after = [];
        for (let i = 0; i < 7; i++) after.push(await status(gateway));
        expect(after).toEqual([200, 200, 200, 200, 200, 200, 429]);
        expect((await ready(gateway)).body.details['rate-limits']).toEqual({ status: 'up' });
      } finally {
        await proxy.stop();
      }
    },
  );
});
