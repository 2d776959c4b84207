/** Milliseconds from a clock that never goes back (wall-clock changes must not stretch a lifetime). */
export type Clock = () => number;

const monotonic: Clock = () => performance.now();

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Rows read on every request (clients, tenants), remembered for a few seconds so a burst of grants
 * asks the database once. What it keeps is shared by concurrent requests: read only.
 *
 * - Only what was found is kept: an unknown key is asked again the next time, so a row created a
 *   moment ago counts at once.
 * - `forget` drops a key this instance has just changed. A read that began before a `forget` is
 *   answered but not kept, since it may hold the row as it was before the change.
 * - A lifetime of 0 turns it off: every call reads.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  // Bumped by every forget; a read that saw another value began before a change.
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: Clock = monotonic,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The remembered value when still fresh, otherwise what `load` answers (kept unless null). */
  async get(key: string, load: (key: string) => Promise<V | null>): Promise<V | null> {
    if (!this.enabled) return load(key);
    const startedAt = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > startedAt) return entry.value;
    if (entry) this.entries.delete(key);
    const generation = this.generation;
    const value = await load(key);
    // The lifetime counts from before the read: the row is at most that old when served.
    if (value !== null && generation === this.generation) this.remember(key, { value, expiresAt: startedAt + this.ttlMs });
    return value;
  }

  forget(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private remember(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(key, entry);
  }

  // Expired entries first; when all are fresh, the oldest inserted (a Map iterates in insertion order).
  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size < this.maxEntries) return;
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
