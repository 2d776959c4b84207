import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TrustedProxies } from '@gatehouse/throttling';
import type { FastifyInstance } from 'fastify';
import type { GatewaySettings } from '../gateway.settings';
import type { GatewayEdgeSettings } from './edge.settings';
import { httpsLocation } from './redirect-listener';

type Scheme = 'https' | 'http' | undefined;

/**
 * How the client reached the gateway: over this listener's TLS, or, when a load balancer
 * terminates TLS (`TLS_TERMINATED_UPSTREAM=true`), as a `GATEWAY_TRUSTED_PROXIES` peer says in
 * `X-Forwarded-Proto`. Anyone else's `X-Forwarded-Proto` is ignored: undefined.
 */
export function clientScheme(request: IncomingMessage, settings: GatewayEdgeSettings, proxies: TrustedProxies): Scheme {
  if ((request.socket as TLSSocket).encrypted) return 'https';
  if (!settings.tlsTerminatedUpstream || !proxies.trusts(request.socket.remoteAddress)) return undefined;
  const header = request.headers['x-forwarded-proto'];
  // A chain of proxies appends: the first names the client's side.
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : undefined;
}

/**
 * `Strict-Transport-Security` on every answer to a client that came over HTTPS (browsers ignore it
 * over plain HTTP, RFC 6797 section 8.1), and, behind a load balancer that terminates TLS, a 308 to
 * HTTPS for a request it says came over plain HTTP.
 */
export function installEdgeHooks(fastify: FastifyInstance, settings: GatewaySettings): void {
  if (!settings.servesTls && !settings.tlsTerminatedUpstream) return;
  const proxies = new TrustedProxies(settings.trustedProxies);
  const hsts = settings.HSTS_MAX_AGE > 0 ? `max-age=${settings.HSTS_MAX_AGE}; includeSubDomains` : undefined;
  fastify.addHook('onRequest', (request, reply, done) => {
    const scheme = clientScheme(request.raw, settings, proxies);
    if (scheme === 'http') {
      const location = httpsLocation(request.raw, undefined);
      if (location) {
        void reply.code(308).header('location', location).send();
        return;
      }
    }
    if (scheme === 'https' && hsts) void reply.header('strict-transport-security', hsts);
    done();
  });
}
