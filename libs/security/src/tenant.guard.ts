import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { PRINCIPAL_KEY, type RequestWithPrincipal } from './current-principal.decorator';

/**
 * The tenant a principal acts in; a principal of no tenant (a platform client) is `403 forbidden`
 * wherever tenant data is concerned. Resources themselves are reached through repository methods
 * that take this tenant, so another tenant's id is simply not found (404, never 403: tenants
 * cannot probe each other's ids).
 */
export function tenantOf(principal: Principal): string {
  if (!principal.tenantId) throw new DomainError('forbidden', `${principal.subject} belongs to no tenant`);
  return principal.tenantId;
}

/** On routes declared `@Authenticated({ tenant: true })`: the caller must act in a tenant. */
@Injectable()
export class TenantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_KEY];
    if (!principal) throw new DomainError('missing_token', 'TenantGuard ran before authentication');
    tenantOf(principal);
    return true;
  }
}
