import { auditPublisherProvider } from '@gatehouse/security';
import { GatewaySettings } from '../gateway.settings';

/**
 * The gateway's security events (cross-tenant attempts, refusals by a route's policy) go to auth's
 * audit trail over the transport, sent as the gateway's client; never waited for by a request.
 */
export const gatewayAuditPublisher = auditPublisherProvider(GatewaySettings, (settings) => ({
  clientId: settings.GATEWAY_CLIENT_ID,
  secret: settings.GATEWAY_CLIENT_SECRET,
  timeoutMs: settings.RPC_TIMEOUT_MS,
}));
