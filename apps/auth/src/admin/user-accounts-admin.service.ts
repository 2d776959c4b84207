import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AuditTrail } from '../audit/audit.service';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { AccountSessions, type SessionView, type SessionsOwner } from '../sessions/account-sessions.service';
import { adminReachOf, tenantInReach } from './admin-policy';
import { type UserView, userView } from './admin-views';
import type { UpdateUserDto } from './admin-user-accounts.dto';

/**
 * What an administrator does to one account beyond creating and disabling it: its profile and
 * roles, enabling it again, and its sessions. Each change is audited; a tenant administrator acts
 * only inside their own tenant (see admin-policy.ts), and an account of another tenant is not found.
 */
@Injectable()
export class UserAccountsAdmin {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    private readonly sessions: AccountSessions,
    private readonly revocations: RevocationEvents,
    private readonly audit: AuditTrail,
  ) {}

  async update(principal: Principal, tenant: string | undefined, id: string, input: UpdateUserDto): Promise<UserView> {
    const account = await this.account(principal, tenant, id);
    if (input.email === undefined && input.roles === undefined) {
      throw new DomainError('invalid_request', 'empty update', {}, 'Give the email or the roles to change.');
    }
    if (input.email !== undefined && (await this.emailTaken(account, input.email))) {
      throw new DomainError('conflict', 'email taken', {}, 'The email is already registered.');
    }
    const removed = input.roles ? account.roles.filter((role) => !input.roles!.includes(role)) : [];
    const changes = { ...(input.email !== undefined ? { email: input.email } : {}), ...(input.roles ? { roles: input.roles } : {}) };
    await this.accounts.update({ tenantId: account.tenantId, id }, changes);
    // A token keeps the roles it was issued with: the ones with a removed role stop now, and a refresh brings the new roles.
    if (removed.length > 0) await this.revocations.subject(id);
    await this.audit.record({
      type: 'admin.user.updated',
      outcome: 'success',
      actor: principal.subject,
      tenantId: account.tenantId,
      details: { account: id, fields: Object.keys(changes), ...(input.roles ? { roles: input.roles, removedRoles: removed } : {}) },
    });
    return userView({ ...account, ...changes });
  }

  async enable(principal: Principal, tenant: string | undefined, id: string): Promise<UserView> {
    const account = await this.account(principal, tenant, id);
    await this.accounts.update({ tenantId: account.tenantId, id }, { status: 'active' });
    await this.audit.record({ type: 'admin.user.enabled', outcome: 'success', actor: principal.subject, tenantId: account.tenantId, details: { account: id } });
    return userView({ ...account, status: 'active' });
  }

  async listSessions(principal: Principal, tenant: string | undefined, id: string): Promise<SessionView[]> {
    return this.sessions.list(await this.owner(principal, tenant, id));
  }

  async endSession(principal: Principal, tenant: string | undefined, id: string, sid: string): Promise<void> {
    await this.sessions.end(await this.owner(principal, tenant, id), sid, principal.subject);
  }

  async endSessions(principal: Principal, tenant: string | undefined, id: string): Promise<void> {
    await this.sessions.endAll(await this.owner(principal, tenant, id), principal.subject);
  }

  private async owner(principal: Principal, tenant: string | undefined, id: string): Promise<SessionsOwner> {
    const account = await this.account(principal, tenant, id);
    return { tenantId: account.tenantId, accountId: account.id };
  }

  private async account(principal: Principal, tenant: string | undefined, id: string): Promise<AccountEntity> {
    const tenantId = tenantInReach(adminReachOf(principal), tenant);
    if (!tenantId) throw new DomainError('invalid_request', 'tenant missing', {}, 'Name the tenant (query `tenant`).');
    const account = await this.accounts.findOneBy({ tenantId, id });
    if (!account) throw new DomainError('not_found', `account ${id} in ${tenantId}`);
    return account;
  }

  private async emailTaken(account: AccountEntity, email: string): Promise<boolean> {
    const found = await this.accounts
      .createQueryBuilder('account')
      .where('account.tenant_id = :tenantId AND account.id != :id', { tenantId: account.tenantId, id: account.id })
      .andWhere('lower(account.email) = lower(:email)', { email })
      .getCount();
    return found > 0;
  }
}
