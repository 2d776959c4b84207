import { Injectable } from '@nestjs/common';
import { TrustedProxies } from '@gatehouse/throttling';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { exchangeOf } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { IdentityPropagation } from '../propagation/identity-propagation';
import { limitBody } from './body-limit';
import { upstreamHeaders } from './forwarded-headers';
import { UpstreamPools } from './upstream-pool';

/**
 * Pipeline steps 9 and 10, once the pipeline has matched, authenticated and authorized: the
 * upstream headers (identity headers stripped, forwarding headers set, identity propagated) and
 * the streamed exchange with the upstream.
 */
@Injectable()
export class Forwarder {
  private readonly proxies: TrustedProxies;

  constructor(
    private readonly upstreams: UpstreamPools,
    private readonly propagation: IdentityPropagation,
    private readonly settings: GatewaySettings,
  ) {
    this.proxies = new TrustedProxies(settings.trustedProxies);
  }

  async forward(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const exchange = exchangeOf(request);
    const { route, path, query, context } = exchange;
    const requestId = context.requestId;
    const upstreamPath = `${route.upstream.pathname.replace(/\/$/, '')}${route.stripPrefix ? path.slice(route.prefix.length) || '/' : path}${query}`;
    const headers = upstreamHeaders(request.headers, {
      requestId,
      correlationId: context.correlationId ?? requestId,
      traceparent: context.traceparent,
      peer: request.socket.remoteAddress ?? request.ip,
      peerTrusted: this.proxies.trusts(request.socket.remoteAddress),
      protocol: request.protocol,
      host: request.headers.host,
    });
    this.propagation.apply(headers, exchange, requestId);
    const upstream = {
      origin: route.upstream,
      method: request.method,
      path: upstreamPath,
      headers,
      body: hasBody(request) ? limitBody(bodyStream(request), request.headers['content-length'], route.bodyLimit, this.settings.GATEWAY_BODY_LIMIT) : null,
      upstreamBodyLimit: route.upstreamBodyLimit,
      timeoutMs: route.timeoutMs,
    };
    const answer = await this.upstreams.send(upstream);
    // Sent, not awaited: a streamed body that fails midway is Fastify's to end (the connection).
    void reply.status(answer.statusCode).headers(answer.headers).header('x-request-id', requestId).send(answer.body);
  }
}

// The gateway registers one content parser that hands the payload over unread (parseBodies: false).
function bodyStream(request: FastifyRequest): NodeJS.ReadableStream {
  const body = request.body as NodeJS.ReadableStream | undefined;
  return body && typeof body.pipe === 'function' ? body : request.raw;
}

function hasBody(request: FastifyRequest): boolean {
  return request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
}
