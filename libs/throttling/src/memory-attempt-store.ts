import type { AttemptCount, AttemptStore, AttemptWindow } from './attempt-store';

interface Entry {
  count: number;
  expiresAt: number;
}

// Expired entries are dropped in passing, at most this often, so memory follows live keys only.
const SWEEP_EVERY_MS = 60_000;

/**
 * The attempt store of one instance: what counts when Redis is not set, and what each instance
 * falls back to while Redis fails. Same semantics as the Redis store, so limits read the same.
 */
export class MemoryAttemptStore implements AttemptStore {
  private readonly counters = new Map<string, Entry>();
  private readonly blocks = new Map<string, number>();
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

  private live(entry: Entry | undefined, now: number): Entry | undefined {
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private sweep(): number {
    const now = this.now();
    if (now < this.nextSweep) return now;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this.counters) if (entry.expiresAt <= now) this.counters.delete(key);
    for (const [key, until] of this.blocks) if (until <= now) this.blocks.delete(key);
    return now;
  }
}
