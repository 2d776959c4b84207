import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { HOP_BY_HOP, PLAIN_CONNECTION } from './forwarded-headers';

/** Bytes up to which an answer is buffered rather than streamed. */
export const BUFFERED_BODY_MAX = 64 * 1024;

export interface UpstreamAnswer {
  statusCode: number;
  /** The answer's headers, less the hop-by-hop ones. */
  headers: Record<string, string | string[]>;
  /** Whole when the upstream declared a length up to BUFFERED_BODY_MAX, else streamed. */
  body: Buffer | Readable;
}

/** The route's deadline passed, wherever the exchange was: queued, sending, or reading the answer. */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';
}

/**
 * One exchange with an upstream, as undici's own dispatch handler rather than `request()`: the
 * answer's headers are read once into the object the reply sends (hop-by-hop ones dropped in the
 * same pass), a small body is gathered into one buffer without a stream, and one timer is the
 * route's deadline for the whole exchange, the wait for a connection included. `request()` spends
 * per call an AbortSignal with its timer and listeners, an async resource, a readable body stream
 * and a second header parse; the gateway needs none of them on the common path.
 *
 * `answered` runs once when the upstream has answered or failed (the pool's in-flight count).
 */
export class UpstreamCall implements Dispatcher.DispatchHandler {
  private abortExchange: ((error: Error) => void) | undefined;
  private resumeBody: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private settled = false;
  private released = false;
  /** The upstream has sent its whole answer, or failed. */
  private finished = false;
  private statusCode = 0;
  private headers: Record<string, string | string[]> = {};
  private chunks: Buffer[] | undefined;
  private stream: Readable | undefined;

  constructor(
    timeoutMs: number,
    private readonly resolve: (answer: UpstreamAnswer) => void,
    private readonly reject: (error: Error) => void,
    private readonly answered: () => void,
  ) {
    this.timer = setTimeout(this.expire, timeoutMs);
  }

  onConnect(abort: (error?: Error) => void): void {
    // Expired while waiting for a connection: the client already has its 504.
    if (this.settled) abort(new DeadlinePassed('expired while queued'));
    else this.abortExchange = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx informational answers precede the real one.
    if (statusCode < 200) return true;
    this.release();
    this.statusCode = statusCode;
    this.headers = answerHeaders(rawHeaders);
    this.resumeBody = resume;
    const length = Number(this.headers['content-length']);
    if (Number.isInteger(length) && length <= BUFFERED_BODY_MAX) {
      this.chunks = [];
      return true;
    }
    this.stream = new Readable({
      read: () => this.resumeBody?.(),
      // The client went away mid-answer: the upstream's exchange ends with it, not at the deadline.
      destroy: (error, done) => {
        if (!this.finished) this.abortExchange?.(error ?? new Error('answer abandoned'));
        done(error);
      },
    });
    this.settle();
    this.resolve({ statusCode, headers: this.headers, body: this.stream });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.stream) return this.stream.push(chunk);
    this.chunks?.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finished = true;
    clearTimeout(this.timer);
    if (this.stream) {
      this.stream.push(null);
      return;
    }
    if (this.settle()) return;
    const chunks = this.chunks ?? [];
    this.resolve({ statusCode: this.statusCode, headers: this.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
  }

  onError(error: Error): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.release();
    if (this.stream) this.stream.destroy(error);
    else if (!this.settle()) this.reject(error);
  }

  private readonly expire = (): void => {
    const error = new DeadlinePassed('route timeout');
    if (this.abortExchange) {
      this.abortExchange(error);
      return;
    }
    // Still queued for a connection: refused now, aborted when undici hands it one.
    this.release();
    if (!this.settle()) this.reject(error);
  };

  /** Marks the exchange settled; true when it already was. */
  private settle(): boolean {
    const was = this.settled;
    this.settled = true;
    return was;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.answered();
  }
}

/**
 * Names lower-cased, repeated names gathered into an array, values kept as their bytes (latin1,
 * as Node writes them back), hop-by-hop headers and those a `Connection` header lists dropped.
 */
export function answerHeaders(raw: Buffer[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  let listed: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection' && !PLAIN_CONNECTION.test(value)) listed = listed === undefined ? value : `${listed},${value}`;
      continue;
    }
    // An object literal's prototype setter must not take a header name.
    if (name === '__proto__') continue;
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (typeof seen === 'string') headers[name] = [seen, value];
    else seen.push(value);
  }
  if (listed !== undefined) for (const name of listed.split(',')) delete headers[name.trim().toLowerCase()];
  return headers;
}
