import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AccountEntity } from './account.entity';

export interface NewAccount {
  username: string;
  email: string;
  passwordHash: string;
  roles?: string[];
}

/** Accounts, always within one tenant: no method reaches an account without its tenant id. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>) {}

  findById(tenantId: string, id: string): Promise<AccountEntity | null> {
    return this.accounts.findOneBy({ tenantId, id });
  }

  findByUsername(tenantId: string, username: string): Promise<AccountEntity | null> {
    return this.accounts
      .createQueryBuilder('account')
      .where('account.tenant_id = :tenantId AND lower(account.username) = lower(:username)', { tenantId, username })
      .getOne();
  }

  async taken(tenantId: string, username: string, email: string): Promise<boolean> {
    const found = await this.accounts
      .createQueryBuilder('account')
      .where('account.tenant_id = :tenantId', { tenantId })
      .andWhere('(lower(account.username) = lower(:username) OR lower(account.email) = lower(:email))', { username, email })
      .getCount();
    return found > 0;
  }

  async create(tenantId: string, account: NewAccount): Promise<AccountEntity> {
    return this.accounts.save(this.accounts.create({ ...account, tenantId, roles: account.roles ?? [], status: 'active' }));
  }
}
