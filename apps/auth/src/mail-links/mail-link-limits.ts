import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { FailoverAttemptStore } from '@gatehouse/throttling';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { retryAfterSeconds } from '../login-limits/login-delay';
import type { LinkPurpose } from './account-link.entity';

/** Who asks for a mail, and to which address. */
export interface MailRequest {
  purpose: LinkPurpose;
  ip: string;
  tenantId: string;
  email: string;
}

// The address is hashed into the key: Redis never holds who asked for a reset.
const emailKey = (request: MailRequest) =>
  createHash('sha256').update(`${request.tenantId}\n${request.email.toLowerCase()}`, 'utf8').digest('base64url').slice(0, 32);

/**
 * The limits of the mails a stranger can make auth send: per client address and per recipient,
 * each purpose counted apart, on the login limits' counters (Redis when set, shared by every
 * instance). A refusal is the platform's 429 with Retry-After, audited; it says nothing of
 * whether the address has an account, since it is decided before anything is looked up.
 */
@Injectable()
export class MailLinkLimits {
  constructor(
    private readonly settings: AuthSettings,
    private readonly store: FailoverAttemptStore,
    private readonly audit: AuditTrail,
  ) {}

  async admit(request: MailRequest): Promise<void> {
    const windowMs = this.settings.MAIL_LINK_WINDOW * 1000;
    const [ip, email] = await this.store.hit([
      { key: `mail:${request.purpose}:ip:${request.ip}`, windowMs },
      { key: `mail:${request.purpose}:email:${emailKey(request)}`, windowMs },
    ]);
    const holding: [string, number][] = [
      ['address', ip.count > this.settings.MAIL_LINK_IP_LIMIT ? ip.resetInMs : 0],
      ['email', email.count > this.settings.MAIL_LINK_EMAIL_LIMIT ? email.resetInMs : 0],
    ];
    const limits = holding.filter(([, ms]) => ms > 0);
    if (limits.length === 0) return;
    const seconds = retryAfterSeconds(Math.max(...limits.map(([, ms]) => ms)));
    const names = limits.map(([name]) => name);
    await this.audit.record({
      type: `${request.purpose}.rate_limited`,
      outcome: 'failure',
      tenantId: request.tenantId,
      ip: request.ip,
      details: { limits: names, retryAfter: seconds },
    });
    throw new DomainError('rate_limited', `${request.purpose} mail refused: ${names.join(', ')} limit; retry after ${seconds}s`, {
      'retry-after': String(seconds),
    });
  }
}
