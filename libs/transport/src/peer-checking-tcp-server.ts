import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ServerTCP, type TcpOptions } from '@nestjs/microservices';

type TcpServerOptions = Required<TcpOptions>['options'];

/** The names a peer certificate carries: its subject's CN and its DNS subjectAltNames. */
export function certificateNames(socket: TLSSocket): string[] {
  const cert = socket.getPeerCertificate();
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  const commonName = cert.subject?.CN;
  return typeof commonName === 'string' ? [commonName, ...names] : names;
}

/**
 * A TCP message server over mutual TLS that, past the CA's check in the handshake, answers only
 * the peers `TRANSPORT_TLS_PEERS` names: a certificate of the CA for any other name is cut off
 * before its first message is read.
 */
export class PeerCheckingTcpServer extends ServerTCP {
  constructor(
    options: TcpServerOptions,
    private readonly peers: ReadonlySet<string>,
  ) {
    super(options);
  }

  override bindHandler(socket: Socket): void {
    if (!certificateNames(socket as TLSSocket).some((name) => this.peers.has(name))) {
      socket.destroy();
      return;
    }
    super.bindHandler(socket);
  }
}
