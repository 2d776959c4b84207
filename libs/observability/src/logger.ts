import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestContext } from './request-context';

export type { Logger } from 'pino';

/** Injection token of the app's own pino logger (every line carries the app's name). */
export const APP_LOGGER = Symbol('gatehouse:app-logger');

/**
 * Paths that may carry a credential. Nothing logs request headers or bodies wholesale, and these
 * paths are censored as a second line of defence should anything try.
 */
const REDACTED = ['authorization', 'cookie', 'password', 'secret', 'token', 'access_token', 'refresh_token', 'client_secret', 'id_token', 'code_verifier'];
const REDACT_PATHS = [
  ...REDACTED,
  ...REDACTED.map((key) => `*.${key}`),
  ...REDACTED.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export interface LoggerOptions {
  app: string;
  level: string;
  /** `json` (default): one object per line; `pretty`: a readable line for a terminal. */
  format?: 'json' | 'pretty';
  destination?: DestinationStream;
}

// A person at a terminal reads the time, the app and the message; the rest of the object follows
// on the lines below only when there is any (pino-pretty formats in this thread, synchronously).
function prettyStream(): DestinationStream {
  return pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,app', messageFormat: '{app} {msg}', singleLine: true, sync: true });
}

/** One logger per app, with the current request id mixed into every line: JSON lines, or pretty ones. */
export function createLogger({ app, level, format = 'json', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { app },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const context = currentRequestContext();
        return context ? { requestId: context.requestId } : {};
      },
    },
    destination ?? (format === 'pretty' ? prettyStream() : pino.destination({ sync: false })),
  );
}

/**
 * The access log's own logger: the same destination, level and fields as `logger`, but no
 * redaction. Its lines hold fixed fields that never carry a credential (request id, method, path
 * without query, status, time), and the 30 redaction paths, most of them wildcards, cost more per
 * request than the rest of the line (docs/PERFORMANCE.md).
 */
export function createAccessLogger(logger: Logger): Logger {
  const destination = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym];
  return pino(
    {
      level: logger.level,
      base: logger.bindings(),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  return typeof message === 'string' ? message : JSON.stringify(message);
}

const NARRATING = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'NestMicroservice']);

/** Nest's logger interface over pino, so framework messages land in the same JSON stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    // Nest narrates its own start (modules loaded, every route mapped): detail, not news.
    if (level === 'info' && context !== undefined && NARRATING.has(context)) level = 'debug';
    // Nest reports an error that fails the start before rethrowing it; the process prints it once,
    // as a block an operator can act on, so here it is debug detail (with its stack).
    if (context === 'ExceptionHandler' && level === 'error') level = 'debug';
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    this.logger[level]({ context, ...(stack ? { stack } : {}) }, text(message));
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
}
