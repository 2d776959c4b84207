import { type CommonSettings, peerTls, transportMutualTls } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { type ClientOptions, type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { DrainingNatsServer } from './draining-nats-server';
import { EnvelopeDeserializer } from './message-meta';
import { PeerCheckingTcpServer } from './peer-checking-tcp-server';

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
  // `tls://`: TLS to the broker, checked against TLS_CA_FILE, with this app's certificate when set.
  const secure = /^tls:\/\//i.test(settings.NATS_URL);
  const tls = secure ? peerTls(settings) : undefined;
  return {
    servers: [secure ? settings.NATS_URL.replace(/^tls:/i, 'nats:') : settings.NATS_URL],
    ...(secure ? { tls: tls ? { ca: tls.ca, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) } : {} } : {}),
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
  const tls = transportMutualTls(settings);
  // Mutual TLS: a caller without a certificate of the CA is refused in the handshake.
  const tlsOptions = tls ? { ...tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const } : undefined;
  const options = { host: settings.host, port, deserializer: new EnvelopeDeserializer(), ...(tlsOptions ? { tlsOptions } : {}) };
  const peers = settings.transportPeers;
  if (tlsOptions && peers.size > 0) return { strategy: new PeerCheckingTcpServer(options, peers) };
  return { transport: Transport.TCP, options };
}

/** How a caller reaches `target`'s message handlers. */
export function messageClientOptions(settings: CommonSettings, caller: string, target: MessagingAppName): ClientOptions {
  if (settings.MESSAGE_TRANSPORT === 'nats') {
    return { transport: Transport.NATS, options: natsConnectionOptions(settings, `${caller}-to-${target}`) };
  }
  const endpoint = tcpEndpoint(settings, target);
  const tls = transportMutualTls(settings);
  // The server's certificate must name the host dialled (node's default identity check).
  const tlsOptions = tls ? { ...tls, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const } : undefined;
  return { transport: Transport.TCP, options: { ...endpoint, ...(tlsOptions ? { tlsOptions } : {}) } };
}
