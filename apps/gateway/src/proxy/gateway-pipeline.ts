import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewaySettings } from '../gateway.settings';
import { RouteTable } from '../routes/route-table';
import { limitBody } from './body-limit';
import type { Route } from '../routes/route';
import { downstreamHeaders, upstreamHeaders } from './forwarded-headers';
import { UpstreamPools } from './upstream-pool';

/**
 * The gateway's pipeline for one request, in the order of DESIGN.md section 5: route match,
 * authentication by the route's mode, then the proxy. Identity headers are stripped on every
 * route (public ones included) when the upstream headers are built.
 */
@Injectable()
export class GatewayPipeline {
  constructor(
    private readonly routes: RouteTable,
    private readonly upstreams: UpstreamPools,
    private readonly settings: GatewaySettings,
  ) {}

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [path, query] = splitUrl(request.url);
    const route = this.routes.match(path);
    if (!route) throw new DomainError('route_not_found', `no route for ${path}`);
    this.authenticate(route, request);
    const upstreamPath = `${route.upstream.pathname.replace(/\/$/, '')}${route.stripPrefix ? path.slice(route.prefix.length) || '/' : path}${query}`;
    const answer = await this.upstreams.send({
      origin: route.upstream,
      method: request.method,
      path: upstreamPath,
      headers: upstreamHeaders(request.headers, {
        requestId: String(request.id),
        clientIp: request.ip,
        protocol: request.protocol,
        host: request.headers.host,
      }),
      body: hasBody(request) ? limitBody(bodyStream(request), request.headers['content-length'], this.settings.GATEWAY_BODY_LIMIT) : null,
      timeoutMs: route.timeoutMs,
    });
    void reply.status(answer.statusCode).headers(downstreamHeaders(answer.headers)).header('x-request-id', String(request.id));
    await reply.send(answer.body);
  }

  // Authentication of jwt, introspection and session routes lands with the JWKS cache; until then
  // such routes are refused, never let through.
  private authenticate(route: Route, request: FastifyRequest): void {
    if (route.auth === 'public') return;
    if (!request.headers.authorization) throw new DomainError('missing_token', `${route.prefix} needs ${route.auth}`);
    throw new DomainError('auth_unavailable', `${route.auth} authentication is not available yet`, { 'retry-after': '30' });
  }
}

function splitUrl(url: string): [string, string] {
  const index = url.indexOf('?');
  return index < 0 ? [url, ''] : [url.slice(0, index), url.slice(index)];
}

// The gateway registers one content parser that hands the payload over unread (parseBodies: false).
function bodyStream(request: FastifyRequest): NodeJS.ReadableStream {
  const body = request.body as NodeJS.ReadableStream | undefined;
  return body && typeof body.pipe === 'function' ? body : request.raw;
}

function hasBody(request: FastifyRequest): boolean {
  return request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
}
