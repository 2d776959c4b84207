import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MemoryThrottlerStorage } from './memory-throttler-storage';
import type { RedisFailover } from './redis-failover';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage on Redis (@nest-lab/throttler-storage-redis) when `REDIS_URL` is
 * set, shared by every instance, and the same counting in this instance's memory while Redis fails
 * or is not set.
 */
export class FailoverThrottlerStorage implements ThrottlerStorage {
  private readonly memory = new MemoryThrottlerStorage();
  private shared: ThrottlerStorageRedisService | undefined;

  constructor(private readonly failover: RedisFailover) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    return this.failover.run(
      (client) => {
        this.shared ??= new ThrottlerStorageRedisService(client);
        return this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      },
      () => this.memory.increment(key, ttl, limit, blockDuration, throttlerName),
    );
  }

  /** The same, without a promise while the counters are in memory (no Redis, or Redis failing). */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottlerRecord | Promise<ThrottlerRecord> {
    if (this.failover.inMemoryNow) return this.memory.incrementNow(key, ttl, limit, blockDuration, throttlerName);
    return this.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  close(): void {
    this.memory.close();
  }
}
