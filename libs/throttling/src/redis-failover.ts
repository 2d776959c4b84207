import type { RedisConnection } from '@gatehouse/persistence';
import type Redis from 'ioredis';

/**
 * Counters shared through Redis, with each instance's own memory as the fallback: while Redis
 * fails, limits keep applying per instance (never no limit), the switch is logged once each way,
 * and `degraded` lets readiness say so. Kong's `fault_tolerant` and Envoy's `failure_mode_deny`
 * are the two other answers; docs/ARCHITECTURE.md compares them.
 */
// While Redis fails, one call a second tries it again and the rest go straight to memory: a Redis
// that hangs costs one command deadline a second, not one per request.
const RETRY_EVERY_MS = 1_000;

export class RedisFailover {
  private failing = false;
  private retryAt = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly logger: { warn(message: string): void },
    private readonly purpose: string,
  ) {
    // A connection made anew is worth trying at once: the wait is for a Redis that hangs.
    redis.client?.on('ready', () => (this.retryAt = 0));
  }

  /** Whether Redis is configured but the counters are in memory now. */
  get degraded(): boolean {
    return this.failing;
  }

  /** Whether `run` would count in memory without trying Redis: none configured, or failing and not yet due for a retry. */
  get inMemoryNow(): boolean {
    return !this.redis.client || (this.failing && Date.now() < this.retryAt);
  }

  async run<T>(onRedis: (client: Redis) => Promise<T>, inMemory: () => T | Promise<T>): Promise<T> {
    const client = this.redis.client;
    if (!client) return inMemory();
    // Commands fail fast while disconnected (no offline queue); checking first spares the throw.
    if (client.status !== 'ready') return this.fallBack('not connected', inMemory);
    if (this.failing && Date.now() < this.retryAt) return inMemory();
    return this.attempt(client, onRedis, inMemory);
  }

  /** Tries Redis now, whenever the last try was, so that `degraded` clears as soon as it answers. */
  async probe(): Promise<void> {
    const client = this.redis.client;
    if (!client) return;
    if (client.status !== 'ready') {
      void this.fallBack('not connected', () => undefined);
      return;
    }
    await this.attempt(
      client,
      (redis) => redis.ping(),
      () => undefined,
    );
  }

  private async attempt<T>(client: Redis, onRedis: (client: Redis) => Promise<T>, inMemory: () => T | Promise<T>): Promise<T> {
    try {
      const result = await onRedis(client);
      this.recovered();
      return result;
    } catch (error) {
      this.retryAt = Date.now() + RETRY_EVERY_MS;
      return this.fallBack(error instanceof Error ? error.message : String(error), inMemory);
    }
  }

  private fallBack<T>(reason: string, inMemory: () => T | Promise<T>): T | Promise<T> {
    if (!this.failing) {
      this.failing = true;
      this.logger.warn(`Redis failed (${reason}): ${this.purpose} fall back to this instance's memory until it is back`);
    }
    return inMemory();
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.warn(`Redis is back: ${this.purpose} are shared again`);
  }
}
