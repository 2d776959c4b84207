import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { type MailMessage, Mailer, MailUnavailable } from './mailer';

export interface SmtpOptions {
  url: string;
  from: string;
  /** Milliseconds one message may take, connection, greeting and transfer together. */
  timeoutMs: number;
}

/** SMTP through nodemailer, pooled. Every step has the deadline, and so does the whole send. */
export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    super();
    const { timeoutMs } = options;
    this.transport = createTransport({
      url: options.url,
      pool: true,
      maxConnections: 2,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
    } satisfies SMTPPool.Options);
  }

  async send(message: MailMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new MailUnavailable(`SMTP send took longer than ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    try {
      await Promise.race([this.transport.sendMail({ from: this.options.from, to: message.to, subject: message.subject, text: message.text }), deadline]);
    } catch (error) {
      if (error instanceof MailUnavailable) throw error;
      // nodemailer's errors may quote the server's answer; the address and subject are no secret.
      throw new MailUnavailable(`SMTP send failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
