import type { CommonSettings } from '@gatehouse/config';
import { connect as connectNats, type NatsConnection } from 'nats';
import { natsConnectionOptions } from './transport-options';

/** What a broadcast needs of Redis: pub/sub under the app's key prefix (RedisConnection fits). */
export interface PubSubChannel {
  readonly configured: boolean;
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, listener: (message: string) => void): void;
}

type Listener = (message: string) => void;

// Apps started in one process (the platform, the tests) hear each other here. Keyed by auth's
// port as well, so two platforms in one process never do.
const inProcess = new Map<string, Set<Listener>>();

/**
 * A message to every instance listening on a topic, never to one of a group: over NATS when
 * `MESSAGE_TRANSPORT=nats` (a plain subscription, no queue group), else over Redis pub/sub when
 * Redis is configured, else to the listeners in this process (the platform, where every app
 * shares one). Fire and forget: whoever listens needs a way to notice what it missed.
 */
export class Broadcast {
  private nats?: Promise<NatsConnection>;
  private connected?: NatsConnection;
  private readonly listeners: { topic: string; listener: Listener }[] = [];
  private closed = false;

  constructor(
    private readonly settings: CommonSettings,
    private readonly redis: PubSubChannel,
    private readonly name: string,
  ) {}

  async publish(topic: string, message: string): Promise<void> {
    if (this.settings.MESSAGE_TRANSPORT === 'nats') {
      const nats = await this.connection();
      nats?.publish(topic, new TextEncoder().encode(message));
    } else if (this.redis.configured) {
      await this.redis.publish(topic, message);
    } else {
      for (const listener of inProcess.get(this.local(topic)) ?? []) listener(message);
    }
  }

  subscribe(topic: string, listener: Listener): void {
    if (this.settings.MESSAGE_TRANSPORT === 'nats') return void this.subscribeNats(topic, listener);
    if (this.redis.configured) return this.redis.subscribe(topic, listener);
    const key = this.local(topic);
    const local = inProcess.get(key) ?? new Set<Listener>();
    local.add(listener);
    inProcess.set(key, local);
    this.listeners.push({ topic: key, listener });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { topic, listener } of this.listeners) inProcess.get(topic)?.delete(listener);
    // A first connection still trying (the broker down since start) is closed once it succeeds,
    // never waited for: shutdown must not hang on a broker that never comes.
    void this.nats?.then((nats) => nats.close()).catch(() => undefined);
    await this.connected?.close().catch(() => undefined);
  }

  private async subscribeNats(topic: string, listener: Listener): Promise<void> {
    const nats = await this.connection();
    if (!nats) return;
    const decoder = new TextDecoder();
    nats.subscribe(topic, { callback: (error, message) => !error && listener(decoder.decode(message.data)) });
  }

  private async connection(): Promise<NatsConnection | undefined> {
    if (this.closed) return undefined;
    this.nats ??= connectNats(natsConnectionOptions(this.settings, this.name)).then((nats) => (this.connected = nats));
    // A first connection that fails is tried again at the next call.
    return this.nats.catch(() => {
      this.nats = undefined;
      return undefined;
    });
  }

  private local(topic: string): string {
    return `${topic}@${this.settings.AUTH_PORT}`;
  }
}
