import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { peerTls } from '@gatehouse/config';
import { DomainError } from '@gatehouse/contracts';
import { errors, Pool } from 'undici';
import { GatewaySettings } from '../gateway.settings';
import { UpstreamErrors } from './upstream-errors';
import { BodyTooLargeError, type LimitedBody } from './body-limit';
import { DeadlinePassed, type UpstreamAnswer, UpstreamCall } from './upstream-call';

// Asked of a client refused for unavailability: an upstream that restarts or a queue that drains
// takes about this long, and a client honouring it spreads its retries.
const RETRY_AFTER = { 'retry-after': '1' };

interface Upstream {
  pool: Pool;
  /** Requests sent and not yet answered (headers), running or waiting for a connection. */
  inFlight: number;
}

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
 * One keep-alive pool per upstream origin, of `UPSTREAM_CONNECTIONS` connections and at most
 * `UPSTREAM_QUEUE_LIMIT` requests waiting for one. A refused or broken connection, or a full queue,
 * is `503 upstream_unavailable` with Retry-After; no answer within the route's timeout is `504
 * upstream_timeout`, and that timeout covers the whole exchange, the wait for a connection
 * included: a request never outlives its route because others hold the connections. A connection
 * the upstream closes before it has the whole of a body larger than its limit is that upstream
 * refusing the size (Fastify stops reading and hangs up, and its 413 may never reach the gateway):
 * `413 payload_too_large`.
 */
@Injectable()
export class UpstreamPools implements OnApplicationShutdown {
  private readonly upstreams = new Map<string, Upstream>();

  constructor(
    private readonly settings: GatewaySettings,
    private readonly errors: UpstreamErrors,
  ) {}

  /**
   * The upstream's answer: its status and headers, and the body whole (a declared length up to 64
   * KiB) or streamed. Refused with a DomainError when no usable answer came; a failure while a
   * streamed body flows destroys that stream.
   */
  send(request: UpstreamRequest): Promise<UpstreamAnswer> {
    const upstream = this.upstream(request.origin);
    if (upstream.inFlight >= this.settings.UPSTREAM_CONNECTIONS + this.settings.UPSTREAM_QUEUE_LIMIT) {
      this.errors.count(request.origin.origin, 'upstream_unavailable');
      throw new DomainError('upstream_unavailable', `${request.origin.origin}: ${upstream.inFlight} requests in flight, the queue is full`, RETRY_AFTER);
    }
    upstream.inFlight++;
    return new Promise<UpstreamAnswer>((resolve, reject) => {
      const call = new UpstreamCall(
        request.timeoutMs,
        resolve,
        (error) => reject(this.counted(failure(error, request), request)),
        () => upstream.inFlight--,
      );
      // The call's own timer is the deadline of the whole exchange: undici's per-phase timers off.
      upstream.pool.dispatch(
        { method: request.method, path: request.path, headers: request.headers, body: request.body, headersTimeout: 0, bodyTimeout: 0 },
        call,
      );
    });
  }

  // A body too large is the client's, not the upstream's.
  private counted(error: DomainError, request: UpstreamRequest): DomainError {
    if (error.code !== 'payload_too_large') this.errors.count(request.origin.origin, error.code);
    return error;
  }

  private upstream(origin: URL): Upstream {
    let upstream = this.upstreams.get(origin.origin);
    if (!upstream) {
      upstream = {
        pool: new Pool(origin.origin, {
          connections: this.settings.UPSTREAM_CONNECTIONS,
          keepAliveTimeout: 10_000,
          connectTimeout: 2_000,
          // An https upstream is checked against TLS_CA_FILE, and the gateway presents its own certificate.
          ...(origin.protocol === 'https:' && peerTls(this.settings) ? { connect: { ...peerTls(this.settings), rejectUnauthorized: true } } : {}),
        }),
        inFlight: 0,
      };
      this.upstreams.set(origin.origin, upstream);
    }
    return upstream;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.upstreams.values()].map(({ pool }) => pool.close().catch(() => undefined)));
    this.upstreams.clear();
  }
}

function failure(error: unknown, request: UpstreamRequest): DomainError {
  if (error instanceof BodyTooLargeError || (error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
    return new DomainError('payload_too_large', (error as Error).message);
  }
  if (hungUpOnLargeBody(error, request)) {
    return new DomainError('payload_too_large', `${request.origin.origin} hung up on a body over ${request.upstreamBodyLimit} bytes`);
  }
  if (error instanceof DeadlinePassed) {
    return new DomainError('upstream_timeout', `${request.origin.origin} gave no answer in ${request.timeoutMs} ms`);
  }
  return new DomainError('upstream_unavailable', `${request.origin.origin}: ${(error as Error).message}`, RETRY_AFTER);
}

const HANG_UPS: readonly string[] = ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'];

function hungUpOnLargeBody(error: unknown, request: UpstreamRequest): boolean {
  const body = request.body;
  if (!body || body.complete || !body.largerThan(request.upstreamBodyLimit)) return false;
  const code = (error as { code?: unknown }).code;
  return error instanceof errors.SocketError || (typeof code === 'string' && HANG_UPS.includes(code));
}
