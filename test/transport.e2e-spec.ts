import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { ordersApp } from '../apps/orders/src/orders.app';
import { usersApp } from '../apps/users/src/users.app';
import { eventually, http } from './support/http';
import { TcpProxy } from './support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

const READY_WITHIN_MS = 10_000;

async function status(url: string): Promise<number> {
  return (await http(url)).status;
}

async function transportCheck(app: RunningApp): Promise<{ status: string; detail?: string }> {
  const ready = await http<{ details: Record<string, { status: string; detail?: string }> }>(`${app.url}/health/ready`);
  return ready.body.details.transport;
}

(REAL.nats ? describe : describe.skip)('transport: a NATS outage and its recovery', () => {
  let testEnv: TestEnv;
  let proxy: TcpProxy;
  let users: RunningApp;
  let orders: RunningApp;

  beforeAll(async () => {
    const broker = new URL(REAL.nats!);
    proxy = new TcpProxy({ host: broker.hostname, port: Number(broker.port || 4222) }, await freePort());
    await proxy.start();
    testEnv = await createTestEnv({ NATS_URL: `nats://127.0.0.1:${proxy.port}` });
    users = await startApp(usersApp, { env: testEnv.env, layout: 'platform' });
    orders = await startApp(ordersApp, { env: testEnv.env, layout: 'platform' });
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await orders?.close();
    await users?.close();
    await proxy.stop();
    await testEnv.cleanup();
  });

  it('answers through the broker while it is up', async () => {
    expect(await status(`${orders.url}/orders/health/users`)).toBe(200);
  });

  it('answers calls over it with 503 while the broker is down; readiness stays 200 and says degraded; recovers without a restart', async () => {
    await proxy.stop();

    const ping = await http(`${orders.url}/orders/health/users`);
    expect(ping.status).toBe(503);
    expect(ping.body).toMatchObject({ error: 'service_unavailable' });
    expect(Number(ping.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // HTTP traffic does not need the broker (orders marks owners unavailable without it), so an
    // orchestrator must not pull these instances: degraded, not down.
    for (const app of [users, orders]) {
      expect(await eventually(async () => (await transportCheck(app)).detail?.startsWith('degraded') === true, READY_WITHIN_MS)).toBe(true);
      expect(await status(`${app.url}/health/ready`)).toBe(200);
    }

    await proxy.start();
    for (const app of [users, orders]) expect(await eventually(async () => (await transportCheck(app)).detail === undefined, READY_WITHIN_MS)).toBe(true);
    expect(await eventually(async () => (await status(`${orders.url}/orders/health/users`)) === 200, READY_WITHIN_MS)).toBe(true);
  });
});

(REAL.nats ? describe.skip : describe)('transport: TCP, users stopped and started again', () => {
  let testEnv: TestEnv;
  let users: RunningApp | undefined;
  let orders: RunningApp;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    users = await startApp(usersApp, { env: testEnv.env, layout: 'platform' });
    orders = await startApp(ordersApp, { env: testEnv.env, layout: 'platform' });
  });

  afterAll(async () => {
    await orders?.close();
    await users?.close();
    await testEnv.cleanup();
  });

  it('maps an unreachable users service to 503 service_unavailable and recovers', async () => {
    expect(await status(`${orders.url}/orders/health/users`)).toBe(200);
    await users!.close();
    users = undefined;

    const ping = await http(`${orders.url}/orders/health/users`);
    expect(ping.status).toBe(503);
    expect(ping.body).toMatchObject({ error: 'service_unavailable', message: expect.any(String) });
    expect(Number(ping.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    users = await startApp(usersApp, { env: testEnv.env, layout: 'platform' });
    expect(await eventually(async () => (await status(`${orders.url}/orders/health/users`)) === 200, READY_WITHIN_MS)).toBe(true);
  });
});
