import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { Counter } from 'prom-client';
import { authenticateClient } from '../clients/authenticate-client';
import type { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import type { AuditReportDto } from './audit-report.dto';
import { AuditTrail } from './audit.service';

/**
 * Who may write to the audit trail from outside: a platform client (no tenant) that can act for
 * itself (client_credentials) or is the gateway (introspect). Only platform administrators create
 * such clients; a tenant's client is refused whatever its grants.
 */
export function mayReportAudit(client: ClientEntity): boolean {
  return client.tenantId === null && (client.introspect || client.grantTypes.includes('client_credentials'));
}

/** Writes the events the gateway and the services report, once their sender is authenticated. */
@Injectable()
export class AuditIntake {
  private readonly refused: Counter;
  private readonly received: Counter<'source'>;

  constructor(
    private readonly clients: ClientLookup,
    private readonly trail: AuditTrail,
    metrics: AppMetrics,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.refused = new Counter({
      name: 'gatehouse_audit_reports_refused_total',
      help: 'Audit reports refused: sender unauthenticated or not allowed',
      registers: [metrics.registry],
    });
    this.received = new Counter({
      name: 'gatehouse_audit_reports_total',
      help: 'Audit events written for other apps, by reporting client',
      labelNames: ['source'],
      registers: [metrics.registry],
    });
  }

  async accept(report: AuditReportDto, authorization: string | undefined): Promise<void> {
    const sender = await authenticateClient(this.clients, { authorization: authorization?.startsWith('Basic ') ? authorization : undefined }).catch(
      () => undefined,
    );
    if (!sender || !mayReportAudit(sender)) {
      this.refused.inc();
      this.logger.warn({ type: report.type, sender: sender?.id ?? null }, 'audit report refused: sender not allowed');
      return;
    }
    await this.trail.record({
      type: report.type,
      outcome: report.outcome,
      actor: report.subject,
      tenantId: report.tenantId,
      clientId: report.clientId,
      ip: report.ip,
      source: sender.id,
      requestId: report.requestId,
      correlationId: report.correlationId,
      traceId: report.traceId,
      details: { ...(report.details ?? {}), ...(report.code ? { code: report.code } : {}), occurredAt: report.occurredAt },
    });
    this.received.inc({ source: sender.id });
  }
}
