import type { CommonSettings } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { type ClientOptions, type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { DrainingNatsServer } from './draining-nats-server';
import { EnvelopeDeserializer } from './message-meta';

/** How long a stopping NATS instance waits for the requests it already holds. */
const NATS_DRAIN_TIMEOUT_MS = 10_000;

interface TcpEndpoint {
  host: string;
  port: number;
}

/** Where an app's message handlers listen when the transport is TCP. */
export function tcpEndpoint(settings: CommonSettings, app: MessagingAppName): TcpEndpoint {
  switch (app) {
    case 'users':
      return { host: settings.USERS_TCP_HOST, port: settings.USERS_TCP_PORT };
    case 'auth':
      return { host: settings.AUTH_TCP_HOST, port: settings.AUTH_TCP_PORT };
    case 'orders':
      return { host: settings.ORDERS_TCP_HOST, port: settings.ORDERS_TCP_PORT };
  }
}

/**
 * Reconnect forever: nats.js gives up after ten attempts by default, which would leave a service
 * deaf after a broker outage of twenty seconds until it is restarted.
 */
export function natsConnectionOptions(settings: CommonSettings, name: string) {
  return {
    servers: [settings.NATS_URL],
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
  };
}

/** The message server of `app`; on NATS its instances form one queue group and share the work. */
export function messageServerOptions(settings: CommonSettings, app: MessagingAppName): MicroserviceOptions {
  if (settings.MESSAGE_TRANSPORT === 'nats') {
    // An instance that stops leaves the queue group first and finishes what it holds, so its share
    // of the requests moves to the other instances instead of being lost.
    const options = { ...natsConnectionOptions(settings, `${app}-server`), queue: app };
    return { strategy: new DrainingNatsServer(options, NATS_DRAIN_TIMEOUT_MS) };
  }
  const { port } = tcpEndpoint(settings, app);
  return { transport: Transport.TCP, options: { host: settings.host, port, deserializer: new EnvelopeDeserializer() } };
}

/** How a caller reaches `target`'s message handlers. */
export function messageClientOptions(settings: CommonSettings, caller: string, target: MessagingAppName): ClientOptions {
  if (settings.MESSAGE_TRANSPORT === 'nats') {
    return { transport: Transport.NATS, options: natsConnectionOptions(settings, `${caller}-to-${target}`) };
  }
  return { transport: Transport.TCP, options: tcpEndpoint(settings, target) };
}
