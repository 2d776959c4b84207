/**
 * Drops a map's expired entries a slice at a time, so that no sweep holds the event loop for the
 * whole map: a sweep of a million counters all at once takes a quarter of a second, and every
 * request waits behind it. Each `run` visits about 1/`slices` of the entries (and at least
 * `least`), carrying on from where the last one stopped, so a full pass takes about `slices`
 * runs whatever the map's size (more while it shrinks). An entry added during a pass is visited in the same pass, one removed
 * is skipped: a Map's iterator stays valid under both.
 */
export class IncrementalSweep<V> {
  private cursor: Iterator<[string, V]> | undefined;

  constructor(
    private readonly map: Map<string, V>,
    private readonly expired: (value: V, now: number) => boolean,
    private readonly slices: number,
    private readonly least = 1_000,
  ) {}

  run(now: number): void {
    const cursor = this.cursor ?? this.map.entries();
    for (let budget = Math.ceil(this.map.size / this.slices) + this.least; budget > 0; budget--) {
      const next = cursor.next();
      if (next.done) {
        this.cursor = undefined;
        return;
      }
      const [key, value] = next.value;
      if (this.expired(value, now)) this.map.delete(key);
    }
    this.cursor = cursor;
  }
}
