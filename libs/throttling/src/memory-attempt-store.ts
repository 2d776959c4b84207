import type { AttemptCount, AttemptStore, AttemptWindow } from './attempt-store';
import { IncrementalSweep } from './incremental-sweep';

interface Entry {
  count: number;
  expiresAt: number;
}

// Expired entries are dropped in passing, a slice at most this often and all within a minute, so
// memory follows live keys only and no request waits for a sweep of the whole map.
const SWEEP_EVERY_MS = 1_000;
const SWEEPS_PER_PASS = 60;

/**
 * The attempt store of one instance: what counts when Redis is not set, and what each instance
 * falls back to while Redis fails. Same semantics as the Redis store, so limits read the same.
 */
export class MemoryAttemptStore implements AttemptStore {
  private readonly counters = new Map<string, Entry>();
  private readonly blocks = new Map<string, number>();
  private readonly expiredCounters = new IncrementalSweep(this.counters, (entry, now) => entry.expiresAt <= now, SWEEPS_PER_PASS);
  private readonly expiredBlocks = new IncrementalSweep(this.blocks, (until, now) => until <= now, SWEEPS_PER_PASS);
  private nextSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.nextSweep = now() + SWEEP_EVERY_MS;
  }

  hit(windows: readonly AttemptWindow[]): Promise<AttemptCount[]> {
    const now = this.sweep();
    return Promise.resolve(
      windows.map(({ key, windowMs, sliding }) => {
        const live = this.live(this.counters.get(key), now);
        const entry = live ?? { count: 0, expiresAt: now + windowMs };
        entry.count += 1;
        if (sliding) entry.expiresAt = now + windowMs;
        this.counters.set(key, entry);
        return { count: entry.count, resetInMs: entry.expiresAt - now };
      }),
    );
  }

  blockedFor(keys: readonly string[]): Promise<number[]> {
    const now = this.sweep();
    return Promise.resolve(keys.map((key) => Math.max(0, (this.blocks.get(key) ?? 0) - now)));
  }

  block(key: string, ms: number): Promise<void> {
    const until = this.sweep() + ms;
    if ((this.blocks.get(key) ?? 0) < until) this.blocks.set(key, until);
    return Promise.resolve();
  }

  clear(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.counters.delete(key);
      this.blocks.delete(key);
    }
    return Promise.resolve();
  }

  /** Counters and blocks held, the expired ones not yet swept included. */
  get size(): number {
    return this.counters.size + this.blocks.size;
  }

  private live(entry: Entry | undefined, now: number): Entry | undefined {
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private sweep(): number {
    const now = this.now();
    if (now < this.nextSweep) return now;
    this.nextSweep = now + SWEEP_EVERY_MS;
    this.expiredCounters.run(now);
    this.expiredBlocks.run(now);
    return now;
  }
}
