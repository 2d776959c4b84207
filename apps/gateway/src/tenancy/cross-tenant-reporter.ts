import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@gatehouse/contracts';
import { APP_LOGGER, AppMetrics, type Logger, type RequestContext } from '@gatehouse/observability';
import { AuditPublisher } from '@gatehouse/transport';
import { Counter } from 'prom-client';

export interface CrossTenantAttempt {
  resolvedTenant: string;
  principal: Principal;
  /** The request's ids and trace context, for the log line and the audit event. */
  context: RequestContext;
  ip: string;
}

/**
 * A token of one tenant used on another tenant's request: a warning in the log, a counter, and
 * an audit event `cross_tenant_attempt` written by auth (the gateway keeps no data). Reported in
 * the background over the transport: the refusal never waits for the report.
 */
@Injectable()
export class CrossTenantReporter {
  private readonly attempts: Counter;

  constructor(
    private readonly audit: AuditPublisher,
    metrics: AppMetrics,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.attempts = new Counter({ name: 'gatehouse_cross_tenant_attempts_total', help: 'Requests refused as tenant_mismatch', registers: [metrics.registry] });
  }

  report({ resolvedTenant, principal, context, ip }: CrossTenantAttempt): void {
    this.attempts.inc();
    const tokenTenant = principal.tenantId ?? '';
    this.logger.warn(
      { resolvedTenant, tokenTenant, subject: principal.subject, clientId: principal.clientId, requestId: context.requestId },
      'cross_tenant_attempt',
    );
    this.audit.report(
      {
        type: 'cross_tenant_attempt',
        outcome: 'failure',
        code: 'tenant_mismatch',
        tenantId: resolvedTenant,
        subject: principal.subject,
        clientId: principal.clientId,
        ip,
        details: { resolvedTenant, tokenTenant: tokenTenant || null, where: 'gateway' },
      },
      context,
    );
  }
}
