import { Global, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommonSettings, peerTls } from '@gatehouse/config';
import Redis from 'ioredis';

/** `rediss://`: TLS checked against `TLS_CA_FILE` (else the system's CAs), with this app's certificate when set. */
function redisTls(settings: CommonSettings): { tls?: { ca: string; cert?: string; key?: string } } {
  if (!settings.REDIS_URL?.startsWith('rediss://')) return {};
  const tls = peerTls(settings);
  return tls ? { tls } : {};
}

/**
 * The app's Redis connection when `REDIS_URL` is set; `client` is null on the in-memory default.
 * Commands fail fast while Redis is down (no offline queue), so callers can fall back at once,
 * and fail at `REDIS_TIMEOUT_MS` while it is up but silent (a hung server, a black-holed link).
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis | null;
  private subscriber: Redis | undefined;
  private readonly prefix: string;

  constructor(settings: CommonSettings) {
    this.prefix = settings.REDIS_KEY_PREFIX;
    this.client = settings.REDIS_URL
      ? new Redis(settings.REDIS_URL, {
          // Connected in onModuleInit: a start that fails while Nest builds the app (a bad routes
          // file, say) then leaves no socket open behind it.
          lazyConnect: true,
          keyPrefix: settings.REDIS_KEY_PREFIX,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: settings.REDIS_TIMEOUT_MS,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
          ...redisTls(settings),
        })
      : null;
    // Connection errors are reported by the readiness check; an unhandled 'error' would crash.
    this.client?.on('error', () => undefined);
  }

  /** Gives the first connection a moment at start; an app still starts, degraded, without Redis. */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'ready') return;
    // Failures are the readiness check's to report; ioredis keeps retrying by itself.
    if (client.status === 'wait') void client.connect().catch(() => undefined);
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

  /** Whether Redis answers a PING within the command deadline. */
  async ping(): Promise<boolean> {
    const client = this.client;
    if (!client) return true;
    if (client.status !== 'ready') return false;
    return client.ping().then(
      (reply) => reply === 'PONG',
      () => false,
    );
  }

  /**
   * A notice to every instance subscribed to `topic` (pub/sub, channel under `REDIS_KEY_PREFIX`).
   * Fire and forget: without Redis, or while it is down, nothing is sent, so a listener needs a
   * bound of its own (a TTL).
   */
  async publish(topic: string, message: string): Promise<void> {
    const client = this.client;
    if (!client || client.status !== 'ready') return;
    await client.publish(`${this.prefix}${topic}`, message).catch(() => undefined);
  }

  /** Calls `listener` on each notice of `topic`; on a second connection, which resubscribes after a reconnect. */
  subscribe(topic: string, listener: (message: string) => void): void {
    if (!this.client) return;
    const channel = `${this.prefix}${topic}`;
    if (!this.subscriber) {
      // No command deadline here: a SUBSCRIBE that timed out might still take effect, unseen.
      this.subscriber = this.client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
      this.subscriber.on('error', () => undefined);
    }
    this.subscriber.on('message', (from: string, message: string) => {
      if (from === channel) listener(message);
    });
    void this.subscriber.subscribe(channel).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    const client = this.client;
    if (!client || client.status === 'end') return;
    // QUIT waits for a connection that may never come back; a broken link is just dropped.
    if (client.status === 'ready') await client.quit().catch(() => undefined);
    else client.disconnect();
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
