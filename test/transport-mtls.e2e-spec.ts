import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DomainError } from '@gatehouse/contracts';
import { rpcCall } from '@gatehouse/transport';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { generateDevCerts, type DevCertFiles } from '../apps/cli/src/certs/dev-certs';
import { ordersApp } from '../apps/orders/src/orders.app';
import { usersApp } from '../apps/users/src/users.app';
import { startPlatform } from '../apps/platform/src/platform';
import { http } from './support/http';
import { httpsGet } from './support/https';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const PING = 'users.ping';

/**
 * Mutual TLS on the TCP transport: each app serves and calls with a certificate of the platform's
 * CA, and a caller without one, or with one of another CA, is refused in the handshake.
 */
describe('TCP transport over mutual TLS', () => {
  let testEnv: TestEnv;
  let certs: DevCertFiles;
  let users: RunningApp;
  let orders: RunningApp;
  const clients: ClientProxy[] = [];
  const appEnv = (name: 'users' | 'orders') => ({
    ...testEnv.env,
    TLS_CA_FILE: certs.ca,
    TRANSPORT_TLS_CERT_FILE: certs.certs[name].cert,
    TRANSPORT_TLS_KEY_FILE: certs.certs[name].key,
  });
  const callUsers = (tlsOptions?: Record<string, unknown>, port = Number(testEnv.env.USERS_TCP_PORT)) => {
    const client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port, ...(tlsOptions ? { tlsOptions } : {}) },
    });
    clients.push(client);
    return rpcCall(client, PING, {}, 3000);
  };

  beforeAll(async () => {
    // The TCP transport is what is under test, whatever the run's broker.
    testEnv = await createTestEnv({ MESSAGE_TRANSPORT: 'tcp' });
    certs = await generateDevCerts({ folder: join(testEnv.dataDir, 'certs'), names: ['users', 'orders', 'platform'] });
    users = await startApp(usersApp, { env: appEnv('users') });
    orders = await startApp(ordersApp, { env: appEnv('orders') });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    await orders?.close();
    await users?.close();
    await testEnv?.cleanup();
  });

  it('carries a call between two services, each with its own certificate', async () => {
    const answer = await http(`${orders.url}/orders/health/users`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ service: 'users' });
  });

  it('answers a caller presenting a certificate of the CA', async () => {
    const tls = { ca: readFileSync(certs.ca), cert: readFileSync(certs.certs.orders.cert), key: readFileSync(certs.certs.orders.key) };
    await expect(callUsers(tls)).resolves.toMatchObject({ service: 'users' });
  });

  it('refuses a caller without a certificate, one of another CA, and one without TLS', async () => {
    const refused = (call: Promise<unknown>) => expect(call).rejects.toMatchObject({ code: 'service_unavailable' } satisfies Partial<DomainError>);
    await refused(callUsers({ ca: readFileSync(certs.ca) }));
    const other = await generateDevCerts({ folder: join(testEnv.dataDir, 'other'), names: ['intruder'] });
    await refused(callUsers({ ca: readFileSync(certs.ca), cert: readFileSync(other.certs.intruder.cert), key: readFileSync(other.certs.intruder.key) }));
    await refused(callUsers());
  }, 20_000);

  it('with TRANSPORT_TLS_PEERS, answers only the peers it names', async () => {
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    const strict = await startApp(usersApp, {
      env: { ...appEnv('users'), USERS_PORT: String(httpPort), USERS_TCP_PORT: String(tcpPort), TRANSPORT_TLS_PEERS: 'orders' },
    });
    try {
      const as = (name: 'orders' | 'platform') => ({
        ca: readFileSync(certs.ca),
        cert: readFileSync(certs.certs[name].cert),
        key: readFileSync(certs.certs[name].key),
      });
      await expect(callUsers(as('orders'), tcpPort)).resolves.toMatchObject({ service: 'users' });
      await expect(callUsers(as('platform'), tcpPort)).rejects.toMatchObject({ code: 'service_unavailable' });
    } finally {
      await strict.close();
    }
  }, 30_000);

  it('a certificate without its key is a start-up refusal naming the settings', async () => {
    const error = await startApp(usersApp, { env: { ...appEnv('users'), TRANSPORT_TLS_KEY_FILE: '' } }).catch((failure: Error) => failure);
    expect((error as Error).message).toBe(
      'TRANSPORT_TLS_CERT_FILE is set without TRANSPORT_TLS_KEY_FILE\n  Fix: set both, with TLS_CA_FILE, for mutual TLS on the transport',
    );
  });

  it('the platform runs over mutual TLS, behind the gateway on HTTPS', async () => {
    await orders.close();
    await users.close();
    const gatewayCert = await generateDevCerts({ folder: join(testEnv.dataDir, 'edge'), names: ['gateway'] });
    const platform = await startPlatform({
      env: {
        ...testEnv.env,
        TLS_CA_FILE: certs.ca,
        TRANSPORT_TLS_CERT_FILE: certs.certs.platform.cert,
        TRANSPORT_TLS_KEY_FILE: certs.certs.platform.key,
        TLS_CERT_FILE: gatewayCert.certs.gateway.cert,
        TLS_KEY_FILE: gatewayCert.certs.gateway.key,
        AUTH_ISSUER: `https://127.0.0.1:${testEnv.env.GATEWAY_PORT}`,
      },
    });
    try {
      const byName = (name: string) => platform.find((app) => app.name === name)!;
      expect((await http(`${byName('orders').url}/orders/health/users`)).status).toBe(200);
      const discovery = await httpsGet(`${byName('gateway').url}/.well-known/openid-configuration`, gatewayCert.ca);
      expect(discovery.status).toBe(200);
      expect(JSON.parse(discovery.body)).toMatchObject({ issuer: `https://127.0.0.1:${testEnv.env.GATEWAY_PORT}` });
      await expect(callUsers({ ca: readFileSync(certs.ca) })).rejects.toMatchObject({ code: 'service_unavailable' });
    } finally {
      for (const app of [...platform].reverse()) await app.close();
    }
  }, 120_000);
});
