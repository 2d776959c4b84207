import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { PasswordResetForced } from '../mail-links/mail-links.responses';
import { PasswordReset } from '../mail-links/password-reset.service';
import { adminReachOf, tenantInReach } from './admin-policy';

/** An administrator's forced password reset, within their reach (a tenant administrator: their tenant). */
@Injectable()
export class UserPasswordAdmin {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwordReset: PasswordReset,
  ) {}

  async forceReset(principal: Principal, tenant: string | undefined, id: string): Promise<PasswordResetForced> {
    const tenantId = tenantInReach(adminReachOf(principal), tenant);
    if (!tenantId) throw new DomainError('invalid_request', 'tenant missing', {}, 'Name the tenant (query `tenant`).');
    const account = await this.accounts.findById(tenantId, id);
    if (!account) throw new DomainError('not_found', `account ${id} in ${tenantId}`);
    if (account.status !== 'active') throw new DomainError('conflict', `account ${id} disabled`, {}, 'The account is disabled: enable it first.');
    const forced = await this.passwordReset.force(account, principal.subject);
    return {
      id: account.id,
      email: account.email,
      sessionsEnded: forced.sessions,
      refreshFamiliesRevoked: forced.families,
      linkExpiresAt: forced.linkExpiresAt.toISOString(),
    };
  }
}
