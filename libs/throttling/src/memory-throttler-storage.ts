import type { ThrottlerStorage } from '@nestjs/throttler';
import { IncrementalSweep } from './incremental-sweep';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// Expired counters go within a minute: a slice of them every second, never the whole map at once.
const SWEEP_EVERY_MS = 1_000;
const SWEEPS_PER_PASS = 60;

/**
 * The in-memory counterpart of @nest-lab/throttler-storage-redis: the same fixed window and the
 * same block (the hit past the limit blocks the key for `blockDuration`), so a fallback to memory
 * changes where counters live, not what a limit means. @nestjs/throttler's own memory storage
 * keeps a sliding log instead, and filters every hit of a key on each request: a limit of 10,000
 * per second would cost 10,000 comparisons per request.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, { hits: number; expiresAt: number }>();
  private readonly blocks = new Map<string, number>();
  private readonly expiredWindows = new IncrementalSweep(this.windows, (window, now) => window.expiresAt <= now, SWEEPS_PER_PASS);
  private readonly expiredBlocks = new IncrementalSweep(this.blocks, (until, now) => until <= now, SWEEPS_PER_PASS);
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    return Promise.resolve(this.incrementNow(key, ttl, limit, blockDuration, throttlerName));
  }

  /** The same count, answered at once: the gateway's hot path takes no promise for it. */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottlerRecord {
    const now = Date.now();
    const id = `${key}:${throttlerName}`;
    let window = this.windows.get(id);
    if (!window || window.expiresAt <= now) {
      window = { hits: 0, expiresAt: now + ttl };
      this.windows.set(id, window);
    }
    window.hits += 1;
    let blockedUntil = this.blocks.get(id);
    if (blockedUntil !== undefined && blockedUntil <= now) blockedUntil = undefined;
    if (blockedUntil === undefined && window.hits > limit) {
      blockedUntil = now + blockDuration;
      this.blocks.set(id, blockedUntil);
    }
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked: blockedUntil !== undefined,
      timeToBlockExpire: blockedUntil === undefined ? 0 : Math.ceil((blockedUntil - now) / 1000),
    };
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  /** Counters and blocks held, the expired ones not yet swept included. */
  get size(): number {
    return this.windows.size + this.blocks.size;
  }

  private sweep(now = Date.now()): void {
    this.expiredWindows.run(now);
    this.expiredBlocks.run(now);
  }
}
