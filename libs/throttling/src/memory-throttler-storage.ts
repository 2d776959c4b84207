import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const SWEEP_INTERVAL_MS = 60_000;

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
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

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

  private sweep(now = Date.now()): void {
    for (const [id, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(id);
    for (const [id, until] of this.blocks) if (until <= now) this.blocks.delete(id);
  }
}
