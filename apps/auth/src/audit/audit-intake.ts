import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { Counter } from 'prom-client';
import { OAuthError } from '@gatehouse/contracts';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
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

  /** A report off the transport: an event, so a refusal has no one to answer and is only counted. */
  async accept(report: AuditReportDto, authorization: string | undefined): Promise<void> {
    const sender = await this.sender({ authorization: authorization?.startsWith('Basic ') ? authorization : undefined }).catch(() => undefined);
    if (sender) await this.write(report, sender);
  }

  /** The client that may report, or `invalid_client` (counted). */
  async sender(credentials: ClientCredentials): Promise<ClientEntity> {
    const sender = await authenticateClient(this.clients, credentials).catch((error: unknown) => {
      this.refused.inc();
      throw error;
    });
    if (!mayReportAudit(sender)) {
      this.refused.inc();
      this.logger.warn({ sender: sender.id }, 'audit report refused: sender not allowed');
      throw new OAuthError('invalid_client', 'This client may not write to the audit trail.', `${sender.id} is no platform client`);
    }
    return sender;
  }

  async write(report: AuditReportDto, sender: ClientEntity): Promise<void> {
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
