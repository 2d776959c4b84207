import type { Provider } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import { CommonSettings } from '@gatehouse/config';
import { AppMetrics } from '@gatehouse/observability';
import { AuditPublisher, messageClientOptions, transportAuditChannel } from '@gatehouse/transport';
import { clientSecretBasic } from './client-secret-basic';

export interface AuditSender {
  /** The app's platform client at auth. */
  clientId: string;
  secret?: string;
  timeoutMs: number;
}

/**
 * A service's AuditPublisher: its own message client to auth, authenticated as the service's
 * platform client. Without a secret nothing is sent, and every report counts as dropped (`unconfigured`).
 */
export function auditPublisherProvider<S extends CommonSettings>(settingsToken: abstract new () => S, sender: (settings: S) => AuditSender): Provider {
  return {
    provide: AuditPublisher,
    inject: [settingsToken, AppMetrics],
    useFactory: (settings: S, metrics: AppMetrics) => {
      const { clientId, secret, timeoutMs } = sender(settings);
      const channel = secret
        ? transportAuditChannel(
            ClientProxyFactory.create(messageClientOptions(settings, `${clientId}-audit`, 'auth')),
            clientSecretBasic(clientId, secret),
            timeoutMs,
          )
        : undefined;
      return new AuditPublisher(channel, { timeoutMs }, metrics.registry);
    },
  };
}
