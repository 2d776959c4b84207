import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import type { TenantEntity } from '../tenants/tenant.entity';
import { AccountLinks } from './account-links.repository';
import { linkTokenHash, newLinkToken } from './link-token';
import { MailDelivery } from './mail-delivery';
import { MailLinkLimits } from './mail-link-limits';
import { verificationMail } from './mail-texts';
import type { MailRequestDto, VerifyEmailDto } from './mail-links.dto';
import { sameAddress } from './password-reset.service';

/**
 * Email verification, for tenants that require it: a link mailed on registration (and again on
 * request, under the mail limits), usable once within `EMAIL_VERIFICATION_TTL`. Until it is used,
 * the account's correct password is refused with a clear reason (see check-email-verified.ts).
 */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly settings: AuthSettings,
    private readonly links: AccountLinks,
    private readonly limits: MailLinkLimits,
    private readonly delivery: MailDelivery,
    private readonly accounts: AccountsRepository,
    @InjectRepository(AccountEntity) private readonly accountRows: Repository<AccountEntity>,
    private readonly audit: AuditTrail,
  ) {}

  /** On registration: mails the link when the tenant requires a verified address. */
  async registered(account: AccountEntity, tenant: TenantEntity): Promise<void> {
    if (!tenant.requireEmailVerification) return;
    const token = newLinkToken();
    await this.links.issueFor('email_verification', linkTokenHash(token), account, this.expiry());
    this.mail(token, account);
  }

  /** Another link, to an unverified account with the address; the same answer otherwise. */
  async resend(input: MailRequestDto, ip: string): Promise<void> {
    await this.limits.admit({ purpose: 'email_verification', ip, tenantId: input.tenant, email: input.email });
    const token = newLinkToken();
    const recipient = await this.links.issueByEmail({
      purpose: 'email_verification',
      tokenHash: linkTokenHash(token),
      tenantId: input.tenant,
      email: input.email,
      expiresAt: this.expiry(),
      onlyUnverified: true,
    });
    await this.audit.record({
      type: 'email_verification.requested',
      outcome: 'success',
      actor: recipient?.accountId,
      tenantId: input.tenant,
      ip,
      details: { mailed: recipient !== null },
    });
    if (recipient) this.mail(token, { id: recipient.accountId, tenantId: recipient.tenantId, email: recipient.email, username: recipient.username });
  }

  /** Uses the link: the address is verified if the account still has the one it was sent to. */
  async verify(input: VerifyEmailDto, ip: string): Promise<void> {
    const now = new Date();
    const link = await this.links.findUsable('email_verification', linkTokenHash(input.token), now);
    const account = link ? await this.accounts.findById(link.tenantId, link.accountId) : null;
    if (!link || !account || account.status !== 'active' || !sameAddress(account.email, link.email))
      throw new DomainError('invalid_link', 'verification link unknown, used, expired or for another address');
    if (!(await this.links.use(link, now))) throw new DomainError('invalid_link', 'verification link used concurrently');
    if (!account.emailVerifiedAt) await this.accountRows.update({ tenantId: account.tenantId, id: account.id }, { emailVerifiedAt: now });
    await this.audit.record({ type: 'email_verification.completed', outcome: 'success', actor: account.id, tenantId: account.tenantId, ip });
  }

  private mail(token: string, account: Pick<AccountEntity, 'id' | 'tenantId' | 'email' | 'username'>): void {
    const link = `${this.settings.AUTH_ISSUER.replace(/\/$/, '')}/auth/email/verify?token=${token}`;
    const message = verificationMail(account.email, account.username, link, this.settings.EMAIL_VERIFICATION_TTL);
    this.delivery.later(message, { type: 'email_verification', tenantId: account.tenantId, accountId: account.id });
  }

  private expiry(): Date {
    return new Date(Date.now() + this.settings.EMAIL_VERIFICATION_TTL * 1000);
  }
}
