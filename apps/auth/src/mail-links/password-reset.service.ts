import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher, passwordWeakness } from '../accounts/passwords';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { AccountSessions, type Ended } from '../sessions/account-sessions.service';
import { TenantLookup } from '../tenants/tenant-lookup';
import type { AccountLinkEntity } from './account-link.entity';
import { AccountLinks } from './account-links.repository';
import { linkTokenHash, newLinkToken } from './link-token';
import { MailDelivery } from './mail-delivery';
import { MailLinkLimits } from './mail-link-limits';
import { resetMail } from './mail-texts';
import type { MailRequestDto, ResetPasswordDto } from './mail-links.dto';

const invalidLink = (reason: string) => new DomainError('invalid_link', reason);

/**
 * Password reset by mail: a link to whoever has the address (the same answer, in the same time,
 * when nobody has it), usable once within `PASSWORD_RESET_TTL`; using it sets the password under
 * the password policy and ends every sign-in of the account.
 */
@Injectable()
export class PasswordReset {
  constructor(
    private readonly settings: AuthSettings,
    private readonly links: AccountLinks,
    private readonly limits: MailLinkLimits,
    private readonly delivery: MailDelivery,
    private readonly accounts: AccountsRepository,
    @InjectRepository(AccountEntity) private readonly accountRows: Repository<AccountEntity>,
    private readonly tenants: TenantLookup,
    private readonly passwords: PasswordHasher,
    private readonly sessions: AccountSessions,
    private readonly audit: AuditTrail,
  ) {}

  /** Limits first, then one statement whatever the address; the mail goes after the answer. */
  async forgot(input: MailRequestDto, ip: string): Promise<void> {
    await this.limits.admit({ purpose: 'password_reset', ip, tenantId: input.tenant, email: input.email });
    const token = newLinkToken();
    const recipient = await this.links.issueByEmail({
      purpose: 'password_reset',
      tokenHash: linkTokenHash(token),
      tenantId: input.tenant,
      email: input.email,
      expiresAt: this.expiry(),
    });
    await this.audit.record({
      type: 'password_reset.requested',
      outcome: 'success',
      actor: recipient?.accountId,
      tenantId: input.tenant,
      ip,
      details: { mailed: recipient !== null },
    });
    if (!recipient) return;
    const message = resetMail(recipient.email, recipient.username, this.link(token), this.settings.PASSWORD_RESET_TTL);
    this.delivery.later(message, { type: 'password_reset', tenantId: recipient.tenantId, accountId: recipient.accountId });
  }

  /** The link's account, the policy, then the link is used (once) and every sign-in ended. */
  async reset(input: ResetPasswordDto, ip: string): Promise<void> {
    const now = new Date();
    const link = await this.links.findUsable('password_reset', linkTokenHash(input.token), now);
    if (!link) throw invalidLink('reset link unknown, used or expired');
    const account = await this.activeAccount(link);
    // Before the link is used: a refused password leaves it working for a better one.
    const weakness = passwordWeakness(input.password, account.username);
    if (weakness) throw new DomainError('invalid_request', 'weak password', {}, weakness);
    if (!(await this.links.use(link, now))) throw invalidLink('reset link used concurrently');
    const passwordHash = await this.passwords.hash(input.password);
    // The link reached the address, so the address is verified (if it is still the account's).
    const verified = account.emailVerifiedAt ?? (sameAddress(account.email, link.email) ? now : null);
    await this.accountRows.update({ tenantId: account.tenantId, id: account.id }, { passwordHash, passwordChangedAt: now, emailVerifiedAt: verified });
    const ended = await this.sessions.endAll({ tenantId: account.tenantId, accountId: account.id }, account.id, 'password');
    await this.audit.record({ type: 'password_reset.completed', outcome: 'success', actor: account.id, tenantId: account.tenantId, ip, details: { ...ended } });
  }

  /**
   * An administrator's forced reset: the password stops working at once (replaced by one nobody
   * knows), every sign-in ends, and a fresh link is mailed, awaited so the administrator learns
   * whether it left (503 with Retry-After when the mail system is down; calling again is safe).
   */
  async force(account: AccountEntity, actor: string): Promise<Ended & { linkExpiresAt: Date }> {
    const now = new Date();
    await this.links.retire(account.id, 'password_reset', now);
    const unusable = await this.passwords.hash(randomBytes(32).toString('base64url'));
    await this.accountRows.update({ tenantId: account.tenantId, id: account.id }, { passwordHash: unusable, passwordChangedAt: now });
    const ended = await this.sessions.endAll({ tenantId: account.tenantId, accountId: account.id }, actor, 'password');
    const token = newLinkToken();
    const linkExpiresAt = this.expiry();
    await this.links.issueFor('password_reset', linkTokenHash(token), account, linkExpiresAt);
    const context = { type: 'password_reset', tenantId: account.tenantId, accountId: account.id };
    const mailed = await this.delivery.now(resetMail(account.email, account.username, this.link(token), this.settings.PASSWORD_RESET_TTL), context).then(
      () => true,
      () => false,
    );
    await this.audit.record({
      type: 'admin.user.password_reset_forced',
      outcome: mailed ? 'success' : 'failure',
      actor,
      tenantId: account.tenantId,
      details: { account: account.id, mailed, ...ended },
    });
    if (!mailed) throw new DomainError('service_unavailable', 'reset mail not sent', { 'retry-after': '30' });
    return { ...ended, linkExpiresAt };
  }

  private async activeAccount(link: AccountLinkEntity): Promise<AccountEntity> {
    const tenant = await this.tenants.find(link.tenantId);
    const account = tenant?.status === 'active' ? await this.accounts.findById(link.tenantId, link.accountId) : null;
    if (!account || account.status !== 'active') throw invalidLink(`reset link of an inactive account ${link.accountId}`);
    return account;
  }

  private expiry(): Date {
    return new Date(Date.now() + this.settings.PASSWORD_RESET_TTL * 1000);
  }

  private link(token: string): string {
    return `${this.settings.AUTH_ISSUER.replace(/\/$/, '')}/auth/password/reset?token=${token}`;
  }
}

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
