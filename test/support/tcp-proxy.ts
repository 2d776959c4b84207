import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder a test can cut and restore, to play a broker outage without stopping the
 * machine's real broker (which other suites may be using): `stop` refuses, `silence` keeps every
 * connection open and swallows the bytes both ways, as a hung server or a black-holed link would.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private silent = false;
  private readonly held: (() => void)[] = [];

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      this.relay(client, upstream);
      this.relay(upstream, client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  /**
   * Holds every byte from now on, on open and new connections alike, until `resume` delivers
   * them: what a hung peer or a black-holed link looks like from either end (TCP loses nothing).
   */
  silence(): void {
    this.silent = true;
  }

  resume(): void {
    this.silent = false;
    for (const flush of this.held.splice(0)) flush();
  }

  private relay(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.silent) this.held.push(() => !to.destroyed && to.write(chunk));
      else to.write(chunk);
    });
  }

  /** Refuses new connections and breaks every open one, as a dead broker would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
