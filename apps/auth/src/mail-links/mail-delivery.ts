import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { AuditTrail } from '../audit/audit.service';
import { type MailMessage, Mailer } from '../mail/mailer';

/** What a mail is about, for the log and the audit trail (never the message: it holds the link). */
export interface MailContext {
  type: string;
  tenantId: string;
  accountId: string;
}

/** Hands messages to the mail port, now or behind the answer. */
@Injectable()
export class MailDelivery {
  constructor(
    private readonly mailer: Mailer,
    private readonly audit: AuditTrail,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Sends after the request is answered: the answer then takes as long whether or not a mail
   * goes out, so its timing says nothing about the address. A failure is logged and audited.
   */
  later(message: MailMessage, context: MailContext): void {
    setImmediate(() => void this.now(message, context).catch(() => undefined));
  }

  /** Sends within the adapter's deadline; rejects (logged and audited) when it cannot. */
  async now(message: MailMessage, context: MailContext): Promise<void> {
    try {
      await this.mailer.send(message);
    } catch (error) {
      this.logger.warn({ err: error, mail: context }, `mail ${context.type} not sent`);
      await this.audit
        .record({ type: 'mail.failed', outcome: 'failure', actor: context.accountId, tenantId: context.tenantId, details: { mail: context.type } })
        .catch(() => undefined);
      throw error;
    }
  }
}
