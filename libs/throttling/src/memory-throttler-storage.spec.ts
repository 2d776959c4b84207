import { MemoryThrottlerStorage } from './memory-throttler-storage';

describe('MemoryThrottlerStorage', () => {
  let storage: MemoryThrottlerStorage;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    storage = new MemoryThrottlerStorage();
  });
  afterEach(() => {
    storage.close();
    jest.useRealTimers();
  });

  const hit = () => storage.increment('k', 10_000, 2, 4_000, 'default');

  it('counts hits in a fixed window and blocks the hit past the limit for the block duration', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toEqual({ totalHits: 3, timeToExpire: 10, isBlocked: true, timeToBlockExpire: 4 });
    jest.advanceTimersByTime(2_000);
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 2 });
  });

  it('starts a new window once the old one has expired', async () => {
    await hit();
    await hit();
    await hit();
    jest.advanceTimersByTime(10_000);
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps keys and throttler names apart', async () => {
    await hit();
    await hit();
    expect((await storage.increment('other', 10_000, 2, 4_000, 'default')).totalHits).toBe(1);
    expect((await storage.increment('k', 10_000, 2, 4_000, 'auth')).totalHits).toBe(1);
  });

  it('drops expired counters within a minute, a slice each second rather than all in one sweep', async () => {
    for (let i = 0; i < 12_000; i++) await storage.increment(`ip:${i}`, 10_000, 2, 4_000, 'default');
    expect(storage.size).toBe(12_000);
    jest.advanceTimersByTime(11_000);
    expect(storage.size).toBeGreaterThan(0);
    expect(storage.size).toBeLessThan(12_000);
    jest.advanceTimersByTime(60_000);
    expect(storage.size).toBe(0);
  });
});
