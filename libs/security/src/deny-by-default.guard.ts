import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { runInRequestContext, wellFormedId } from '@gatehouse/observability';
import { AuditPublisher, metaOf } from '@gatehouse/transport';
import { refusalEvent } from './audit-refusal';
import { AUTH_DECLARATION, type AuthDeclaration } from './auth-declaration';
import { authorize } from './authorize';
import { ServiceTokenVerifier } from './service/service-token.verifier';
import { CREDENTIAL_VERIFIER, type CredentialSource, type CredentialVerifier } from './credential-verifier';
import { PRINCIPAL_KEY, type RequestWithPrincipal } from './current-principal.decorator';

/**
 * Global guard of every app, HTTP and messages alike. A handler without a declaration is refused.
 * `@Public()` passes. (The gateway's proxy route, declared `routed`, is served outside Nest's router.)
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
    @Optional() private readonly audit?: AuditPublisher,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AuthDeclaration | undefined>(AUTH_DECLARATION, [context.getHandler(), context.getClass()]);
    if (declaration?.kind === 'public') return true;
    if (!declaration) throw new DomainError('missing_token', 'route declares no auth');
    if (declaration.kind === 'service' && this.services && context.getType() === 'rpc') {
      const payload = context.switchToRpc().getData<unknown>();
      const meta = metaOf(context);
      await this.services.verify(meta, declaration.scopes, payload).catch((error: unknown) =>
        // A message has no request context of its own: the sender's ids travel in its meta.
        runInRequestContext({ requestId: wellFormedId(meta.requestId) ?? 'message', traceparent: meta.traceparent }, () =>
          this.refused(error, 'rpc', undefined, tenantNamedIn(payload)),
        ),
      );
      return true;
    }
    if (declaration.kind !== 'user' || !this.verifier || context.getType() !== 'http') {
      throw new DomainError('missing_token', `no verifier for ${declaration.kind} credentials here`);
    }
    const request = context.switchToHttp().getRequest<CredentialSource & RequestWithPrincipal>();
    const principal = await this.verifier.verify(request);
    try {
      authorize(principal, declaration);
    } catch (error) {
      this.refused(error, 'http', principal);
    }
    request[PRINCIPAL_KEY] = principal;
    return true;
  }

  /** Reports the refusal to the audit trail (never waiting for it), then refuses. */
  private refused(error: unknown, where: 'http' | 'rpc', principal?: Principal, tenantId?: string): never {
    const event = this.audit && refusalEvent(error, where, principal, tenantId);
    if (event) this.audit?.report(event);
    throw error;
  }
}

function tenantNamedIn(payload: unknown): string | undefined {
  const tenantId = typeof payload === 'object' && payload !== null ? (payload as { tenantId?: unknown }).tenantId : undefined;
  return typeof tenantId === 'string' && tenantId.length <= 100 ? tenantId : undefined;
}
