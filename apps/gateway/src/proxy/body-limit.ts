import { Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '@gatehouse/contracts';

/** Raised inside the request stream when it grows past the limit; mapped to 413, not 502. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A request body on its way upstream, counted: cut off past the limit, and known to be whole or not. */
export class LimitedBody extends Transform {
  private seen = 0;
  /** True once the whole body has passed; false while it streams, and after a cut. */
  complete = false;

  constructor(
    private readonly limit: number,
    private readonly declared: number,
  ) {
    super();
  }

  /** Whether the body is larger than `bytes`, by its declared length or by what has passed. */
  largerThan(bytes: number): boolean {
    return Math.max(this.seen, this.declared) > bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new BodyTooLargeError(this.limit));
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.complete = true;
    done();
  }
}

/**
 * The gateway streams bodies without parsing them, so Fastify's own body limit never applies: a
 * declared length over the limit is refused before anything is sent upstream, and a chunked body
 * is cut off the moment it passes the limit. What arrives after a cut is read and dropped, up to
 * `discardUpTo` bytes.
 */
export function limitBody(stream: NodeJS.ReadableStream, declaredLength: string | undefined, limit: number, discardUpTo: number): LimitedBody {
  const declared = declaredLength === undefined ? 0 : Number(declaredLength);
  if (declared > limit) throw new DomainError('payload_too_large', `content-length ${declaredLength} over ${limit}`);
  const body = new LimitedBody(limit, declared);
  body.once('close', () => {
    if (!body.complete) discardRest(stream, discardUpTo);
  });
  return stream.pipe(body);
}

/**
 * After a cut, or an upstream that stopped reading: what the client still sends is read and
 * dropped, so it gets its answer instead of an upload stalled on a full socket (and a connection
 * the server can never close). Past `limit` bytes, the connection is closed instead.
 */
function discardRest(stream: NodeJS.ReadableStream, limit: number): void {
  let dropped = 0;
  stream.unpipe();
  stream.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  });
  stream.resume();
}
