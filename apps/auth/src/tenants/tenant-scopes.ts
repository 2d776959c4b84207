import { PLATFORM_ONLY_SCOPES } from '@gatehouse/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import type { TenantEntity } from './tenant.entity';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The scopes a tenant's clients may hold: the tenant's own list, set by platform administrators,
 * or the platform's default (`TENANT_CLIENT_SCOPES`) when it has none. An unknown tenant allows
 * nothing.
 */
export function allowedScopesOf(tenant: TenantEntity | null, defaults: readonly string[]): readonly string[] {
  if (!tenant) return [];
  return tenant.allowedScopes ?? defaults;
}

/** Why a list cannot be a tenant's allowed scopes, or undefined when it can. */
export function tenantScopesProblem(scopes: unknown): string | undefined {
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || !SCOPE_TOKEN.test(scope))) return 'must be a list of scopes';
  const reserved = scopes.filter((scope) => PLATFORM_ONLY_SCOPES.includes(scope as string));
  if (reserved.length > 0) return `must not hold a platform-only scope (${reserved.join(' ')})`;
  return undefined;
}

/** class-validator form of tenantScopesProblem, for the Admin API and the bootstrap file. */
export function IsTenantScopes(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTenantScopes',
      validator: {
        validate: (value: unknown) => tenantScopesProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'allowedScopes'} ${tenantScopesProblem(args?.value) ?? ''}`,
      },
    },
    options,
  );
}
