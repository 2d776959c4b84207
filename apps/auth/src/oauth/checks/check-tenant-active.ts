import { OAuthError } from '@gatehouse/contracts';
import type { TenantsRepository } from '../../tenants/tenants.repository';

/**
 * check-tenant-active: a suspended tenant obtains no token, by any grant, and is told so plainly.
 * An unknown tenant is left to the grant, which answers it like bad credentials.
 */
export async function checkTenantActive(tenants: TenantsRepository, tenantId: string | null | undefined): Promise<void> {
  if (!tenantId) return;
  const tenant = await tenants.find(tenantId);
  if (tenant?.status === 'suspended') throw new OAuthError('invalid_grant', 'The tenant is suspended.', `tenant ${tenantId} suspended`);
}
