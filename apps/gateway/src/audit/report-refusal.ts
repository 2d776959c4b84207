import { DomainError, type Principal } from '@gatehouse/contracts';
import type { RequestContext } from '@gatehouse/observability';
import type { AuditPublisher } from '@gatehouse/transport';

/** A route's scopes or roles refusing an authenticated caller: `access.refused` in the audit trail. */
export function reportRefusal(audit: AuditPublisher, error: unknown, principal: Principal, route: string, ip: string, context: RequestContext): void {
  if (!(error instanceof DomainError)) return;
  audit.report(
    {
      type: 'access.refused',
      outcome: 'failure',
      code: error.code,
      tenantId: principal.tenantId,
      subject: principal.subject,
      clientId: principal.clientId,
      ip,
      details: { route, where: 'gateway' },
    },
    context,
  );
}
