import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@gatehouse/observability';
import { emlText, OutboxMailer } from './outbox-mailer';

const LINK = 'http://127.0.0.1:3000/auth/password/reset?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('OutboxMailer (the embedded default)', () => {
  let folder: string;
  let lines: string[];
  let mailer: OutboxMailer;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gatehouse-outbox-'));
    lines = [];
    const logger = createLogger({ app: 'auth', level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    mailer = new OutboxMailer(join(folder, 'outbox'), 'Gatehouse <no-reply@gatehouse.invalid>', logger);
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes each message to its own .eml file, owner-only, and logs the file name but never the content', async () => {
    await mailer.send({ to: 'carol@acme.test', subject: 'Reset your password', text: `Open this:\n${LINK}` });
    await mailer.send({ to: 'dave@acme.test', subject: 'Reset your password', text: 'another' });
    const files = await readdir(join(folder, 'outbox'));
    expect(files).toHaveLength(2);
    const file = join(
      folder,
      'outbox',
      files.find((name) => name.endsWith('.eml'))!,
    );
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(join(folder, 'outbox'))).mode & 0o777).toString(8)).toBe('700');
    const written = await Promise.all(files.map((name) => readFile(join(folder, 'outbox', name), 'utf8')));
    expect(written.join('')).toContain(LINK);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('token=');
    expect(lines.join('\n')).not.toContain('AAAAAAAA');
    const logged = JSON.parse(lines[0]) as { msg: string; mail: { file: string } };
    expect(logged.msg).toBe(`mail written to the outbox: ${logged.mail.file}`);
    expect(files.map((name) => join(folder, 'outbox', name))).toContain(logged.mail.file);
  });

  it('writes a header value on one line, whatever it holds', () => {
    const text = emlText('a@b.test', { to: 'x@y.test\r\nBcc: victim@z.test', subject: 'Hi\nthere', text: 'body' }, new Date(0));
    expect(text.split('\r\n\r\n')[0].split('\r\n')).toEqual([
      'From: a@b.test',
      'To: x@y.test Bcc: victim@z.test',
      'Subject: Hi there',
      'Date: Thu, 01 Jan 1970 00:00:00 GMT',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]);
  });
});
