import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../../apps/auth/src/auth.app';
import { gatewayApp } from '../../apps/gateway/src/gateway.app';
import { usersApp } from '../../apps/users/src/users.app';
import { referenceBootstrap, SECRETS } from '../support/bootstrap';
import { http } from '../support/http';
import { basic, postForm } from '../support/oauth';
import { createTestEnv, freePort, REAL, type TestEnv } from '../support/test-env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fault drills on the gateway's internal keys: users must never see an internal token signed with
 * a key it cannot find, whether the gateway restarts under load or a new pair of replicas replaces
 * it. A request sent while no gateway listens may fail to connect; no answer may be a 401, which
 * clients read as "sign in again".
 */
describe('faults: gateway restarts and replicas never log anyone out', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  const gateways = new Set<RunningApp>();
  let token: string;

  const startGateway = async (port = testEnv.env.GATEWAY_PORT) => {
    const gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_PORT: port } });
    gateways.add(gateway);
    return gateway;
  };
  const stopGateway = async (gateway: RunningApp) => {
    gateways.delete(gateway);
    await gateway.close();
  };

  /**
   * Calls `GET /users/me` through the given gateway ports until stopped; answers every outcome.
   * `down` is a refused connection, or the 503 a closing server sends on a kept-alive connection
   * with `Connection: close` (the same moment, seen one request later).
   */
  const steadyLoad = (ports: () => string[], workers = 4) => {
    const outcomes: (number | 'down')[] = [];
    let running = true;
    const worker = async (n: number) => {
      for (let i = n; running; i++) {
        const list = ports();
        const port = list[i % list.length];
        const answer = await http(`http://127.0.0.1:${port}/users/me`, { headers: { authorization: `Bearer ${token}` } }).then(
          (reply) => (reply.status === 503 && reply.headers.get('connection') === 'close' ? ('down' as const) : reply.status),
          () => 'down' as const,
        );
        outcomes.push(answer);
        if (answer === 'down') await sleep(20);
      }
    };
    const done = Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));
    return {
      outcomes,
      stop: async () => {
        running = false;
        await done;
        return outcomes;
      },
    };
  };

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: 'http://gateway.test' });
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    users = await startApp(usersApp, { env: testEnv.env });
    await startGateway();
    const answer = await postForm<{ access_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'profile' },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    token = answer.body.access_token;
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('answers no 401 while the gateway restarts three times in 20 s under steady load', async () => {
    const port = testEnv.env.GATEWAY_PORT;
    const load = steadyLoad(() => [port]);
    await sleep(1_000);
    const firstStop = Date.now();
    for (let restart = 0; restart < 3; restart++) {
      if (restart > 0) await sleep(2_500);
      await stopGateway([...gateways][0]);
      await startGateway(port);
    }
    const restartedWithin = Date.now() - firstStop;
    await sleep(2_000);
    const outcomes = await load.stop();
    expect(restartedWithin).toBeLessThan(20_000);
    expect(outcomes.filter((status) => status === 200).length).toBeGreaterThan(50);
    expect(outcomes.filter((status) => status !== 200 && status !== 'down')).toEqual([]);
  });

  // With Redis the replicas share their keys through it; on the embedded defaults through the
  // gateway's data folder, which both replicas of this test share.
  it(`answers no 401 when two replicas start together in place of the running gateway (${REAL.redis ? 'Redis' : 'shared data folder'})`, async () => {
    const first = testEnv.env.GATEWAY_PORT;
    const second = String(await freePort());
    let ports = [first];
    const load = steadyLoad(() => ports);
    await sleep(1_000);
    await stopGateway([...gateways][0]);
    await Promise.all([startGateway(first), startGateway(second)]);
    ports = [first, second];
    await sleep(3_000);
    const outcomes = await load.stop();
    expect(outcomes.filter((status) => status === 200).length).toBeGreaterThan(50);
    expect(outcomes.filter((status) => status !== 200 && status !== 'down')).toEqual([]);
  });
});
