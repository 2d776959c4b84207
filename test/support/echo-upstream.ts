import { createServer, type IncomingMessage, type Server } from 'node:http';

/** What the echo upstream saw of a request. */
export interface Echo {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * An upstream that answers every request with what it received, so a test can see exactly what
 * the gateway sent on; paths starting with `/slow` answer after `slowMs`.
 */
export class EchoUpstream {
  private readonly server: Server;

  constructor(private readonly slowMs = 2_000) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = () => {
          response.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive', 'x-upstream': 'echo' });
          response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() }));
        };
        if (request.url?.startsWith('/slow')) setTimeout(answer, this.slowMs).unref();
        else answer();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
