import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { type Dispatcher, errors, Pool } from 'undici';
import { BodyTooLargeError } from './body-limit';

/** Bytes up to which an answer is buffered rather than streamed. */
const BUFFERED_BODY_MAX = 64 * 1024;

export interface UpstreamRequest {
  origin: URL;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: NodeJS.ReadableStream | null;
  timeoutMs: number;
}

/**
 * One keep-alive pool per upstream origin. A refused or broken connection is `502
 * upstream_unavailable`; no answer within the route's timeout is `504 upstream_timeout`: a request
 * never hangs.
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
        body: request.body as Dispatcher.DispatchOptions['body'],
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
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new DomainError('upstream_timeout', `${request.origin.origin} gave no answer in ${request.timeoutMs} ms`);
  }
  return new DomainError('upstream_unavailable', `${request.origin.origin}: ${(error as Error).message}`);
}
