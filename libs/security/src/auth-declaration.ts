import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { TenantGuard } from './tenant.guard';

/** Metadata key every route and message handler must carry; the route inventory test checks it. */
export const AUTH_DECLARATION = 'gatehouse:auth-declaration';

export type AuthDeclaration =
  | { kind: 'public' }
  | { kind: 'user'; roles: readonly string[]; scopes: readonly string[] }
  | { kind: 'service'; scopes: readonly string[] }
  /** The gateway's proxy route alone (AppDefinition.httpRoutes): its routes file decides, its pipeline enforces. */
  | { kind: 'routed' };

export function authDeclarationOf(handler: object): AuthDeclaration | undefined {
  return Reflect.getMetadata(AUTH_DECLARATION, handler) as AuthDeclaration | undefined;
}

/** No credential needed. The only way out of the deny-by-default guard. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(AUTH_DECLARATION, { kind: 'public' } satisfies AuthDeclaration), ApiSecurity({}));
}

export interface AuthenticatedOptions {
  /** Any one of these roles is enough. */
  roles?: readonly string[];
  /** Every one of these scopes is required. */
  scopes?: readonly string[];
  /** The caller must act in a tenant (TenantGuard): a platform client is 403 forbidden. */
  tenant?: boolean;
}

/** A caller authenticated by the gateway; declares the check and the OpenAPI security together. */
export function Authenticated({ roles = [], scopes = [], tenant = false }: AuthenticatedOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_DECLARATION, { kind: 'user', roles, scopes } satisfies AuthDeclaration),
    ...(tenant ? [UseGuards(TenantGuard)] : []),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing_token, invalid_token, token_expired' }),
    ApiForbiddenResponse({ description: 'insufficient_scope, forbidden' }),
  );
}

/**
 * Adds to a route's `user` declaration instead of replacing it, so `@Roles` and `@Scopes` on one
 * handler require both; on a handler declared otherwise (`@Public`, say) it refuses to decorate.
 */
function addToUserDeclaration(extra: { roles?: readonly string[]; scopes?: readonly string[] }): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value ?? target) as object;
    const current = authDeclarationOf(holder);
    if (current && current.kind !== 'user') throw new Error(`@Roles/@Scopes on a handler already declared ${current.kind}`);
    const roles = [...(current?.roles ?? []), ...(extra.roles ?? [])];
    const scopes = [...(current?.scopes ?? []), ...(extra.scopes ?? [])];
    Reflect.defineMetadata(AUTH_DECLARATION, { kind: 'user', roles, scopes } satisfies AuthDeclaration, holder);
    ApiBearerAuth()(target as never, _key as never, descriptor as never);
  };
}

/** An authenticated caller holding any one of these roles; combines with `@Scopes`. */
export function Roles(...roles: string[]): MethodDecorator & ClassDecorator {
  return addToUserDeclaration({ roles });
}

/** An authenticated caller holding every one of these scopes; combines with `@Roles`. */
export function Scopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return addToUserDeclaration({ scopes });
}

/** A message handler callable only with a service token carrying these scopes. */
export function ServiceScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_DECLARATION, { kind: 'service', scopes } satisfies AuthDeclaration);
}
