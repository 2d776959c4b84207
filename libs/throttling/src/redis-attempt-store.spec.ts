import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisAttemptStore } from './redis-attempt-store';

// Runs against the real Redis when REDIS_URL is set (CI); the memory store's spec covers the rest.
const url = process.env.REDIS_URL;
const describeWithRedis = url ? describe : describe.skip;

describeWithRedis('RedisAttemptStore', () => {
  let client: Redis;
  let store: RedisAttemptStore;

  beforeAll(() => {
    client = new Redis(url ?? '', { keyPrefix: `test:${randomBytes(4).toString('hex')}:` });
    store = new RedisAttemptStore(client);
  });

  afterAll(async () => {
    await client.quit();
  });

  it('counts fixed windows from the first hit and several keys at once', async () => {
    const [first] = await store.hit([{ key: 'ip', windowMs: 60_000 }]);
    expect(first.count).toBe(1);
    const [again, other] = await store.hit([
      { key: 'ip', windowMs: 60_000 },
      { key: 'other', windowMs: 5_000 },
    ]);
    expect(again.count).toBe(2);
    expect(again.resetInMs).toBeLessThanOrEqual(60_000);
    expect(again.resetInMs).toBeGreaterThan(50_000);
    expect(other).toMatchObject({ count: 1 });
    expect(other.resetInMs).toBeLessThanOrEqual(5_000);
  });

  it('restarts a sliding window on every hit', async () => {
    await store.hit([{ key: 'slide', windowMs: 60_000, sliding: true }]);
    await client.pexpire('slide', 1_000);
    const [count] = await store.hit([{ key: 'slide', windowMs: 60_000, sliding: true }]);
    expect(count.count).toBe(2);
    expect(count.resetInMs).toBeGreaterThan(50_000);
  });

  it('blocks without shortening a longer block, and clears', async () => {
    await store.block('blocked', 30_000);
    await store.block('blocked', 1_000);
    const [blocked, free] = await store.blockedFor(['blocked', 'free']);
    expect(blocked).toBeGreaterThan(20_000);
    expect(free).toBe(0);
    await store.clear(['blocked', 'ip']);
    expect(await store.blockedFor(['blocked'])).toEqual([0]);
    expect((await store.hit([{ key: 'ip', windowMs: 1_000 }]))[0].count).toBe(1);
  });
});
