import { HEADER, type Principal } from '@gatehouse/contracts';
import type { JwksKey } from '@gatehouse/jwks';
import { attachedRequestContext, type RequestContext, wellFormedId } from '@gatehouse/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Route } from './routes/route';
import type { RegisteredTenant } from './tenancy/tenant-registry';

/**
 * What the gateway learns about one request as it passes the pipeline's steps: created by route
 * matching, then read and filled by each step in order (gateway-pipeline.ts) and by the forwarder.
 */
export interface Exchange {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  /** The request's id, valid correlation id and trace context (forwarded, and on audit events). */
  readonly context: RequestContext;
  readonly route: Route;
  /** The path without its query string, as matched. */
  readonly path: string;
  /** `?` and the rest, or empty. */
  readonly query: string;
  /** From a `/tenants/<id>/` path prefix, taken off `path`. */
  readonly pathTenant: string | undefined;
  /** The bearer credential, once extracted (never logged). */
  token: string | undefined;
  /** The key that verified `token`, for the verified-token cache. */
  verifiedWith: JwksKey | undefined;
  principal: Principal | undefined;
  /** The resolved tenant, on routes that name tenant sources. */
  tenant: RegisteredTenant | undefined;
}

// One own property on Fastify's request object: no map to look the exchange up in per step.
const EXCHANGE = Symbol('gateway exchange');
type Carrier = FastifyRequest & { [EXCHANGE]?: Exchange };

export function beginExchange(request: FastifyRequest, reply: FastifyReply, matched: Pick<Exchange, 'route' | 'path' | 'query' | 'pathTenant'>): Exchange {
  // Every field named here, in one order, so every exchange has one shape.
  const exchange: Exchange = {
    request,
    reply,
    context: contextOf(request),
    route: matched.route,
    path: matched.path,
    query: matched.query,
    pathTenant: matched.pathTenant,
    token: undefined,
    verifiedWith: undefined,
    principal: undefined,
    tenant: undefined,
  };
  (request as Carrier)[EXCHANGE] = exchange;
  return exchange;
}

// As the HTTP hooks attached it (the gateway runs without AsyncLocalStorage); a request that met
// no hook still has its ids.
function contextOf(request: FastifyRequest): RequestContext {
  return attachedRequestContext(request) ?? { requestId: String(request.id), correlationId: wellFormedId(request.headers[HEADER.correlationId]) };
}

/** The request's exchange when a route matched it (metrics, which also see unmatched requests). */
export function matchedExchange(request: FastifyRequest): Exchange | undefined {
  return (request as Carrier)[EXCHANGE];
}

/** The request's exchange; everything after the pipeline can rely on it. */
export function exchangeOf(request: FastifyRequest): Exchange {
  const exchange = (request as Carrier)[EXCHANGE];
  if (!exchange) throw new Error('gateway step ran before the route was matched');
  return exchange;
}
