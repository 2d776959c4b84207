import { SMTPServer } from 'smtp-server';
import { eventually } from './http';
import { freePort } from './test-env';

/** One message as the SMTP server received it, its text body decoded. */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

/** RFC 2045 quoted-printable, as nodemailer writes a text body with long lines. */
function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parse(raw: string, from: string, to: string[]): CaughtMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { from, to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), raw };
}

/** A real SMTP server on a free port (no TLS, no auth), keeping every message it receives. */
export class MailCatcher {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly messages: CaughtMail[],
  ) {}

  static async start(): Promise<MailCatcher> {
    const port = await freePort();
    const messages: CaughtMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          messages.push(
            parse(
              Buffer.concat(chunks).toString('latin1'),
              from,
              session.envelope.rcptTo.map((rcpt) => rcpt.address),
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return new MailCatcher(server, port, messages);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages to `address` so far. */
  to(address: string): CaughtMail[] {
    return this.messages.filter((message) => message.to.includes(address));
  }

  /** Waits for the `count`-th message to `address`; answers it. */
  async nth(address: string, count: number, timeoutMs = 5000): Promise<CaughtMail> {
    if (!(await eventually(() => Promise.resolve(this.to(address).length >= count), timeoutMs, 20))) {
      throw new Error(`no message number ${count} to ${address} within ${timeoutMs} ms`);
    }
    return this.to(address)[count - 1];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The token of the one link in a message whose path is `path`. */
export function linkToken(mail: CaughtMail, path: string): { url: string; token: string } {
  const match = new RegExp(`(https?://\\S+${path.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_-]{43}))`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return { url: match[1], token: match[2] };
}
