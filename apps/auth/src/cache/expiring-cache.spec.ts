import { ExpiringCache } from './expiring-cache';

/** A loader that counts its reads and answers what `rows` holds at the time. */
function source(rows: Map<string, string>) {
  const calls: string[] = [];
  const load = (key: string) => {
    calls.push(key);
    return Promise.resolve(rows.get(key) ?? null);
  };
  return { calls, load };
}

describe('ExpiringCache', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('reads once within the lifetime, and again once it has passed', async () => {
    const rows = new Map([['a', 'one']]);
    const { calls, load } = source(rows);
    const cache = new ExpiringCache<string>(5_000, 100, clock);
    expect(await cache.get('a', load)).toBe('one');
    rows.set('a', 'two');
    now += 4_999;
    expect(await cache.get('a', load)).toBe('one');
    now += 1;
    expect(await cache.get('a', load)).toBe('two');
    expect(calls).toEqual(['a', 'a']);
  });

  it('never keeps what was not found, so a row created since is seen at once', async () => {
    const rows = new Map<string, string>();
    const { calls, load } = source(rows);
    const cache = new ExpiringCache<string>(5_000, 100, clock);
    expect(await cache.get('new', load)).toBeNull();
    rows.set('new', 'created');
    expect(await cache.get('new', load)).toBe('created');
    expect(calls).toEqual(['new', 'new']);
    expect(cache.size).toBe(1);
  });

  it('reads afresh a key it was told to forget, and only that key', async () => {
    const rows = new Map([
      ['a', 'one'],
      ['b', 'bee'],
    ]);
    const { calls, load } = source(rows);
    const cache = new ExpiringCache<string>(5_000, 100, clock);
    await cache.get('a', load);
    await cache.get('b', load);
    rows.set('a', 'rotated');
    rows.set('b', 'changed elsewhere');
    cache.forget('a');
    expect(await cache.get('a', load)).toBe('rotated');
    expect(await cache.get('b', load)).toBe('bee');
    expect(calls).toEqual(['a', 'b', 'a']);
  });

  it('does not keep a read that began before a forget: it may hold the row as it was', async () => {
    let release!: (value: string) => void;
    const cache = new ExpiringCache<string>(5_000, 100, clock);
    const slow = cache.get('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.forget('a');
    release('before the change');
    expect(await slow).toBe('before the change');
    expect(await cache.get('a', () => Promise.resolve('after the change'))).toBe('after the change');
  });

  it('reads every time with a lifetime of 0', async () => {
    const { calls, load } = source(new Map([['a', 'one']]));
    const cache = new ExpiringCache<string>(0, 100, clock);
    await cache.get('a', load);
    await cache.get('a', load);
    expect(calls).toEqual(['a', 'a']);
    expect(cache.enabled).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('holds at most its bound: expired entries go first, then the oldest', async () => {
    const { load } = source(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
        ['c', 'C'],
        ['d', 'D'],
      ]),
    );
    const cache = new ExpiringCache<string>(5_000, 2, clock);
    await cache.get('a', load);
    now += 3_000;
    await cache.get('b', load);
    now += 2_500; // a has expired, b has not
    await cache.get('c', load);
    expect(cache.size).toBe(2);
    await cache.get('d', load); // both fresh: b, the oldest, goes
    const { calls, load: counting } = source(
      new Map([
        ['b', 'B'],
        ['c', 'C'],
        ['d', 'D'],
      ]),
    );
    await cache.get('c', counting);
    await cache.get('d', counting);
    await cache.get('b', counting);
    expect(calls).toEqual(['b']);
  });

  it('forgets everything on clear', async () => {
    const { calls, load } = source(new Map([['a', 'one']]));
    const cache = new ExpiringCache<string>(5_000, 100, clock);
    await cache.get('a', load);
    cache.clear();
    await cache.get('a', load);
    expect(calls).toEqual(['a', 'a']);
  });

  describe('on its default clock', () => {
    afterEach(() => jest.useRealTimers());

    it('expires as time passes', async () => {
      jest.useFakeTimers();
      const rows = new Map([['a', 'one']]);
      const { calls, load } = source(rows);
      const cache = new ExpiringCache<string>(5_000);
      await cache.get('a', load);
      jest.advanceTimersByTime(4_000);
      await cache.get('a', load);
      expect(calls).toHaveLength(1);
      jest.advanceTimersByTime(1_001);
      await cache.get('a', load);
      expect(calls).toHaveLength(2);
    });
  });
});
