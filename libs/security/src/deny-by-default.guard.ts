import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@gatehouse/contracts';
import { metaOf } from '@gatehouse/transport';
import { AUTH_DECLARATION, type AuthDeclaration } from './auth-declaration';
import { authorize } from './authorize';
import { ServiceTokenVerifier } from './service/service-token.verifier';
import { CREDENTIAL_VERIFIER, type CredentialSource, type CredentialVerifier } from './credential-verifier';
import { PRINCIPAL_KEY, type RequestWithPrincipal } from './current-principal.decorator';

/**
 * Global guard of every app, HTTP and messages alike. A handler without a declaration is refused.
 * `@Public()` passes, and so does `@Routed()`, which the gateway's pipeline enforces per route.
 * `@Authenticated` needs the app's credential verifier, then every required scope
 * (`insufficient_scope`) and one of the roles (`forbidden`). `@ServiceScopes` message handlers need
 * a resource service's service-token verifier, which also holds the message to its tenant. Anything else is refused.
 */
@Injectable()
export class DenyByDefaultGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(CREDENTIAL_VERIFIER) private readonly verifier?: CredentialVerifier,
    @Optional() private readonly services?: ServiceTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AuthDeclaration | undefined>(AUTH_DECLARATION, [context.getHandler(), context.getClass()]);
    if (declaration?.kind === 'public' || declaration?.kind === 'routed') return true;
    if (!declaration) throw new DomainError('missing_token', 'route declares no auth');
    if (declaration.kind === 'service' && this.services && context.getType() === 'rpc') {
      await this.services.verify(metaOf(context), declaration.scopes, context.switchToRpc().getData<unknown>());
      return true;
    }
    if (declaration.kind !== 'user' || !this.verifier || context.getType() !== 'http') {
      throw new DomainError('missing_token', `no verifier for ${declaration.kind} credentials here`);
    }
    const request = context.switchToHttp().getRequest<CredentialSource & RequestWithPrincipal>();
    const principal = await this.verifier.verify(request);
    authorize(principal, declaration);
    request[PRINCIPAL_KEY] = principal;
    return true;
  }
}
