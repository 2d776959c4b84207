import type { AppDefinition } from '@gatehouse/app-kit';
import { DOCS_CLIENT_ID, platformDocuments } from './docs/platform-docs';
import { gatewayEdge } from './edge/gateway-edge';
import { matchedExchange } from './exchange';
import { GatewayModule } from './gateway.module';
import { GatewaySettings } from './gateway.settings';
import { ProxyRoute } from './proxy/proxy.route';

export const gatewayApp: AppDefinition<GatewaySettings> = {
  name: 'gateway',
  settings: GatewaySettings,
  port: (settings) => settings.GATEWAY_PORT,
  module: (kit) => GatewayModule.register(kit),
  docs: {
    title: 'Gatehouse',
    description: 'The single entry point of the platform.',
    // One page for the whole platform: the routed services' endpoints as the gateway exposes them.
    document: platformDocuments,
    // Authorize signs a person in through the platform's public docs client (authorization code +
    // PKCE), which returns to the docs at the issuer's origin.
    oauth: (app) => ({ clientId: DOCS_CLIENT_ID, redirectUrl: `${app.get(GatewaySettings).AUTH_ISSUER.replace(/\/+$/, '')}/docs/oauth2-redirect.html` }),
  },
  // Proxied requests count under the routes-file prefix they matched, not the catch-all `/*`.
  metricsRoute: (request) => matchedExchange(request)?.route.prefix,
  // The proxy streams request bodies to the upstream untouched.
  parseBodies: false,
  // The forwarder and the error filter take the request's ids and trace context from the request.
  requestContext: false,
  edge: gatewayEdge,
  // Every method Fastify knows, as a catch-all controller would take: the routes file decides.
  httpRoutes: (app) => [app.get(ProxyRoute).declaration(app.getHttpAdapter().getInstance().supportedMethods)],
};
