import type { RedisConnection } from '@gatehouse/persistence';
import type Redis from 'ioredis';

/**
 * Counters shared through Redis, with each instance's own memory as the fallback: while Redis
 * fails, limits keep applying per instance (never no limit), the switch is logged once each way,
 * and `degraded` lets readiness say so. Kong's `fault_tolerant` and Envoy's `failure_mode_deny`
 * are the two other answers; docs/ARCHITECTURE.md compares them.
 */
export class RedisFailover {
  private failing = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly logger: { warn(message: string): void },
    private readonly purpose: string,
  ) {}

  /** Whether Redis is configured but the counters are in memory now. */
  get degraded(): boolean {
    return this.failing;
  }

  async run<T>(onRedis: (client: Redis) => Promise<T>, inMemory: () => T | Promise<T>): Promise<T> {
    const client = this.redis.client;
    if (!client) return inMemory();
    // Commands fail fast while disconnected (no offline queue); checking first spares the throw.
    if (client.status !== 'ready') return this.fallBack('not connected', inMemory);
    try {
      const result = await onRedis(client);
      this.recovered();
      return result;
    } catch (error) {
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
