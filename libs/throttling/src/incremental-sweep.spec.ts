import { IncrementalSweep } from './incremental-sweep';

const expiring = (count: number, expiresAt: number) => new Map(Array.from({ length: count }, (_, i) => [`k${i}`, expiresAt] as [string, number]));
const expired = (until: number, now: number) => until <= now;

describe('IncrementalSweep', () => {
  it('keeps what has not expired', () => {
    const map = expiring(50, 200);
    const sweep = new IncrementalSweep(map, expired, 10, 0);
    for (let run = 0; run < 20; run++) sweep.run(100);
    expect(map.size).toBe(50);
  });

  it('visits about 1/slices of the entries per run, carrying on where it stopped, and goes round again', () => {
    const map = expiring(100, 100);
    const sweep = new IncrementalSweep(map, expired, 10, 0);
    sweep.run(100);
    expect(map.size).toBe(90);
    sweep.run(100);
    expect(map.size).toBe(81);
    for (let run = 0; run < 40; run++) sweep.run(100);
    expect(map.size).toBe(0);
    map.set('late', 150);
    for (let run = 0; run < 2; run++) sweep.run(200);
    expect(map.size).toBe(0);
  });

  it('visits at least `least` entries, so a small map is swept whole at once', () => {
    const map = expiring(500, 100);
    new IncrementalSweep(map, expired, 60).run(100);
    expect(map.size).toBe(0);
  });

  it('takes entries added or removed during a pass in its stride', () => {
    const map = expiring(100, 100);
    const sweep = new IncrementalSweep(map, expired, 4, 0);
    sweep.run(100);
    map.delete('k30');
    map.set('added', 100);
    for (let run = 0; run < 30; run++) sweep.run(100);
    expect(map.size).toBe(0);
  });
});
