import { MemoryAttemptStore } from './memory-attempt-store';

describe('MemoryAttemptStore', () => {
  let now = 1_000_000;
  const store = () => new MemoryAttemptStore(() => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts within a fixed window from the first hit, then starts again', async () => {
    const attempts = store();
    const window = { key: 'ip', windowMs: 60_000 };
    expect(await attempts.hit([window])).toEqual([{ count: 1, resetInMs: 60_000 }]);
    now += 40_000;
    expect(await attempts.hit([window])).toEqual([{ count: 2, resetInMs: 20_000 }]);
    now += 20_000;
    expect(await attempts.hit([window])).toEqual([{ count: 1, resetInMs: 60_000 }]);
  });

  it('restarts a sliding window on every hit', async () => {
    const attempts = store();
    const window = { key: 'pair', windowMs: 60_000, sliding: true };
    await attempts.hit([window]);
    now += 50_000;
    expect(await attempts.hit([window])).toEqual([{ count: 2, resetInMs: 60_000 }]);
    now += 59_000;
    expect((await attempts.hit([window]))[0].count).toBe(3);
  });

  it('counts several keys at once, each on its own', async () => {
    const attempts = store();
    await attempts.hit([{ key: 'a', windowMs: 1000 }]);
    expect(
      (
        await attempts.hit([
          { key: 'a', windowMs: 1000 },
          { key: 'b', windowMs: 1000 },
        ])
      ).map((count) => count.count),
    ).toEqual([2, 1]);
  });

  it('blocks for a while, never shortening a longer block', async () => {
    const attempts = store();
    await attempts.block('x', 10_000);
    await attempts.block('x', 2_000);
    expect(await attempts.blockedFor(['x', 'y'])).toEqual([10_000, 0]);
    now += 10_000;
    expect(await attempts.blockedFor(['x'])).toEqual([0]);
  });

  it('forgets counters and blocks on clear', async () => {
    const attempts = store();
    await attempts.hit([{ key: 'a', windowMs: 1000 }]);
    await attempts.block('b', 1000);
    await attempts.clear(['a', 'b']);
    expect(await attempts.blockedFor(['b'])).toEqual([0]);
    expect((await attempts.hit([{ key: 'a', windowMs: 1000 }]))[0].count).toBe(1);
  });

  it('drops expired entries in passing, a slice at each sweep and all within a minute of hits', async () => {
    const attempts = store();
    await attempts.hit(Array.from({ length: 12_000 }, (_, i) => ({ key: `ip:${i}`, windowMs: 10_000 })));
    now += 11_000;
    await attempts.hit([{ key: 'live', windowMs: 600_000 }]);
    expect(attempts.size).toBeGreaterThan(1);
    expect(attempts.size).toBeLessThan(12_001);
    for (let second = 0; second < 60; second++) {
      now += 1_000;
      await attempts.blockedFor(['live']);
    }
    expect(attempts.size).toBe(1);
  });
});
