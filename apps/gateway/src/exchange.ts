import type { Principal } from '@gatehouse/contracts';
import type { JwksKey } from '@gatehouse/jwks';
import type { FastifyRequest } from 'fastify';
import type { Route } from './routes/route';
import type { RegisteredTenant } from './tenancy/tenant-registry';

/** What the gateway learns about one request as it passes the pipeline's steps. */
export interface Exchange {
  route: Route;
  /** The path without its query string, as matched. */
  path: string;
  /** `?` and the rest, or empty. */
  query: string;
  /** The bearer credential, once extracted (never logged). */
  token?: string;
  /** The key that verified `token`, recorded by the strategy for the verified-token cache. */
  verifiedWith?: JwksKey;
  principal?: Principal;
  /** From a `/tenants/<id>/` path prefix, taken off `path`. */
  pathTenant?: string;
  /** The resolved tenant, on routes that name tenant sources. */
  tenant?: RegisteredTenant;
}

const exchanges = new WeakMap<object, Exchange>();

export function beginExchange(request: FastifyRequest, exchange: Exchange): Exchange {
  exchanges.set(request, exchange);
  return exchange;
}

/** The request's exchange when a route matched it (metrics, which also see unmatched requests). */
export function matchedExchange(request: FastifyRequest): Exchange | undefined {
  return exchanges.get(request);
}

/** The request's exchange; every step after route matching can rely on it. */
export function exchangeOf(request: FastifyRequest): Exchange {
  const exchange = exchanges.get(request);
  if (!exchange) throw new Error('gateway step ran before the route was matched');
  return exchange;
}
