import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp, stopGracefully } from '@gatehouse/app-kit';
import { gatewayApp } from '../../apps/gateway/src/gateway.app';
import { EchoUpstream } from '../support/echo-upstream';
import { createTestEnv, freePort, type TestEnv } from '../support/test-env';

const SLOW_MS = 1_500;

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> } | 'refused'> {
  try {
    const response = await fetch(url);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return 'refused';
  }
}

/**
 * What a rolling deploy sees of an instance told to stop: readiness 503 at once, every request
 * still served through the grace, in-flight ones finished, then the listener gone; and a request
 * that would hold the stop past its timeout cut rather than waited for.
 */
describe('faults: a graceful stop', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let routes: string;
  let upstreamUrl: string;

  const start = async (extra: Record<string, string>): Promise<RunningApp> =>
    startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_PORT: String(await freePort()), GATEWAY_ROUTES_FILE: routes, USERS_URL: upstreamUrl, ...extra } });

  beforeAll(async () => {
    upstream = new EchoUpstream(SLOW_MS);
    upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, 'routes:\n  - { prefix: /echo, upstream: USERS_URL, auth: public, stripPrefix: true }\n');
  });

  afterAll(async () => {
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('drains for SHUTDOWN_GRACE: readiness 503 at once, requests still served, in-flight ones finished, then the listener closes', async () => {
    const gateway = await start({ SHUTDOWN_GRACE: '1', SHUTDOWN_TIMEOUT: '5' });
    const inFlight = get(`${gateway.url}/echo/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = performance.now();
    const stopping = stopGracefully([gateway]);

    expect(await get(`${gateway.url}/health/ready`)).toEqual({
      status: 503,
      body: expect.objectContaining({ status: 'error', error: { shutdown: { status: 'down', detail: 'shutting down' } } }),
    });
    expect(await get(`${gateway.url}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${gateway.url}/echo/during-the-grace`)).toMatchObject({ status: 200 });

    expect(await inFlight).toMatchObject({ status: 200, body: { url: '/slow' } });
    await stopping;
    const tookMs = performance.now() - began;
    expect(tookMs).toBeGreaterThanOrEqual(1_000);
    expect(tookMs).toBeLessThan(1_000 + 5_000);
    expect(await get(`${gateway.url}/echo/after`)).toBe('refused');
  });

  it('cuts a request still running at SHUTDOWN_TIMEOUT instead of waiting for it', async () => {
    const gateway = await start({ SHUTDOWN_GRACE: '0', SHUTDOWN_TIMEOUT: '1' });
    const stuck = get(`${gateway.url}/echo/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = performance.now();
    await stopGracefully([gateway]);
    expect(performance.now() - began).toBeLessThan(SLOW_MS);
    expect(await stuck).toBe('refused');
  });
});
