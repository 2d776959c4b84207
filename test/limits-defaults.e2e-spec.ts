import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { EchoUpstream } from './support/echo-upstream';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

/** The settings every other suite lifts (test/support/test-env.ts), back at their shipped defaults. */
const LIFTED = [
  'LOGIN_IP_LIMIT',
  'LOGIN_PAIR_LIMIT',
  'RATE_LIMIT_DEFAULT',
  'RATE_LIMIT_AUTH',
  'RATE_LIMIT_PUBLIC',
  'RATE_LIMIT_TENANT_PLANS',
  'RATE_LIMIT_GLOBAL',
];

/** The shipped defaults hold: the gateway's `auth` class at 60 a minute, auth's logins at 10 a minute per address. */
describe('rate limits and login limits at their shipped defaults', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    const env = Object.fromEntries(Object.entries(testEnv.env).filter(([name]) => !LIFTED.includes(name)));
    writeFileSync(join(testEnv.dataDir, 'routes.yaml'), 'routes:\n  - { prefix: /signin, upstream: USERS_URL, auth: public, rateLimit: auth }\n');
    auth = await startApp(authApp, { env: { ...env, ...referenceBootstrap(testEnv.dataDir) } });
    gateway = await startApp(gatewayApp, { env: { ...env, GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'), USERS_URL: upstreamUrl } });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('the gateway lets 60 requests a minute of one address through an auth-class route, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await fetch(`${gateway.url}/signin/x`)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(60);
    const refused = await fetch(`${gateway.url}/signin/x`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe('60');
  });

  it('auth refuses the 11th login of one address within a minute, whoever it names', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const answer = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: `nobody-${i}`, password: 'wrong password, long enough' },
        { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
      );
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(400), 429]);
  });
});
