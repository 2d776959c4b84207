import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningApp } from '@gatehouse/app-kit';
import { startPlatform } from '../apps/platform/src/platform';
import { eventually, http, type HttpResult } from './support/http';
import { writeOfflineLock, workspaceVersion } from './support/offline-install';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const execute = promisify(execFile);
/** A command's output goes into the failure, so a broken pack, install or compile says why. */
const run = (command: string, args: string[], options: { cwd?: string } = {}) =>
  execute(command, args, { ...options, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
const WORKSPACE = join(__dirname, '..');
const PASSWORD = 'a long enough passphrase for tests';
const CLI_SECRET = 'cli-secret-0123456789abcdefghijklmnopq';
const BILLING_SECRET = 'billing-service-secret-0123456789abcdef';
const BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${CLI_SECRET}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: billing-service, secret: "${BILLING_SECRET}", grantTypes: [client_credentials], scopes: [users:read], audience: users }
users:
  - { tenant: acme, username: ada, email: ada@acme.test, password: "${PASSWORD}", roles: [billing-admin] }
  - { tenant: acme, username: bob, email: bob@acme.test, password: "${PASSWORD}" }
`;
// The Nest packages the fresh app depends on itself; @gatehouse/resource names them as peers.
const APP_DEPENDENCIES = ['@nestjs/common', '@nestjs/core', '@nestjs/microservices', '@nestjs/platform-fastify', 'reflect-metadata', 'rxjs', '@types/node'];

interface Who {
  kind: string;
  subject: string;
  clientId: string;
  tenantId?: string;
  roles: string[];
  scopes: string[];
  username?: string;
  email?: string;
}

/**
 * A team's own Nest service, outside this repository: @gatehouse/resource packed with `npm pack`,
 * installed from the tarball into a fresh app in a temporary folder (offline, from npm's cache),
 * compiled against the package's types, started as its own process, and routed behind the running
 * gateway by an entry of the routes file.
 */
describe('a team brings its own service: @gatehouse/resource from its tarball', () => {
  let folder: string;
  let testEnv: TestEnv;
  let platform: RunningApp[];
  let billing: ChildProcess;
  let gateway: string;
  let direct: string;
  const tokens: Record<string, string> = {};
  let output = '';

  const through = <T = Who>(path: string, who: string, headers: Record<string, string> = {}) =>
    http<T>(`${gateway}${path}`, { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
  const refused = (answer: HttpResult, status: number, error: string) => {
    expect({ status: answer.status, error: (answer.body as { error?: string }).error }).toEqual({ status, error });
    expect(answer.body).toEqual({ error, message: expect.any(String) as string, requestId: expect.any(String) as string });
  };

  /** The team's app in `folder`: the tarball packed, installed offline, the app compiled against it. */
  async function freshApp(): Promise<string> {
    // Packs as a team would receive it: prepack builds the JavaScript and the declarations first.
    const { stdout } = await run('npm', ['pack', '--pack-destination', folder, '--silent'], { cwd: join(WORKSPACE, 'packages/resource') });
    const tarball = stdout.trim().split('\n').pop()!;
    const appDir = join(folder, 'billing');
    mkdirSync(join(appDir, 'src'), { recursive: true });
    const dependencies = Object.fromEntries([
      ['@gatehouse/resource', `file:../${tarball}`],
      ...APP_DEPENDENCIES.map((name) => [name, workspaceVersion(name)]),
    ]) as Record<string, string>;
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'billing', version: '1.0.0', private: true, dependencies }, null, 2));
    writeOfflineLock(appDir, { path: join(folder, tarball), relative: `../${tarball}` });
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: appDir }).catch((error: Error) => {
      throw new Error(`${error.message}\n(npm's cache lacks a package the workspace installed: run npm ci in the workspace once)`);
    });
    copyFileSync(join(__dirname, 'support/own-service/billing.main.ts'), join(appDir, 'src/main.ts'));
    const compilerOptions = {
      module: 'node16',
      target: 'ES2022',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    };
    writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', appDir]);
    return appDir;
  }

  /** The platform, its routes file ending with the team's route to `billingPort`. */
  async function platformRouting(billingPort: number): Promise<RunningApp[]> {
    const bootstrapFile = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(bootstrapFile, BOOTSTRAP);
    const routesFile = join(testEnv.dataDir, 'routes.yaml');
    const shipped = readFileSync(join(WORKSPACE, 'config/gateway.routes.yaml'), 'utf8');
    writeFileSync(routesFile, `${shipped}  - { prefix: /billing, upstream: "http://127.0.0.1:${billingPort}", service: billing, auth: jwt }\n`);
    return startPlatform({ env: { ...testEnv.env, BOOTSTRAP_FILE: bootstrapFile, GATEWAY_ROUTES_FILE: routesFile } });
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gatehouse-own-service-'));
    testEnv = await createTestEnv();
    const billingPort = await freePort();
    // The platform starts in this process while npm and the compiler work in theirs.
    const [appDir, started] = await Promise.allSettled([freshApp(), platformRouting(billingPort)]);
    if (started.status === 'fulfilled') platform = started.value;
    if (appDir.status === 'rejected') throw appDir.reason;
    if (started.status === 'rejected') throw started.reason;
    gateway = platform.find((app) => app.name === 'gateway')!.url;
    const auth = platform.find((app) => app.name === 'auth')!.url;

    billing = spawn(process.execPath, [join(appDir.value, 'dist/main.js')], {
      cwd: appDir.value,
      env: {
        PATH: process.env.PATH,
        PORT: String(billingPort),
        GATEHOUSE_GATEWAY_JWKS_URL: `${gateway}/.well-known/internal-jwks.json`,
        GATEHOUSE_AUTH_URL: auth,
        GATEHOUSE_AUTH_ISSUER: testEnv.env.AUTH_ISSUER,
        BILLING_SERVICE_SECRET: BILLING_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    billing.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    billing.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    direct = `http://127.0.0.1:${billingPort}`;
    if (!(await eventually(() => Promise.resolve(output.includes('billing listening')), 20_000))) throw new Error(`billing did not start:\n${output}`);

    for (const who of ['ada', 'bob']) {
      const answer = await postForm<{ access_token: string }>(
        `${gateway}/oauth/token`,
        { grant_type: 'password', username: who, password: PASSWORD },
        { authorization: basic('acme-cli', CLI_SECRET) },
      );
      tokens[who] = answer.body.access_token;
    }
  }, 300_000);

  afterAll(async () => {
    billing?.kill('SIGTERM');
    for (const app of [...(platform ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
    await rm(folder, { recursive: true, force: true });
  });

  it("the gateway's identity arrives: the principal names the token's subject, tenant, roles, username and email", async () => {
    const answer = await through('/billing/whoami', 'ada');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      kind: 'user',
      subject: decodeJwt(tokens.ada).payload.sub,
      clientId: 'acme-cli',
      tenantId: 'acme',
      roles: ['billing-admin'],
      username: 'ada',
      email: 'ada@acme.test',
    });
  });

  it('a forged identity header changes nothing: the gateway strips it, the service believes only the signed token', async () => {
    const forged = { 'x-user-id': 'someone-else', 'x-user-roles': 'billing-admin', 'x-tenant-id': 'globex', 'x-subject-type': 'user' };
    const whoami = await through('/billing/whoami', 'bob', forged);
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ subject: decodeJwt(tokens.bob).payload.sub, tenantId: 'acme', roles: [] });
    refused(await through('/billing/invoices', 'bob', forged), 403, 'forbidden');
  });

  it('a role check holds: 403 forbidden without the role, 200 with it; a missing scope is 403 insufficient_scope', async () => {
    refused(await through('/billing/invoices', 'bob'), 403, 'forbidden');
    const granted = await through('/billing/invoices', 'ada');
    expect({ status: granted.status, body: granted.body }).toEqual({ status: 200, body: { tenantId: 'acme', invoices: [{ id: 'inv-1', total: 4200 }] } });
    refused(await through('/billing/refunds', 'ada'), 403, 'insufficient_scope');
  });

  it("a direct call without the gateway's token is 401, whatever headers or access token it carries", async () => {
    const noToken = await http(`${direct}/billing/whoami`);
    refused(noToken, 401, 'missing_token');
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    refused(
      await http(`${direct}/billing/whoami`, {
        headers: { 'x-user-id': 'u-1', 'x-subject-type': 'user', 'x-client-id': 'c', 'x-user-roles': 'billing-admin' },
      }),
      401,
      'missing_token',
    );
    // The caller's own access token is no internal token (typ at+jwt, another issuer and audience).
    refused(await http(`${direct}/billing/invoices`, { headers: { authorization: `Bearer ${tokens.ada}` } }), 401, 'invalid_token');
    expect((await http(`${direct}/billing/health`)).body).toEqual({ status: 'ok' });
  });

  it('deny by default: a route that declares nothing is refused, even to a signed-in administrator', async () => {
    refused(await through('/billing/forgotten', 'ada'), 401, 'missing_token');
  });

  it("the service's own calls carry a service token from the auth server (client_credentials)", async () => {
    const answer = await through<Record<string, unknown>>('/billing/service-token', 'ada');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ sub: 'client:billing-service', client_id: 'billing-service', aud: 'users', scope: 'users:read' });
  });
});
