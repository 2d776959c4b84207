import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The scan's own listener on 127.0.0.1, the address `jku` and `x5u` headers point at: it serves a
 * key set of the scan's key, so a target that follows such a header would find a key there. The
 * target must never ask: every request it receives is counted.
 */
export class Loopback {
  private readonly server: Server;
  private readonly seen: string[] = [];
  url = '';

  constructor(private readonly body: () => string) {
    this.server = createServer((request, response) => {
      this.seen.push(request.url ?? '/');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(this.body());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The paths requested so far. */
  requests(): readonly string[] {
    return this.seen;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
