import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { AccountLinkEntity, type LinkPurpose } from './account-link.entity';

/** A link for whoever has `email` in `tenantId`; `onlyUnverified` skips verified accounts. */
export interface LinkByEmail {
  purpose: LinkPurpose;
  tokenHash: string;
  tenantId: string;
  email: string;
  expiresAt: Date;
  onlyUnverified?: boolean;
}

/** Who a link was issued to, as the mail needs it. */
export interface LinkRecipient {
  accountId: string;
  tenantId: string;
  username: string;
  email: string;
}

/** The mail links of accounts: issued, read, used once. */
@Injectable()
export class AccountLinks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Issues a link to the active account of an active tenant that has `email`, in one statement
   * that does the same work whether or not there is one (the lookup is the insert's SELECT), so
   * the time taken says nothing about the address.
   */
  async issueByEmail(link: LinkByEmail): Promise<LinkRecipient | null> {
    const { purpose, tokenHash, tenantId, email, expiresAt, onlyUnverified = false } = link;
    const links = this.dataSource.getRepository(AccountLinkEntity).metadata.tablePath;
    const accounts = this.dataSource.getRepository(AccountEntity).metadata.tablePath;
    const tenants = this.dataSource.getRepository(TenantEntity).metadata.tablePath;
    const quoted = (path: string) =>
      path
        .split('.')
        .map((part) => `"${part}"`)
        .join('.');
    const rows: { account_id: string; tenant_id: string; username: string; email: string }[] = await this.dataSource.query(
      `WITH target AS (
         SELECT a.id, a.tenant_id, a.username, a.email FROM ${quoted(accounts)} a
         JOIN ${quoted(tenants)} t ON t.id = a.tenant_id AND t.status = 'active'
         WHERE a.tenant_id = $1 AND lower(a.email) = lower($2) AND a.status = 'active' AND ($5::boolean = false OR a.email_verified_at IS NULL)
       ), issued AS (
         INSERT INTO ${quoted(links)} (token_hash, purpose, tenant_id, account_id, email, expires_at)
         SELECT $3, $4, tenant_id, id, email, $6 FROM target
         RETURNING account_id
       )
       SELECT target.id AS account_id, target.tenant_id, target.username, target.email FROM target JOIN issued ON issued.account_id = target.id`,
      [tenantId, email, tokenHash, purpose, onlyUnverified, expiresAt],
    );
    const row = rows[0];
    return row ? { accountId: row.account_id, tenantId: row.tenant_id, username: row.username, email: row.email } : null;
  }

  /** Issues a link to an account already read (registration, an administrator's forced reset). */
  async issueFor(purpose: LinkPurpose, tokenHash: string, account: AccountEntity, expiresAt: Date): Promise<void> {
    await this.dataSource
      .getRepository(AccountLinkEntity)
      .insert({ tokenHash, purpose, tenantId: account.tenantId, accountId: account.id, email: account.email, expiresAt, usedAt: null });
  }

  /** The link a token hash names, if it is for `purpose`, unused and unexpired. */
  async findUsable(purpose: LinkPurpose, tokenHash: string, now: Date): Promise<AccountLinkEntity | null> {
    const link = await this.dataSource.getRepository(AccountLinkEntity).findOneBy({ tokenHash, purpose });
    if (!link || link.usedAt || link.expiresAt <= now) return null;
    return link;
  }

  /**
   * Uses the link, in one conditional update: of two requests presenting it, exactly one wins.
   * Then every other unused link of the same purpose for the account is retired with it (an older
   * reset mail lying in the inbox must not work after a reset). Answers whether this one won.
   */
  async use(link: AccountLinkEntity, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const won = await manager.update(AccountLinkEntity, { tokenHash: link.tokenHash, usedAt: IsNull() }, { usedAt: now });
      if (won.affected !== 1) return false;
      await manager.update(AccountLinkEntity, { accountId: link.accountId, purpose: link.purpose, usedAt: IsNull() }, { usedAt: now });
      // Links expired for a day are of no use to anyone, not even to explain a refusal.
      await manager.delete(AccountLinkEntity, { expiresAt: LessThan(new Date(now.getTime() - 86_400_000)) });
      return true;
    });
  }

  /** Retires every unused link of an account for `purpose` (a forced reset issues a fresh one). */
  async retire(accountId: string, purpose: LinkPurpose, now: Date): Promise<void> {
    await this.dataSource.getRepository(AccountLinkEntity).update({ accountId, purpose, usedAt: IsNull() }, { usedAt: now });
  }
}
