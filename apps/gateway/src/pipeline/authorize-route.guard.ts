import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import type { FastifyRequest } from 'fastify';
import { checkAuthStrength } from '../authn/check-auth-strength';
import { exchangeOf } from '../exchange';

/**
 * Pipeline step 8, for authenticated routes: the route's scopes (all of them) and roles (any one),
 * then the sign-in's strength and age (step-up, RFC 9470): a credential no sign-in could help is
 * refused for good before anyone is asked to sign in again.
 */
@Injectable()
export class AuthorizeRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { route, principal } = exchangeOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (!principal) return true;
    authorize(principal, route);
    checkAuthStrength(principal, route, Math.floor(Date.now() / 1000));
    return true;
  }
}
