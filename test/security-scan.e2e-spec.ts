import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { usersApp } from '../apps/users/src/users.app';
import { REFERENCE_BOOTSTRAP, referenceBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { basic, postForm } from './support/oauth';
import { TestIssuer } from './support/test-issuer';
import { createTestEnv, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /.well-known, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /users, upstream: USERS_URL, auth: jwt, tenant: [subdomain, path, header, claim] }
  - { prefix: /echo, upstream: ORDERS_URL, auth: jwt, tenant: [path, claim] }
`;

interface ScanRow {
  case: string;
  variant?: string;
  source: string;
  expected: string;
  got: string;
  outcome: 'pass' | 'finding' | 'skipped' | 'not-run';
  detail?: string;
}
interface ScanJson {
  target: string;
  route: string;
  requests: number;
  requestLimit: number;
  findings: number;
  results: ScanRow[];
}
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A gateway stand-in that lets every bearer token through and sends every header on: what the scan exists to catch. */
function vulnerableGateway(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const authorized = typeof request.headers.authorization === 'string';
    response.writeHead(request.url === '/.well-known/jwks.json' || authorized ? 200 : 401, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(request.url === '/.well-known/jwks.json' ? { keys: [] } : authorized ? { headers: request.headers } : { error: 'missing_token' }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('gatehouse scan: the attack catalogue against the platform', () => {
  let testEnv: TestEnv;
  let echo: EchoUpstream;
  let auth: RunningApp;
  let users: RunningApp;
  let gateway: RunningApp;
  const idp = new TestIssuer();
  let cliDir: string;
  let alice: string;

  /** The CLI as built, in a child process: exit code and output, never a throw. */
  const scan = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [join(cliDir, 'main.js'), 'scan', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const json = (run: Run) => JSON.parse(run.stdout) as ScanJson;
  const rows = (report: ScanJson, outcome: ScanRow['outcome']) =>
    report.results.filter((row) => row.outcome === outcome).map((row) => `${row.case} ${row.variant ?? ''}: ${row.got} ${row.detail ?? ''}`);

  beforeAll(async () => {
    // Compiled from the sources as `npm run build` does, so the suite runs the program it ships.
    cliDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'apps/cli/tsconfig.app.json', '--outDir', cliDir], {
      cwd: join(__dirname, '..'),
    });
    await idp.start();
    echo = new EchoUpstream();
    const echoUrl = await echo.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const bootstrap = referenceBootstrap(testEnv.dataDir);
    writeFileSync(
      bootstrap.BOOTSTRAP_FILE,
      REFERENCE_BOOTSTRAP.replace(
        'tenants:\n',
        `tenants:\n  - { id: globex, name: Globex }\n  - { id: initech, name: Initech, identityProvider: { issuer: "${idp.url}", jwksUri: "${idp.url}/jwks", audience: initech-api } }\n`,
      ),
    );
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...bootstrap } });
    users = await startApp(usersApp, { env: testEnv.env });
    gateway = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'),
        ORDERS_URL: echoUrl,
        GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET,
      },
    });
    const login = { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'profile' };
    alice = (await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, login, { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) })).body
      .access_token;
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await users?.close();
    await auth?.close();
    await echo?.close();
    await idp.close();
    await testEnv?.cleanup();
    if (cliDir) rmSync(cliDir, { recursive: true, force: true });
  });

  it('finds nothing on the platform, and reports every case with its source (JSON and JUnit)', async () => {
    const junit = join(testEnv.dataDir, 'scan.xml');
    const run = await scan([
      '--target',
      gateway.url,
      '--token',
      alice,
      '--route',
      '/users/me',
      '--echo-route',
      '/echo/headers',
      '--other-tenant',
      'globex',
      '--json',
      '--junit',
      junit,
    ]);
    const report = json(run);
    expect({ code: run.code, findings: rows(report, 'finding') }).toEqual({ code: 0, findings: [] });
    expect(report).toMatchObject({ target: gateway.url, route: '/users/me', findings: 0, requestLimit: 150 });
    expect(report.requests).toBeLessThanOrEqual(report.requestLimit);
    for (const row of report.results)
      expect(row).toMatchObject({
        case: expect.any(String),
        source: expect.stringMatching(/RFC|CVE/),
        outcome: expect.stringMatching(/^(pass|skipped|not-run)$/),
      });
    expect(rows(report, 'skipped')).toEqual([]);
    const passed = new Set(report.results.filter((row) => row.outcome === 'pass').map((row) => row.case));
    for (const id of [
      'alg-nOnE',
      'hmac-key-confusion-hs256',
      'jku-loopback',
      'pbes2-p2c-bomb',
      'two-authorization-headers',
      'base64-non-canonical',
      'forwarded-x-forwarded-for',
      'forwarded-forwarded',
      'forwarded-x-real-ip',
      'cross-tenant',
      'identity-headers-with-token',
    ])
      expect(passed).toContain(id);
    expect(report.results.find((row) => row.case === 'alg-none')).toMatchObject({ expected: '401 invalid_token', got: '401 invalid_token' });
    expect(report.results.find((row) => row.case === 'cross-tenant')).toMatchObject({ got: '403 tenant_mismatch' });
    expect(report.results.find((row) => row.case === 'oversize-token')).toMatchObject({ got: '401 invalid_token' });
    // Without --issuer-key the claim checks say so, never pass silently.
    expect(report.results.find((row) => row.case === 'claim-expired')).toMatchObject({ outcome: 'not-run', detail: 'needs --issuer-key' });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`tests="${report.results.length}" failures="0"`);
    expect(xml).toMatch(/<testcase classname="gatehouse.scan" name="forwarded-x-real-ip: [^"]*"><\/testcase>/);
  });

  it("with a trusted issuer's key, the claim checks: each signed right, each refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = idp.sign({ iss: idp.url, aud: 'initech-api', sub: 'kc-user-42', exp: now + 600, iat: now, jti: 'scan-1', scope: 'profile' }, 'at+jwt');
    const keyFile = join(testEnv.dataDir, 'issuer.pem');
    writeFileSync(keyFile, idp.privateKeyPem());
    const run = await scan(['--target', gateway.url, '--token', token, '--route', '/echo/me', '--issuer-key', keyFile, '--json']);
    const report = json(run);
    expect({ code: run.code, findings: rows(report, 'finding') }).toEqual({ code: 0, findings: [] });
    const claims = report.results.filter((row) => row.case.startsWith('claim-'));
    expect(claims.map((row) => [row.case, row.outcome])).toEqual(
      ['expired', 'not-yet-valid', 'wrong-iss', 'wrong-aud', 'missing-exp', 'missing-sub', 'exp-string', 'other-issuer'].map((name) => [
        `claim-${name}`,
        'pass',
      ]),
    );
    expect(claims.find((row) => row.case === 'claim-expired')?.got).toBe('401 token_expired');
    // Refused on its typ or its key, whichever the platform's verifier reads first.
    expect(claims.find((row) => row.case === 'claim-other-issuer')?.got).toMatch(/^401 (invalid_token|unknown_signing_key)$/);
  });

  it('detects a vulnerable target: alg none let through, identity and forwarding headers passed on', async () => {
    const { url, server } = await vulnerableGateway();
    try {
      const run = await scan(['--target', url, '--token', alice, '--route', '/users/me', '--echo-route', '/echo', '--json']);
      const report = json(run);
      expect(run.code).toBe(1);
      const found = (id: string) => report.results.filter((row) => row.case === id).map((row) => row.outcome);
      expect(found('alg-none')).toEqual(['finding']);
      expect(found('forwarded-x-real-ip')).toEqual(['finding']);
      expect(found('forwarded-forwarded')).toEqual(['finding']);
      expect(found('identity-headers-with-token')).toContain('finding');
      expect(report.results.find((row) => row.case === 'alg-none')).toMatchObject({ got: '200', detail: 'accepted: the attack got through' });
      expect(found('hmac-key-confusion-hs256')).toEqual(['not-run']);
      expect(report.findings).toBe(report.results.filter((row) => row.outcome === 'finding').length);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops with exit 2, scanning nothing, when the control request with the token fails', async () => {
    const [header, payload] = alice.split('.');
    const run = await scan(['--target', gateway.url, '--token', `${header}.${payload}.AAAA`, '--json']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain('the control request GET /users/me with the token answered 401 invalid_token, not 2xx');
    expect(run.stderr).not.toContain(payload);
  });
});
