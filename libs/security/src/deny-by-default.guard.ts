import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@gatehouse/contracts';
import { AUTH_DECLARATION, type AuthDeclaration } from './auth-declaration';

/**
 * Global guard of every app, HTTP and messages alike: a handler without a declaration is refused,
 * and so is every declared credential this app cannot verify yet. `@Public()` is the only way out.
 */
@Injectable()
export class DenyByDefaultGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const declaration = this.reflector.getAllAndOverride<AuthDeclaration | undefined>(AUTH_DECLARATION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (declaration?.kind === 'public') return true;
    throw new DomainError(
      'missing_token',
      declaration ? `no verifier for ${declaration.kind} credentials on this route` : 'route declares no auth',
    );
  }
}
