import { DomainError, type Principal } from '@gatehouse/contracts';

/**
 * Who may administer what: a client_credentials token with scope `admin`
 * from a client that belongs to no tenant runs the platform; a user with role `admin` manages the
 * users and clients of their own tenant, and nothing else.
 */
export type AdminReach = { kind: 'platform' } | { kind: 'tenant'; tenantId: string };

export function adminReachOf(principal: Principal): AdminReach {
  if (principal.kind === 'client' && !principal.tenantId && principal.scopes.includes('admin')) return { kind: 'platform' };
  if (principal.kind === 'user' && principal.tenantId && principal.roles.includes('admin')) {
    return { kind: 'tenant', tenantId: principal.tenantId };
  }
  throw new DomainError('forbidden', `${principal.subject} is no administrator`);
}

/** Tenants and signing keys: platform administrators only. */
export function requirePlatform(principal: Principal): void {
  if (adminReachOf(principal).kind !== 'platform') throw new DomainError('forbidden', 'platform operation by a tenant administrator');
}

/**
 * The tenant an operation applies to. A tenant administrator is held to their own tenant (naming
 * another is refused); a platform administrator names the tenant, or none where that is allowed.
 */
export function tenantInReach(reach: AdminReach, requested: string | undefined): string | undefined {
  if (reach.kind === 'platform') return requested;
  if (requested !== undefined && requested !== reach.tenantId) {
    throw new DomainError('forbidden', `tenant administrator of ${reach.tenantId} acting on ${requested}`);
  }
  return reach.tenantId;
}
