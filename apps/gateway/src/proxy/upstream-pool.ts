import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { type Dispatcher, errors, Pool } from 'undici';
import { BodyTooLargeError, LimitedBody } from './body-limit';

/** Bytes up to which an answer is buffered rather than streamed. */
const BUFFERED_BODY_MAX = 64 * 1024;

export interface UpstreamRequest {
  origin: URL;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: LimitedBody | null;
  /** The upstream service's own body limit, past which it hangs up mid-body. */
  upstreamBodyLimit: number;
  timeoutMs: number;
}

/**
 * One keep-alive pool per upstream origin. A refused or broken connection is `502
 * upstream_unavailable`; no answer within the route's timeout is `504 upstream_timeout`: a request
 * never hangs. A connection the upstream closes before it has the whole of a body larger than its
 * limit is that upstream refusing the size (Fastify stops reading and hangs up, and its 413 may
 * never reach the gateway): `413 payload_too_large`.
 */
@Injectable()
export class UpstreamPools implements OnApplicationShutdown {
  private readonly pools = new Map<string, Pool>();

  async send(request: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    const pool = this.pool(request.origin);
    try {
      return await pool.request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
    } catch (error) {
      throw failure(error, request);
    }
  }

  /**
   * The answer's body: read whole when the upstream declares a small length (piping a stream
   * costs more per request than the copy, and a failure mid-body still gets its error code), else
   * the stream itself.
   */
  async body(answer: Dispatcher.ResponseData, request: UpstreamRequest): Promise<Buffer | Dispatcher.ResponseData['body']> {
    const length = Number(answer.headers['content-length']);
    if (!Number.isInteger(length) || length > BUFFERED_BODY_MAX) return answer.body;
    try {
      return Buffer.from(await answer.body.arrayBuffer());
    } catch (error) {
      throw failure(error, request);
    }
  }

  private pool(origin: URL): Pool {
    let pool = this.pools.get(origin.origin);
    if (!pool) {
      pool = new Pool(origin.origin, { connections: 128, keepAliveTimeout: 10_000, connectTimeout: 2_000 });
      this.pools.set(origin.origin, pool);
    }
    return pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => undefined)));
    this.pools.clear();
  }
}

function failure(error: unknown, request: UpstreamRequest): DomainError {
  if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
    return new DomainError('payload_too_large', (error as Error).message);
  }
  if (hungUpOnLargeBody(error, request)) {
    return new DomainError('payload_too_large', `${request.origin.origin} hung up on a body over ${request.upstreamBodyLimit} bytes`);
  }
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new DomainError('upstream_timeout', `${request.origin.origin} gave no answer in ${request.timeoutMs} ms`);
  }
  return new DomainError('upstream_unavailable', `${request.origin.origin}: ${(error as Error).message}`);
}

const HANG_UPS: readonly string[] = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'];

function hungUpOnLargeBody(error: unknown, request: UpstreamRequest): boolean {
  const body = request.body;
  if (!body || body.complete || !body.largerThan(request.upstreamBodyLimit)) return false;
  const code = (error as { code?: unknown }).code;
  return error instanceof errors.SocketError || (typeof code === 'string' && HANG_UPS.includes(code));
}
