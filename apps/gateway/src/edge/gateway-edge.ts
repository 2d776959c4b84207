import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { AppEdge } from '@gatehouse/app-kit';
import { StartupError } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import type { GatewaySettings } from '../gateway.settings';
import { CertReloader } from './cert-reloader';
import { installEdgeHooks } from './edge-hooks';
import { startRedirectListener } from './redirect-listener';
import { readEdgeTls } from './tls-options';

/**
 * The gateway's edge: HTTPS from `TLS_CERT_FILE`/`TLS_KEY_FILE` (reloaded when they change), HSTS,
 * and the plain-HTTP redirect listener; behind a load balancer that terminates TLS, HSTS and
 * redirects by its `X-Forwarded-Proto`. Plain HTTP alone (development) needs none of it.
 */
export function gatewayEdge(settings: GatewaySettings, logger: Logger): AppEdge | undefined {
  const tls = readEdgeTls(settings);
  if (settings.HTTP_REDIRECT_PORT !== undefined && !tls) {
    throw StartupError.of(
      'HTTP_REDIRECT_PORT is set but the gateway serves no HTTPS to redirect to',
      [],
      'set TLS_CERT_FILE and TLS_KEY_FILE, or unset HTTP_REDIRECT_PORT',
    );
  }
  if (!tls && !settings.tlsTerminatedUpstream) return undefined;
  return {
    https: tls,
    install: (fastify) => installEdgeHooks(fastify, settings),
    started: async (server) => {
      if (!tls) return () => Promise.resolve();
      const reloader = new CertReloader(server as unknown as TlsServer, settings, logger);
      reloader.start();
      const redirect = settings.HTTP_REDIRECT_PORT === undefined ? undefined : await redirectListener(settings, server, logger).catch(stopping(reloader));
      return async () => {
        reloader.stop();
        if (redirect) await new Promise((resolve) => redirect.close(resolve));
      };
    },
  };
}

async function redirectListener(settings: GatewaySettings, server: Server, logger: Logger): Promise<Server> {
  const httpsPort = (server.address() as AddressInfo).port;
  const port = settings.HTTP_REDIRECT_PORT ?? 0;
  return startRedirectListener(port, settings.host, httpsPort, logger).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const why = code === 'EADDRINUSE' ? 'is in use by another process' : 'may not be opened by this user';
    throw StartupError.of(
      `Port ${port} on ${settings.host} (HTTP_REDIRECT_PORT) ${why}`,
      [],
      'stop what holds it, or choose another port with HTTP_REDIRECT_PORT',
    );
  });
}

function stopping(reloader: CertReloader) {
  return (error: unknown): never => {
    reloader.stop();
    throw error;
  };
}
