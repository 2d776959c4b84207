import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@gatehouse/contracts';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { Counter } from 'prom-client';
import { AuthAppClient } from '../authn/auth-app-client';
import { GatewaySettings } from '../gateway.settings';

export interface CrossTenantAttempt {
  resolvedTenant: string;
  principal: Principal;
  requestId: string;
  ip: string;
}

/**
 * A token of one tenant used on another tenant's request: a warning in the log, a counter, and
 * an audit event `cross_tenant_attempt` written by auth (the gateway keeps no data). Reported in
 * the background: the refusal never waits for the report.
 */
@Injectable()
export class CrossTenantReporter {
  private readonly client: AuthAppClient | undefined;
  private readonly attempts: Counter;

  constructor(
    settings: GatewaySettings,
    metrics: AppMetrics,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.client = settings.GATEWAY_CLIENT_SECRET ? new AuthAppClient(settings) : undefined;
    this.attempts = new Counter({ name: 'gatehouse_cross_tenant_attempts_total', help: 'Requests refused as tenant_mismatch', registers: [metrics.registry] });
  }

  report({ resolvedTenant, principal, requestId, ip }: CrossTenantAttempt): void {
    this.attempts.inc();
    const tokenTenant = principal.tenantId ?? '';
    this.logger.warn({ resolvedTenant, tokenTenant, subject: principal.subject, clientId: principal.clientId, requestId }, 'cross_tenant_attempt');
    void this.client
      ?.post('/internal/audit', {
        type: 'cross_tenant_attempt',
        resolved_tenant: resolvedTenant,
        ...(tokenTenant ? { token_tenant: tokenTenant } : {}),
        subject: principal.subject,
        client: principal.clientId,
        request_id: requestId,
        ip,
      })
      .catch((error: unknown) => this.logger.error({ err: error, requestId }, 'cross_tenant_attempt could not be written to the audit trail'));
  }
}
