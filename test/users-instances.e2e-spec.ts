import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { CommonSettings, loadSettings } from '@gatehouse/config';
import { type PingReply, USERS_PATTERN } from '@gatehouse/contracts';
import { messageClientOptions, rpcCall } from '@gatehouse/transport';
import { usersApp } from '../apps/users/src/users.app';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

/**
 * NATS queue groups: instances of one service share its messages. (Stopping one without losing a
 * request is not yet guaranteed: Nest's NATS server unsubscribes instead of draining, so messages
 * already delivered to a stopping instance can be dropped.)
 */
(REAL.nats ? describe : describe.skip)('users: two instances on NATS', () => {
  let testEnv: TestEnv;
  let first: RunningApp;
  let second: RunningApp;
  let client: ClientProxy;

  const ping = () => rpcCall<PingReply>(client, USERS_PATTERN.ping, {}, 3_000);

  beforeAll(async () => {
    testEnv = await createTestEnv();
    first = await startApp(usersApp, { env: testEnv.env, layout: 'platform' });
    second = await startApp(usersApp, { env: { ...testEnv.env, USERS_PORT: String(await freePort()) }, layout: 'platform' });
    client = ClientProxyFactory.create(messageClientOptions(loadSettings(CommonSettings, testEnv.env).settings, 'test', 'users'));
  });

  afterAll(async () => {
    await client?.close();
    await second?.close();
    await first?.close();
    await testEnv?.cleanup();
  });

  it('shares the messages between the instances', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, ping));
    expect(new Set(answers.map((answer) => answer.instance)).size).toBe(2);
  });

  it('loses no request while one instance stops', async () => {
    const outcomes: string[] = [];
    const answeredBy = new Set<string>();
    let running = true;
    const caller = async () => {
      while (running) {
        outcomes.push(
          await ping().then(
            (answer) => (answeredBy.add(answer.instance), 'ok'),
            (error: Error) => error.message,
          ),
        );
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, caller));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await second.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await load;
    expect(answeredBy.size).toBe(2);
    expect(outcomes.length).toBeGreaterThan(50);
    expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
  });
});
