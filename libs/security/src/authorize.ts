import { DomainError, type Principal } from '@gatehouse/contracts';

export interface Requirements {
  /** Every one of these scopes is required. */
  scopes: readonly string[];
  /** Any one of these roles is enough; none listed means no role is needed. */
  roles: readonly string[];
}

/**
 * Route authorization, the same in the gateway and in every service: scopes first
 * (`insufficient_scope`, with the RFC 6750 challenge naming the scopes), then roles (`forbidden`).
 */
export function authorize(principal: Principal, { scopes, roles }: Requirements): void {
  const missing = scopes.filter((scope) => !principal.scopes.includes(scope));
  if (missing.length > 0) {
    throw new DomainError('insufficient_scope', `missing scopes: ${missing.join(' ')}`, {
      'www-authenticate': `Bearer realm="gatehouse", error="insufficient_scope", scope="${scopes.join(' ')}"`,
    });
  }
  if (roles.length > 0 && !roles.some((role) => principal.roles.includes(role))) {
    throw new DomainError('forbidden', `needs one of the roles: ${roles.join(', ')}`);
  }
}
