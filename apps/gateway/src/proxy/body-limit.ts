import { Transform, type TransformCallback } from 'node:stream';
import { DomainError } from '@gatehouse/contracts';

/** Raised inside the request stream when it grows past the limit; mapped to 413, not 502. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The gateway streams bodies without parsing them, so Fastify's own body limit never applies: a
 * declared length over the limit is refused before anything is sent upstream, and a chunked body
 * is cut off the moment it passes the limit.
 */
export function limitBody(stream: NodeJS.ReadableStream, declaredLength: string | undefined, limit: number): NodeJS.ReadableStream {
  if (declaredLength !== undefined && Number(declaredLength) > limit) {
    throw new DomainError('payload_too_large', `content-length ${declaredLength} over ${limit}`);
  }
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) done(new BodyTooLargeError(limit));
      else done(null, chunk);
    },
  });
  return stream.pipe(counter);
}
