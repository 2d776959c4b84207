import type { MfaRequirement } from '../tenants/tenant.entity';

/** What a password login still needs: nothing, the second factor, or enrolling one first. */
export type MfaDemand = 'none' | 'code' | 'enrol';

/** Who is an administrator of a tenant, for `mfa_required: admins` (as the Admin API decides it). */
const ADMIN_ROLE = 'admin';

/**
 * An enrolled person always gives their code; one who is not gives nothing, unless their tenant
 * requires a second factor of everyone, or of administrators and they are one.
 */
export function mfaDemand(requirement: MfaRequirement, roles: readonly string[], enrolled: boolean): MfaDemand {
  if (enrolled) return 'code';
  if (requirement === 'all' || (requirement === 'admins' && roles.includes(ADMIN_ROLE))) return 'enrol';
  return 'none';
}
