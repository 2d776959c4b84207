import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { beginExchange, type Exchange } from '../exchange';
import { RouteTable } from '../routes/route-table';
import { splitTenantPath } from '../tenancy/resolve-tenant';

/**
 * Pipeline step 3: the route of the routes file this request belongs to, else `404
 * route_not_found`. A `/tenants/<id>/` prefix is taken off first and kept for tenant resolution.
 * It begins the exchange every later step reads and fills.
 */
@Injectable()
export class MatchRouteStep {
  constructor(private readonly routes: RouteTable) {}

  begin(request: FastifyRequest, reply: FastifyReply): Exchange {
    const url = request.url;
    const index = url.indexOf('?');
    const fullPath = index < 0 ? url : url.slice(0, index);
    // `/tenants/<id>/...` names the tenant, on routes that accept the path source only.
    const tenantPath = splitTenantPath(fullPath);
    const path = tenantPath?.rest ?? fullPath;
    const route = this.routes.match(path);
    if (!route || (tenantPath && !route.tenant.includes('path'))) throw new DomainError('route_not_found', `no route for ${fullPath}`);
    return beginExchange(request, reply, { route, path, query: index < 0 ? '' : url.slice(index), pathTenant: tenantPath?.tenant });
  }
}
