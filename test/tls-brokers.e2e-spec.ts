import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { generateDevCerts, type DevCertFiles } from '../apps/cli/src/certs/dev-certs';
import { connect } from 'nats';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { ordersApp } from '../apps/orders/src/orders.app';
import { usersApp } from '../apps/users/src/users.app';
import { eventually, http } from './support/http';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const REDIS_SERVER = '/usr/bin/redis-server';
const NATS_SERVER = '/usr/sbin/nats-server';

function startServer(command: string, args: string[]): ChildProcess {
  return spawn(command, args, { stdio: 'ignore' });
}

async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

/**
 * TLS to the brokers by their URLs: NATS on `tls://` and Redis on `rediss://`, each a server of its
 * own here that verifies client certificates, with the services presenting theirs.
 */
(existsSync(REDIS_SERVER) && existsSync(NATS_SERVER) ? describe : describe.skip)('NATS and Redis over TLS', () => {
  let testEnv: TestEnv;
  let certs: DevCertFiles;
  let redis: ChildProcess;
  let nats: ChildProcess;
  let users: RunningApp;
  let orders: RunningApp;
  let app: (name: 'users' | 'orders' | 'gateway') => Record<string, string>;

  beforeAll(async () => {
    const [redisPort, natsPort] = [await freePort(), await freePort()];
    testEnv = await createTestEnv({
      MESSAGE_TRANSPORT: 'nats',
      NATS_URL: `tls://127.0.0.1:${natsPort}`,
      REDIS_URL: `rediss://127.0.0.1:${redisPort}`,
      REDIS_KEY_PREFIX: 'tls-test:',
    });
    certs = await generateDevCerts({ folder: join(testEnv.dataDir, 'certs'), names: ['users', 'orders', 'gateway', 'redis', 'nats'] });
    redis = startServer(REDIS_SERVER, [
      '--port',
      '0',
      '--tls-port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--tls-cert-file',
      certs.certs.redis.cert,
      '--tls-key-file',
      certs.certs.redis.key,
      '--tls-ca-cert-file',
      certs.ca,
      '--tls-auth-clients',
      'yes',
    ]);
    nats = startServer(NATS_SERVER, [
      '-a',
      '127.0.0.1',
      '-p',
      String(natsPort),
      '--tls',
      '--tlscert',
      certs.certs.nats.cert,
      '--tlskey',
      certs.certs.nats.key,
      '--tlscacert',
      certs.ca,
      '--tlsverify',
    ]);
    app = (name: 'users' | 'orders' | 'gateway') => ({
      ...testEnv.env,
      TLS_CA_FILE: certs.ca,
      TRANSPORT_TLS_CERT_FILE: certs.certs[name].cert,
      TRANSPORT_TLS_KEY_FILE: certs.certs[name].key,
    });
    users = await startApp(usersApp, { env: app('users') });
    orders = await startApp(ordersApp, { env: app('orders') });
  }, 90_000);

  afterAll(async () => {
    await orders?.close();
    await users?.close();
    await stopServer(nats);
    await stopServer(redis);
    await testEnv?.cleanup();
  });

  it('carries a call between two services through NATS over TLS', async () => {
    expect(await eventually(async () => (await http(`${orders.url}/orders/health/users`)).status === 200, 15_000)).toBe(true);
  });

  it('reaches Redis over TLS: readiness reports it up, not degraded', async () => {
    type Ready = { details: Record<string, { status: string; detail?: string }> };
    // The gateway keeps its rate limits and internal keys in Redis.
    const gateway = await startApp(gatewayApp, { env: app('gateway') });
    try {
      let redisCheck: unknown;
      await eventually(async () => {
        redisCheck = (await http<Ready>(`${gateway.url}/health/ready`)).body.details.redis;
        return JSON.stringify(redisCheck) === JSON.stringify({ status: 'up' });
      }, 15_000);
      expect(redisCheck).toEqual({ status: 'up' });
    } finally {
      await gateway.close();
    }
  });

  it('an app without a client certificate is refused by both', async () => {
    const refused = await connect({
      servers: testEnv.env.NATS_URL.replace('tls:', 'nats:'),
      tls: { ca: readFileSync(certs.ca, 'utf8') },
      timeout: 3000,
      reconnect: false,
    }).then(
      async (connection) => {
        await connection.close();
        return false;
      },
      () => true,
    );
    expect(refused).toBe(true);
    const bare = await startApp(gatewayApp, { env: { ...testEnv.env, TLS_CA_FILE: certs.ca } });
    try {
      const ready = await http<{ details: Record<string, { status: string; detail?: string }> }>(`${bare.url}/health/ready`);
      expect(ready.body.details.redis.detail).toMatch(/^degraded/);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
