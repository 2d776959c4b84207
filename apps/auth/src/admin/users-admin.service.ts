import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher, passwordWeakness } from '../accounts/passwords';
import { AuditTrail } from '../audit/audit.service';
import { Consents } from '../authorize/consents.service';
import { AccountSessions } from '../sessions/account-sessions.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { adminReachOf, tenantInReach } from './admin-policy';
import { type ConsentView, consentView, type UserView, userView } from './admin-views';
import type { CreateUserDto } from './admin.dto';

/** Accounts of one tenant: a platform administrator names it, a tenant administrator has theirs. */
@Injectable()
export class UsersAdmin {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    private readonly repository: AccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly consentRecords: Consents,
    private readonly sessions: AccountSessions,
  ) {}

  async list(principal: Principal, tenant?: string): Promise<UserView[]> {
    const tenantId = this.requiredTenant(principal, tenant);
    return (await this.accounts.find({ where: { tenantId }, order: { username: 'ASC' } })).map(userView);
  }

  async create(principal: Principal, input: CreateUserDto): Promise<UserView> {
    const tenantId = this.requiredTenant(principal, input.tenant);
    if (!(await this.tenants.find(tenantId))) throw new DomainError('not_found', `tenant ${tenantId}`);
    const weakness = passwordWeakness(input.password, input.username);
    if (weakness) throw new DomainError('invalid_request', 'weak password', {}, weakness);
    if (await this.repository.taken(tenantId, input.username, input.email)) {
      throw new DomainError('conflict', 'username or email taken', {}, 'The username or email is already registered.');
    }
    const account = await this.repository.create(tenantId, {
      username: input.username,
      email: input.email,
      passwordHash: await this.passwords.hash(input.password),
      roles: input.roles ?? [],
    });
    await this.audit.record({
      type: 'admin.user.created',
      outcome: 'success',
      actor: principal.subject,
      tenantId,
      details: { account: account.id, roles: account.roles },
    });
    return userView(account);
  }

  async disable(principal: Principal, tenant: string | undefined, id: string): Promise<UserView> {
    const tenantId = this.requiredTenant(principal, tenant);
    const account = await this.repository.findById(tenantId, id);
    if (!account) throw new DomainError('not_found', `account ${id} in ${tenantId}`);
    account.status = 'disabled';
    await this.accounts.save(account);
    // Every session and refresh-token family ends too, not only refused while the account stays disabled.
    await this.sessions.endAll({ tenantId, accountId: account.id }, principal.subject, 'disabled');
    await this.audit.record({ type: 'admin.user.disabled', outcome: 'success', actor: principal.subject, tenantId, details: { account: id } });
    return userView(account);
  }

  async consents(principal: Principal, tenant: string | undefined, id: string): Promise<ConsentView[]> {
    const tenantId = this.requiredTenant(principal, tenant);
    return (await this.consentRecords.list(tenantId, id)).map(consentView);
  }

  async withdrawConsent(principal: Principal, tenant: string | undefined, id: string, clientId: string): Promise<void> {
    const tenantId = this.requiredTenant(principal, tenant);
    if (!(await this.consentRecords.withdraw(tenantId, id, clientId, principal.subject)))
      throw new DomainError('not_found', `consent of ${id} to ${clientId.slice(0, 128)}`);
  }

  private requiredTenant(principal: Principal, requested: string | undefined): string {
    const tenantId = tenantInReach(adminReachOf(principal), requested);
    if (!tenantId) throw new DomainError('invalid_request', 'tenant missing', {}, 'Name the tenant (query or body `tenant`).');
    return tenantId;
  }
}
