import type { Principal } from '@gatehouse/contracts';
import { tenantOf } from '@gatehouse/security';

export const ADMIN_ROLE = 'admin';

/**
 * The orders a caller may touch: always one tenant, and one owner unless the caller administers
 * the tenant. The repository applies it to every query, so an order outside the scope (another
 * tenant's, or another user's for a non-admin) is indistinguishable from one that does not exist:
 * ids cannot be probed across tenants or users.
 */
export interface OrderScope {
  readonly tenantId: string;
  /** Null: every owner of the tenant. */
  readonly ownerId: string | null;
}

/** The caller's tenant; a platform client belongs to none and has no orders. */
export function scopeOf(principal: Principal): OrderScope {
  const tenantId = tenantOf(principal);
  return { tenantId, ownerId: principal.roles.includes(ADMIN_ROLE) ? null : principal.subject };
}
