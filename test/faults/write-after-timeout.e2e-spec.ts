import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../../apps/auth/src/auth.app';
import { gatewayApp } from '../../apps/gateway/src/gateway.app';
import { ordersApp } from '../../apps/orders/src/orders.app';
import { referenceBootstrap, SECRETS } from '../support/bootstrap';
import { http } from '../support/http';
import { basic, postForm } from '../support/oauth';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestEnv, freePort, REAL, type TestEnv } from '../support/test-env';

const ROUTE_TIMEOUT_MS = 500;
const ORDER = { currency: 'EUR', items: [{ sku: 'A-1', quantity: 2, unitPriceMinor: 1250 }] };

interface Order {
  id: string;
}

/**
 * A 504 on a write says the gateway stopped waiting, not that nothing happened: the upstream may
 * still complete it. The client's retry with the same Idempotency-Key then answers the order the
 * first request placed, and never places a second one. Orders' database is stalled behind a fault
 * proxy to make the first request outlive its route (the real-services run).
 */
(REAL.postgres ? describe : describe.skip)('faults: a write that outlives its route timeout', () => {
  let testEnv: TestEnv;
  let proxy: TcpProxy;
  const apps: RunningApp[] = [];
  let gateway: RunningApp;
  let token: string;

  const place = (key: string) =>
    http<Order & { error?: string }>(`${gateway.url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(ORDER),
    });
  const mine = async () => (await http<Order[]>(`${gateway.url}/orders?limit=100`, { headers: { authorization: `Bearer ${token}` } })).body;

  beforeAll(async () => {
    const database = new URL(REAL.postgres!);
    proxy = new TcpProxy({ host: database.hostname, port: Number(database.port || 5432) }, await freePort());
    await proxy.start();
    testEnv = await createTestEnv();
    database.host = `127.0.0.1:${proxy.port}`;
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(
      routes,
      `routes:\n  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }\n  - { prefix: /orders, upstream: ORDERS_URL, auth: jwt, tenant: [claim], timeoutMs: ${ROUTE_TIMEOUT_MS} }\n`,
    );
    apps.push(await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } }));
    apps.push(await startApp(ordersApp, { env: { ...testEnv.env, DATABASE_URL: database.toString(), ORDERS_SERVICE_SECRET: SECRETS.ORDERS_SERVICE_SECRET } }));
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: routes } });
    apps.push(gateway);
    const fields = { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'orders:read orders:write' };
    token = (await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, fields, { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) })).body
      .access_token;
  });

  afterAll(async () => {
    proxy?.resume();
    for (const app of apps.reverse()) await app.close();
    await proxy?.stop();
    await testEnv?.cleanup();
  });

  it('answers 504, and the retry with the same key ends with exactly one order for it', async () => {
    const acknowledged = await place('before-the-stall');
    expect(acknowledged.status).toBe(201);

    proxy.silence();
    const timedOut = await place('outlived-its-route');
    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toMatchObject({ error: 'upstream_timeout' });
    proxy.resume();

    // The client retries as the docs say: same key, same request.
    let retried = await place('outlived-its-route');
    for (let attempt = 0; attempt < 20 && retried.status !== 201; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      retried = await place('outlived-its-route');
    }
    // Replayed when the first request committed before the retry looked; placed by the retry when
    // it committed first and the stalled request became the replay. Either way, one order.
    expect(retried.status).toBe(201);

    const orders = await mine();
    expect(orders.filter((order) => order.id === retried.body.id)).toHaveLength(1);
    // One order for the stalled request, and the acknowledged one still there; the retry again
    // now answers that same order, replayed.
    expect(orders.map((order) => order.id).sort()).toEqual([acknowledged.body.id, retried.body.id].sort());
    const again = await place('outlived-its-route');
    expect({ status: again.status, id: again.body.id, replayed: again.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      id: retried.body.id,
      replayed: 'true',
    });
  });
});
