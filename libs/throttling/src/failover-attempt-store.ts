import type { AttemptCount, AttemptStore, AttemptWindow } from './attempt-store';
import { MemoryAttemptStore } from './memory-attempt-store';
import type { RedisFailover } from './redis-failover';
import { RedisAttemptStore } from './redis-attempt-store';

/**
 * Attempt counters on Redis when `REDIS_URL` is set, shared by every instance, and in this
 * instance's memory while Redis fails or is not set: limits keep applying, per instance, during an
 * outage. What was counted in memory stays there; Redis takes over again with its own counts.
 */
export class FailoverAttemptStore implements AttemptStore {
  private readonly memory: MemoryAttemptStore;
  private shared: RedisAttemptStore | undefined;

  constructor(
    private readonly failover: RedisFailover,
    now: () => number = Date.now,
  ) {
    this.memory = new MemoryAttemptStore(now);
  }

  /** Whether Redis is configured but the counters are in memory now. */
  get degraded(): boolean {
    return this.failover.degraded;
  }

  /** Tries Redis once, so that `degraded` clears when Redis is back even with no attempt to count. */
  probe(): Promise<void> {
    return this.failover.probe();
  }

  hit(windows: readonly AttemptWindow[]): Promise<AttemptCount[]> {
    return this.failover.run(
      (client) => this.redis(client).hit(windows),
      () => this.memory.hit(windows),
    );
  }

  blockedFor(keys: readonly string[]): Promise<number[]> {
    return this.failover.run(
      (client) => this.redis(client).blockedFor(keys),
      () => this.memory.blockedFor(keys),
    );
  }

  block(key: string, ms: number): Promise<void> {
    return this.failover.run(
      (client) => this.redis(client).block(key, ms),
      () => this.memory.block(key, ms),
    );
  }

  clear(keys: readonly string[]): Promise<void> {
    return this.failover.run(
      (client) => this.redis(client).clear(keys),
      () => this.memory.clear(keys),
    );
  }

  private redis(client: ConstructorParameters<typeof RedisAttemptStore>[0]): RedisAttemptStore {
    this.shared ??= new RedisAttemptStore(client);
    return this.shared;
  }
}
