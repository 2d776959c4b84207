import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit.service';
import { MfaFactors } from '../mfa/mfa-factors.service';
import type { MfaRequirement } from '../tenants/tenant.entity';
import { TenantLookup } from '../tenants/tenant-lookup';
import { TenantsRepository } from '../tenants/tenants.repository';
import { adminReachOf, tenantInReach } from './admin-policy';

/** Second factors as administrators manage them: a tenant's requirement, a user's reset. Audited. */
@Injectable()
export class AdminMfa {
  constructor(
    private readonly factors: MfaFactors,
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditTrail,
  ) {}

  /** Who of the tenant must sign in with a second factor; a tenant administrator sets their own. */
  async setRequirement(principal: Principal, id: string, mfaRequired: MfaRequirement): Promise<{ tenant: string; mfaRequired: MfaRequirement }> {
    const tenantId = tenantInReach(adminReachOf(principal), id)!;
    const tenant = await this.tenants.find(tenantId);
    if (!tenant) throw new DomainError('not_found', `tenant ${tenantId}`);
    const previous = tenant.mfaRequired;
    await this.tenants.setMfaRequired(tenantId, mfaRequired);
    this.lookup.forget(tenantId);
    await this.audit.record({
      type: 'admin.tenant.mfa_required_set',
      outcome: 'success',
      actor: principal.subject,
      tenantId,
      details: { mfaRequired, previous },
    });
    return { tenant: tenantId, mfaRequired };
  }

  /** Removes a user's second factor and recovery codes (a lost phone); they enrol again when asked. */
  async reset(principal: Principal, tenant: string | undefined, id: string): Promise<void> {
    const tenantId = tenantInReach(adminReachOf(principal), tenant);
    if (!tenantId) throw new DomainError('invalid_request', 'tenant missing', {}, 'Name the tenant (query `tenant`).');
    const account = await this.accounts.findById(tenantId, id);
    if (!account) throw new DomainError('not_found', `account ${id} in ${tenantId}`);
    const removed = await this.factors.remove(account.id);
    await this.audit.record({ type: 'admin.user.mfa_reset', outcome: 'success', actor: principal.subject, tenantId, details: { account: id, removed } });
  }
}
