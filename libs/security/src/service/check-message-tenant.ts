import { DomainError, type Principal } from '@gatehouse/contracts';

/**
 * check-message-tenant: a service message is about one tenant's data and names that tenant
 * (`tenantId`), or it is refused. A token bound to a tenant (a tenant's client) acts within that
 * tenant only: naming another is `tenant_mismatch`. A platform service's token carries no tenant
 * and acts for the one the message names, which the caller took from the gateway-signed identity
 * of the request it serves. A service token alone is no permission to read any tenant.
 */
export function checkMessageTenant(principal: Principal, payload: unknown): string {
  const tenantId = typeof payload === 'object' && payload !== null ? (payload as { tenantId?: unknown }).tenantId : undefined;
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new DomainError('invalid_request', 'service message without tenantId', {}, 'tenantId is required.');
  }
  if (principal.tenantId !== undefined && principal.tenantId !== tenantId) {
    throw new DomainError('tenant_mismatch', `${principal.subject} of tenant ${principal.tenantId} sent a message for ${tenantId.slice(0, 100)}`);
  }
  return tenantId;
}
