import { Global, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommonSettings } from '@gatehouse/config';
import Redis from 'ioredis';

/**
 * The app's Redis connection when `REDIS_URL` is set; `client` is null on the in-memory default.
 * Commands fail fast while Redis is down (no offline queue), so callers can fall back at once.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis | null;

  constructor(settings: CommonSettings) {
    this.client = settings.REDIS_URL
      ? new Redis(settings.REDIS_URL, {
          lazyConnect: false,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        })
      : null;
    // Connection errors are reported by the readiness check; an unhandled 'error' would crash.
    this.client?.on('error', () => undefined);
  }

  /** Gives the first connection a moment at start; an app still starts, degraded, without Redis. */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 2000);
      client.once('ready', done);
      function done() {
        clearTimeout(timer);
        client?.off('ready', done);
        resolve();
      }
    });
  }

  get configured(): boolean {
    return this.client !== null;
  }

  async ping(timeoutMs = 1000): Promise<boolean> {
    const client = this.client;
    if (!client) return true;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    if (client.status !== 'ready') return false;
    const pong = client.ping().then((reply) => reply === 'PONG', () => false);
    return Promise.race([pong, timeout]);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client && this.client.status !== 'end') await this.client.quit().catch(() => undefined);
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
