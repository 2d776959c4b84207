import { type AuditReportInput } from '@gatehouse/transport';
import { DomainError, type ErrorCode, type Principal } from '@gatehouse/contracts';

const TOKEN_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'missing_token',
  'invalid_token',
  'token_expired',
  'unknown_signing_key',
  'invalid_claims',
  'inactive_token',
]);
const POLICY_REFUSALS: ReadonlySet<ErrorCode> = new Set(['insufficient_scope', 'forbidden']);

/**
 * The audit event a refusal is, if any: a tenant mismatch is a cross-tenant attempt, a refused
 * scope or role is `access.refused`, and on a message a refused token is `service_token.refused`.
 * A missing or bad token on an HTTP route is no event here: the gateway answers those before a
 * service sees the request, and auth logs its own.
 */
export function refusalEvent(error: unknown, where: 'http' | 'rpc', principal?: Principal, tenantId?: string): AuditReportInput | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const who = principal ? { subject: principal.subject, clientId: principal.clientId, tenantId: principal.tenantId ?? tenantId } : { tenantId };
  if (error.code === 'tenant_mismatch') return { type: 'cross_tenant_attempt', outcome: 'failure', code: error.code, ...who, details: { where } };
  if (POLICY_REFUSALS.has(error.code)) return { type: 'access.refused', outcome: 'failure', code: error.code, ...who, details: { where } };
  if (where === 'rpc' && TOKEN_REFUSALS.has(error.code))
    return { type: 'service_token.refused', outcome: 'failure', code: error.code, ...who, details: { where } };
  return undefined;
}
