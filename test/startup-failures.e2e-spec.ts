import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { startApp } from '@gatehouse/app-kit';
import { StartupError } from '@gatehouse/config';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { createTestEnv, type TestEnv } from './support/test-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale, entry } = require('../scripts/build-if-stale') as { buildIfStale(): void; entry: string };

const STACK_LINE = /^\s+at /m;

/**
 * A start refused for what an operator can fix says what, where and how, in one block, without a
 * stack trace: asserted on the error each start raises, and on what the process prints.
 */
describe('start-up failures an operator can fix', () => {
  let testEnv: TestEnv;
  const file = (name: string, text: string) => {
    const path = join(testEnv.dataDir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = async (start: Promise<unknown>): Promise<string> => {
    const error: unknown = await start.then(
      () => new Error('started'),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv();
  });

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  it('a bootstrap file that is not YAML: the line and column', async () => {
    const path = file('broken.yaml', 'tenants:\n  - { id: acme, name: Acme\nclients: []\n');
    expect(await refusal(startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: path } }))).toBe(
      `BOOTSTRAP_FILE ${path} is not valid YAML\n  - line 3, column 1: Flow map in block collection must be sufficiently indented and end with a }\n  Fix: correct ${path} at line 3, column 1`,
    );
  });

  it('a bootstrap file using unset variables: each named', async () => {
    const path = file('unset.yaml', 'clients:\n  - { clientId: ops, secret: "${OPS_SECRET}", grantTypes: [client_credentials], scopes: [admin] }\n');
    expect(await refusal(startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: path } }))).toBe(
      `BOOTSTRAP_FILE ${path} uses variables that are not set\n  - \${OPS_SECRET}\n  Fix: set OPS_SECRET in the environment or .env`,
    );
  });

  it('a short client secret and a weak password: each entry', async () => {
    const short = file('short.yaml', 'clients:\n  - { clientId: ops, secret: too-short, grantTypes: [client_credentials], scopes: [admin] }\n');
    expect(await refusal(startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: short } }))).toMatch(
      new RegExp(`^BOOTSTRAP_FILE ${short} is invalid\\n  - clients\\.0\\.secret: .+\\n  Fix: correct these entries of ${short}$`),
    );
    const weak = file(
      'weak.yaml',
      'tenants:\n  - { id: acme, name: Acme }\nusers:\n  - { tenant: acme, username: alice, email: alice@acme.test, password: password1234 }\n',
    );
    expect(await refusal(startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: weak } }))).toBe(
      'BOOTSTRAP_FILE declares weak passwords\n  - acme/alice: The password is a commonly used one.\n  Fix: give these users longer, uncommon passwords (12 characters at least)',
    );
  });

  it('a routes file that is not there', async () => {
    const path = join(testEnv.dataDir, 'no-such-routes.yaml');
    expect(await refusal(startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: path } }))).toBe(
      `GATEWAY_ROUTES_FILE ${path}: no such file\n  Fix: point GATEWAY_ROUTES_FILE at the file, or create it`,
    );
  });

  it('a port in use: which one, and the setting that moves it', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(Number(testEnv.env.GATEWAY_PORT), '127.0.0.1', resolve));
    try {
      expect(await refusal(startApp(gatewayApp, { env: testEnv.env }))).toBe(
        `Port ${testEnv.env.GATEWAY_PORT} on 127.0.0.1 (GATEWAY_PORT) is in use by another process\n  Fix: stop what holds it, or choose another port with GATEWAY_PORT`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('the platform process prints the block alone and exits 1: no stack trace, on stderr or in the log', () => {
    buildIfStale();
    const path = file('process.yaml', 'tenants: [\n');
    const run = spawnSync(process.execPath, [entry], {
      env: { PATH: process.env.PATH, ...testEnv.env, LOG_LEVEL: 'info', BOOTSTRAP_FILE: path },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`\nGatehouse cannot start.\nBOOTSTRAP_FILE ${path} is not valid YAML\n`);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout).not.toMatch(/"level":"(error|fatal)"/);
    expect(run.stdout).not.toContain('"stack"');
  });
});
