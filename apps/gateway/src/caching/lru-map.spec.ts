import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('drops the least recently used past its capacity, a read counting as a use', () => {
    const map = new LruMap<number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBe(1);
    map.set('d', 4);
    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect([...map.entries()].map(([key]) => key)).toEqual(['c', 'a', 'd']);
  });

  it('peeks without changing the order, and replaces a value in place as a use', () => {
    const map = new LruMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.peek('a')).toBe(1);
    map.set('c', 3);
    expect(map.peek('a')).toBeUndefined();
    map.set('b', 20);
    map.set('d', 4);
    expect([...map.entries()]).toEqual([
      ['b', 20],
      ['d', 4],
    ]);
  });

  it('deletes from anywhere in the order, and clears', () => {
    const map = new LruMap<number>(5);
    for (const key of ['a', 'b', 'c', 'd']) map.set(key, 0);
    map.delete('a');
    map.delete('c');
    map.delete('d');
    map.delete('missing');
    expect([...map.entries()].map(([key]) => key)).toEqual(['b']);
    map.set('e', 0);
    expect([...map.entries()].map(([key]) => key)).toEqual(['b', 'e']);
    map.clear();
    expect(map.size).toBe(0);
    expect([...map.entries()]).toEqual([]);
  });

  it('holds nothing with capacity 0', () => {
    const map = new LruMap<number>(0);
    map.set('a', 1);
    expect(map.get('a')).toBeUndefined();
  });

  it('keeps a long run of insertions past capacity at its bound, in order', () => {
    const map = new LruMap<number>(100);
    for (let i = 0; i < 10_000; i++) map.set(`k${i}`, i);
    expect(map.size).toBe(100);
    expect([...map.entries()][0]).toEqual(['k9900', 9900]);
  });
});
