import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import { AuditPublisher } from '@gatehouse/transport';
import type { FastifyRequest } from 'fastify';
import { reportRefusal } from '../audit/report-refusal';
import { exchangeOf } from '../exchange';

/** Pipeline step 8: the route's scopes (all of them) and roles (any one), for authenticated routes. */
@Injectable()
export class AuthorizeRouteGuard implements CanActivate {
  constructor(private readonly audit: AuditPublisher) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { route, principal } = exchangeOf(request);
    if (!principal) return true;
    try {
      authorize(principal, route);
    } catch (error) {
      reportRefusal(this.audit, error, principal, route.prefix, request.ip);
      throw error;
    }
    return true;
  }
}
