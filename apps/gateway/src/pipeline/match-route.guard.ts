import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { FastifyRequest } from 'fastify';
import { beginExchange } from '../exchange';
import { RouteTable } from '../routes/route-table';

/** Pipeline step 3: the route of the routes file this request belongs to, else `404 route_not_found`. */
@Injectable()
export class MatchRouteGuard implements CanActivate {
  constructor(private readonly routes: RouteTable) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const index = request.url.indexOf('?');
    const path = index < 0 ? request.url : request.url.slice(0, index);
    const route = this.routes.match(path);
    if (!route) throw new DomainError('route_not_found', `no route for ${path}`);
    beginExchange(request, { route, path, query: index < 0 ? '' : request.url.slice(index) });
    return true;
  }
}
