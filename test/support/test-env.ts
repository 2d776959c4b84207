import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_NAMES } from '@gatehouse/contracts';
import { Client } from 'pg';
import { seedEmbeddedFolders } from './embedded-template';

/**
 * The real services a run may use, from the environment: `npm test` sets none of them and runs on
 * the embedded defaults; CI sets them all and runs the same suites again.
 */
export const REAL = {
  postgres: process.env.DATABASE_URL,
  nats: process.env.MESSAGE_TRANSPORT === 'nats' ? (process.env.NATS_URL ?? 'nats://127.0.0.1:4222') : undefined,
  redis: process.env.REDIS_URL,
};

// One port picker for the tests, the bench and the scan: below the kernel's ephemeral range, never
// the same port twice in one process.
import { freePort } from '../../scripts/free-port';

export { freePort };

export interface TestEnv {
  env: Record<string, string>;
  dataDir: string;
  schemaPrefix: string;
  /** Drops this run's schemas (PostgreSQL) and data folder (embedded). */
  cleanup(): Promise<void>;
}

/**
 * Settings for apps started by a test: free ports, a fresh data folder and, on PostgreSQL, a fresh
 * schema prefix, so that runs never see each other's data.
 */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-test-'));
  if (!REAL.postgres) await seedEmbeddedFolders(dataDir);
  const schemaPrefix = REAL.postgres ? `t${randomBytes(4).toString('hex')}_` : '';
  const ports = [];
  for (let i = 0; i < 7; i++) ports.push(await freePort());
  const [gateway, auth, users, orders, usersTcp, authTcp, ordersTcp] = ports.map(String);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    GATEWAY_PORT: gateway,
    // What every app derives when it is unset, written out so that a second gateway a suite starts
    // on another port still names the same issuer.
    AUTH_ISSUER: `http://127.0.0.1:${gateway}`,
    AUTH_PORT: auth,
    USERS_PORT: users,
    ORDERS_PORT: orders,
    USERS_TCP_PORT: usersTcp,
    AUTH_TCP_PORT: authTcp,
    ORDERS_TCP_PORT: ordersTcp,
    // Suites sign in and call far more often from one address and one user than people do: the
    // login limits and the gateway's rate limits are lifted here; the suites about them set their own.
    LOGIN_IP_LIMIT: '100000',
    LOGIN_PAIR_LIMIT: '100000',
    RATE_LIMIT_DEFAULT: '1000000/60',
    RATE_LIMIT_AUTH: '1000000/60',
    RATE_LIMIT_PUBLIC: '1000000/60',
    RATE_LIMIT_TENANT_PLANS: 'default=1000000',
    RATE_LIMIT_GLOBAL: '1000000/1',
    ...(REAL.postgres ? { DATABASE_URL: REAL.postgres, DATABASE_SCHEMA_PREFIX: schemaPrefix } : {}),
    ...(REAL.nats ? { MESSAGE_TRANSPORT: 'nats', NATS_URL: REAL.nats } : {}),
    ...(REAL.redis ? { REDIS_URL: REAL.redis, REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:` } : {}),
    ...overrides,
  };
  return {
    env,
    dataDir,
    schemaPrefix,
    cleanup: async () => {
      if (REAL.postgres && schemaPrefix)
        await dropSchemas(
          REAL.postgres,
          APP_NAMES.map((app) => `${schemaPrefix}${app}`),
        );
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
