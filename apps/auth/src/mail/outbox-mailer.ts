import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@gatehouse/observability';
import { type MailMessage, Mailer, MailUnavailable } from './mailer';

/** Headers may not carry a line break: a value with one would start a header of its own. */
const headerValue = (value: string) => value.replace(/[\r\n]+/g, ' ');

/** One message as an RFC 5322 text file, readable by any mail client (`.eml`). */
export function emlText(from: string, message: MailMessage, date: Date): string {
  return [
    `From: ${headerValue(from)}`,
    `To: ${headerValue(message.to)}`,
    `Subject: ${headerValue(message.subject)}`,
    `Date: ${date.toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    message.text.replace(/\r?\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

/**
 * The embedded default: each message becomes a file in `<DATA_DIR>/outbox`, readable only by its
 * owner, and a log line names the file, never its content (the links in it are credentials).
 */
export class OutboxMailer extends Mailer {
  constructor(
    readonly folder: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    const now = new Date();
    const name = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
    const file = join(this.folder, name);
    try {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      await writeFile(file, emlText(this.from, message, now), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new MailUnavailable(`outbox write failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.logger.info({ mail: { file, subject: message.subject } }, `mail written to the outbox: ${file}`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
