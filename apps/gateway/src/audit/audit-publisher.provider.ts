import type { Provider } from '@nestjs/common';
import { AppMetrics } from '@gatehouse/observability';
import { type AuditChannel, AuditPublisher } from '@gatehouse/transport';
import { AuthAppClient } from '../authn/auth-app-client';
import { GatewaySettings } from '../gateway.settings';

/**
 * The gateway's security events (cross-tenant attempts, refusals by a route's policy) go to auth's
 * audit trail as its client, fire and forget. Over auth's internal HTTP endpoint, not the message
 * transport: the gateway holds no transport connection (in Kubernetes it cannot reach NATS at all).
 */
export const gatewayAuditPublisher: Provider = {
  provide: AuditPublisher,
  inject: [GatewaySettings, AppMetrics],
  useFactory: (settings: GatewaySettings, metrics: AppMetrics) => {
    const auth = settings.GATEWAY_CLIENT_SECRET ? new AuthAppClient(settings) : undefined;
    const channel: AuditChannel | undefined = auth && {
      send: async (report) => void (await auth.post('/internal/audit', { report: JSON.stringify(report) })),
      close: () => Promise.resolve(),
    };
    return new AuditPublisher(channel, { timeoutMs: settings.RPC_TIMEOUT_MS }, metrics.registry);
  },
};
