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

  it('reports 503 while the broker is down, with a clear code, and recovers without a restart', async () => {
    await proxy.stop();

    const ping = await http(`${orders.url}/orders/health/users`);
    expect(ping.status).toBe(503);
    expect(ping.body).toMatchObject({ error: 'service_unavailable' });
    expect(await eventually(async () => (await status(`${users.url}/health/ready`)) === 503, READY_WITHIN_MS)).toBe(true);
    expect(await eventually(async () => (await status(`${orders.url}/health/ready`)) === 503, READY_WITHIN_MS)).toBe(true);
    const ready = await http<{ error: Record<string, unknown> }>(`${users.url}/health/ready`);
    expect(ready.body.error).toHaveProperty('transport');

    await proxy.start();
    expect(await eventually(async () => (await status(`${users.url}/health/ready`)) === 200, READY_WITHIN_MS)).toBe(true);
    expect(await eventually(async () => (await status(`${orders.url}/health/ready`)) === 200, READY_WITHIN_MS)).toBe(true);
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

    users = await startApp(usersApp, { env: testEnv.env, layout: 'platform' });
    expect(await eventually(async () => (await status(`${orders.url}/orders/health/users`)) === 200, READY_WITHIN_MS)).toBe(true);
  });
});
