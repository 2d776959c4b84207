import { OAuthError } from '@gatehouse/contracts';
import type { TenantEntity } from '../../tenants/tenant.entity';

/** Where tenants are read from (TenantLookup: the database, behind a short-lived cache). */
export interface TenantSource {
  find(id: string): Promise<TenantEntity | null>;
}

/**
 * check-tenant-active: a suspended tenant obtains no token, by any grant, and is told so plainly.
 * An unknown tenant is left to the grant, which answers it like bad credentials. Answers the tenant
 * it read (null when unknown or not asked), so a grant needs no second read.
 */
export async function checkTenantActive(tenants: TenantSource, tenantId: string | null | undefined): Promise<TenantEntity | null> {
  if (!tenantId) return null;
  const tenant = await tenants.find(tenantId);
  if (tenant?.status === 'suspended') throw new OAuthError('invalid_grant', 'The tenant is suspended.', `tenant ${tenantId} suspended`);
  return tenant;
}
