import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import { AuditPublisher } from '@gatehouse/transport';
import type { FastifyRequest } from 'fastify';
import { checkAuthStrength } from '../authn/check-auth-strength';
import { reportRefusal } from '../audit/report-refusal';
import { exchangeOf } from '../exchange';

/**
 * Pipeline step 8, for authenticated routes: the route's scopes (all of them) and roles (any one),
 * then the sign-in's strength and age (step-up, RFC 9470): a credential no sign-in could help is
 * refused for good before anyone is asked to sign in again.
 */
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
    // A session too weak or too old for the route: a step-up challenge (RFC 9470), not a refusal.
    checkAuthStrength(principal, route, Math.floor(Date.now() / 1000));
    return true;
  }
}
