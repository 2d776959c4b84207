import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import type { FastifyRequest } from 'fastify';
import { exchangeOf } from '../exchange';

/** Pipeline step 8: the route's scopes (all of them) and roles (any one), for authenticated routes. */
@Injectable()
export class AuthorizeRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { route, principal } = exchangeOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (principal) authorize(principal, route);
    return true;
  }
}
