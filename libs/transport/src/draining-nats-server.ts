import { type NatsOptions, ServerNats } from '@nestjs/microservices';
import type { NatsConnection, Msg, Subscription } from 'nats';

type NatsServerOptions = Required<NatsOptions>['options'];
type Packet = { isDisposed?: boolean; status?: string };
type Publisher = (packet: Packet) => unknown;

/**
 * A NATS message server that stops without losing a request.
 *
 * Nest's own graceful shutdown unsubscribes and waits a fixed period: messages the broker had
 * already routed to this instance, still on the wire or queued in the client, are dropped, and a
 * handler slower than the period loses its reply. Here the subscriptions are drained instead (the
 * broker stops routing to this member of the queue group, and whatever it already sent is still
 * handled), then the server waits for every request to send its last reply and every event handler
 * to return, up to `drainTimeout`, flushes the replies and only then closes the connection.
 */
export class DrainingNatsServer extends ServerNats {
  private readonly drainable: Subscription[] = [];
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly settings: NatsServerOptions & { queue: string },
    private readonly drainTimeout: number,
  ) {
    super(settings);
  }

  override bindEvents(client: NatsConnection): void {
    for (const [channel, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? this.settings.queue;
      const callback = (error: Error | null, message: Msg): void => {
        if (error) this.logger.error(error);
        else
          this.handleMessage(channel, message).catch((failure: unknown) => {
            this.logger.error(failure);
          });
      };
      this.drainable.push(client.subscribe(channel, { queue, callback }));
    }
  }

  override async handleMessage(channel: string, message: Msg): Promise<unknown> {
    // A request is in flight until its last reply leaves (see getPublisher); an event until its
    // handler returns.
    if (message.reply) return super.handleMessage(channel, message);
    this.started();
    try {
      return await super.handleMessage(channel, message);
    } finally {
      this.finished();
    }
  }

  override getPublisher(message: Msg, id: string, context: Parameters<ServerNats['getPublisher']>[2]): Publisher {
    const publish = super.getPublisher(message, id, context) as Publisher;
    this.started();
    let open = true;
    return (packet) => {
      const last = packet.isDisposed === true || packet.status === 'error';
      try {
        return publish(packet);
      } finally {
        if (last && open) {
          open = false;
          this.finished();
        }
      }
    };
  }

  override async close(): Promise<void> {
    const connection = this.unwrapOrNull();
    if (connection && !connection.isClosed()) {
      await Promise.allSettled(this.drainable.splice(0).map((subscription) => subscription.drain()));
      await this.settled();
      await connection.flush().catch(() => undefined);
    }
    await super.close();
  }

  private unwrapOrNull(): NatsConnection | null {
    try {
      return this.unwrap<NatsConnection>();
    } catch {
      return null;
    }
  }

  private started(): void {
    this.inFlight += 1;
  }

  private finished(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.idle?.();
  }

  private settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.drainTimeout);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.idle = done;
    });
  }
}
