import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { AuthSettings } from '../auth.settings';
import { Mailer } from './mailer';
import { OutboxMailer } from './outbox-mailer';
import { SmtpMailer } from './smtp-mailer';

/** The adapter the settings choose: SMTP when `SMTP_URL` is set, the outbox folder otherwise. */
export function mailerFor(settings: AuthSettings, logger: Logger): Mailer {
  if (settings.SMTP_URL) return new SmtpMailer({ url: settings.SMTP_URL, from: settings.MAIL_FROM, timeoutMs: settings.MAIL_SEND_TIMEOUT * 1000 });
  return new OutboxMailer(join(settings.DATA_DIR, 'outbox'), settings.MAIL_FROM, logger);
}

@Injectable()
class MailerShutdown implements OnApplicationShutdown {
  constructor(private readonly mailer: Mailer) {}

  onApplicationShutdown(): Promise<void> {
    return this.mailer.close();
  }
}

/** The mail port and its adapter, for whatever in auth sends mail. */
@Module({
  providers: [{ provide: Mailer, inject: [AuthSettings, APP_LOGGER], useFactory: mailerFor }, MailerShutdown],
  exports: [Mailer],
})
export class MailModule {}
