import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Logger } from '@gatehouse/observability';

// A host name or an IP literal, with an optional port: anything else in Host gets no redirect.
const HOST = /^(?<name>[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;

/**
 * Where a plain-HTTP request goes over HTTPS: the same host and path, on `httpsPort` (left out
 * for 443 and when undefined, the load balancer's own port). Undefined for a missing or malformed
 * Host, which gets a 400 instead of a redirect to somewhere made up.
 */
export function httpsLocation(request: IncomingMessage, httpsPort: number | undefined): string | undefined {
  const host = HOST.exec(request.headers.host ?? '')?.groups?.name;
  if (!host) return undefined;
  const port = httpsPort === undefined || httpsPort === 443 ? '' : `:${httpsPort}`;
  const path = request.url?.startsWith('/') ? request.url : '/';
  return `https://${host}${port}${path}`;
}

/**
 * The plain-HTTP listener of `HTTP_REDIRECT_PORT`: it serves nothing, every request gets a 308 to
 * the same URL over HTTPS (308 keeps the method and body, unlike 301).
 */
export async function startRedirectListener(port: number, host: string, httpsPort: number, logger: Logger): Promise<Server> {
  const server = createServer((request, response) => {
    const location = httpsLocation(request, httpsPort);
    if (!location) {
      response.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('Bad Request: a Host header is required\n');
      return;
    }
    response.writeHead(308, { location, 'content-length': '0', connection: 'close' }).end();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  logger.info({ port }, 'plain HTTP redirects to HTTPS');
  return server;
}
