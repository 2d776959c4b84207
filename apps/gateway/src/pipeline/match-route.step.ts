import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { FastifyRequest } from 'fastify';
import { beginExchange } from '../exchange';
import { RouteTable } from '../routes/route-table';
import { splitTenantPath } from '../tenancy/resolve-tenant';

/**
 * Pipeline step 3: the route of the routes file this request belongs to, else `404
 * route_not_found`. A `/tenants/<id>/` prefix is taken off first and kept for tenant resolution.
 */
@Injectable()
export class MatchRouteGuard implements CanActivate {
  constructor(private readonly routes: RouteTable) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const index = request.url.indexOf('?');
    const fullPath = index < 0 ? request.url : request.url.slice(0, index);
    // `/tenants/<id>/...` names the tenant, on routes that accept the path source only.
    const tenantPath = splitTenantPath(fullPath);
    const path = tenantPath?.rest ?? fullPath;
    const route = this.routes.match(path);
    if (!route || (tenantPath && !route.tenant.includes('path'))) throw new DomainError('route_not_found', `no route for ${fullPath}`);
    beginExchange(request, { route, path, query: index < 0 ? '' : request.url.slice(index), pathTenant: tenantPath?.tenant });
    return true;
  }
}
