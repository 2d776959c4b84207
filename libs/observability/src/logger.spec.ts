import { Writable } from 'node:stream';
import { createAccessLogger, createLogger } from './logger';
import { acceptRequestId, runInRequestContext } from './request-context';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ app: 'test', level: 'info', destination }) };
}

describe('createLogger', () => {
  it('writes JSON lines with the app and the current request id', () => {
    const { lines, logger } = capture();
    runInRequestContext({ requestId: 'req-1234567890' }, () => logger.info('inside'));
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ app: 'test', level: 'info', requestId: 'req-1234567890', msg: 'inside' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('censors credentials wherever they appear in a logged object', () => {
    const { lines, logger } = capture();
    const token = 'eyJhbGciOiJSUzI1NiJ9.secret-payload.signature';
    logger.info({ password: 'hunter2', body: { refresh_token: token, client_secret: 's3' }, headers: { authorization: `Bearer ${token}` } }, 'login');
    const text = lines.join('');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(token);
    expect(text).not.toContain('s3"');
    expect(text).toContain('[redacted]');
  });
});

describe('createAccessLogger', () => {
  it("writes to the app logger's destination, with its app and level, and no redaction work", () => {
    const { lines, logger } = capture();
    const access = createAccessLogger(logger);
    access.info({ requestId: 'req-1234567890', method: 'GET', path: '/users/me', status: 200 }, 'request');
    access.debug('below the level');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ app: 'test', level: 'info', requestId: 'req-1234567890', path: '/users/me', msg: 'request' });
  });
});

describe('acceptRequestId', () => {
  it('keeps a well-formed id and replaces anything else', () => {
    expect(acceptRequestId('req-0123456789')).toBe('req-0123456789');
    for (const bad of [undefined, '', 'short', 'has space inside', 'line\nbreak-forging-a-log', 'x'.repeat(200)]) {
      expect(acceptRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
