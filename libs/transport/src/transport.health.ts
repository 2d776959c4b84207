import { connect as connectTcp } from 'node:net';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime, CommonSettings } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { connect as connectNats, type NatsConnection } from 'nats';
import { natsConnectionOptions, tcpEndpoint } from './transport-options';

export const MESSAGE_SERVER = Symbol('gatehouse:message-server');

export interface TransportStatus {
  up: boolean;
  transport: 'tcp' | 'nats';
  detail?: string;
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Readiness of the transport. On NATS a dedicated connection round-trips to the broker (it
 * reconnects forever, so readiness recovers without a restart); on TCP the app's own message
 * listener must accept connections.
 */
@Injectable()
export class TransportHealth implements OnApplicationShutdown {
  private nats?: Promise<NatsConnection>;

  constructor(
    private readonly settings: CommonSettings,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
    @Inject(MESSAGE_SERVER) private readonly serves: MessagingAppName | null,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async check(timeoutMs = 1000): Promise<TransportStatus> {
    if (this.settings.MESSAGE_TRANSPORT === 'nats') {
      const up = await this.flushNats(timeoutMs);
      return { up, transport: 'nats', ...(up ? {} : { detail: 'broker unreachable' }) };
    }
    if (!this.serves) return { up: true, transport: 'tcp' };
    const { port } = tcpEndpoint(this.settings, this.serves);
    const up = await probeTcp('127.0.0.1', port, timeoutMs);
    return { up, transport: 'tcp', ...(up ? {} : { detail: 'message listener not accepting' }) };
  }

  private async flushNats(timeoutMs: number): Promise<boolean> {
    this.nats ??= connectNats(natsConnectionOptions(this.settings, `${this.runtime.app}-health`));
    this.nats.catch(() => (this.nats = undefined));
    const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const flushed = this.nats
      .then((nc) => nc.flush())
      .then(
        () => true,
        (error: unknown) => {
          this.logger.warn({ err: error }, 'NATS probe failed');
          return false;
        },
      );
    return Promise.race([flushed, timer]);
  }

  async onApplicationShutdown(): Promise<void> {
    const pending = this.nats;
    this.nats = undefined;
    if (pending) await pending.then((nc) => nc.close()).catch(() => undefined);
  }
}
