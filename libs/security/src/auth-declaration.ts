import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** Metadata key every route and message handler must carry; the route inventory test checks it. */
export const AUTH_DECLARATION = 'gatehouse:auth-declaration';

export type AuthDeclaration =
  | { kind: 'public' }
  | { kind: 'user'; roles: readonly string[]; scopes: readonly string[] }
  | { kind: 'service'; scopes: readonly string[] }
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
}

/** A caller authenticated by the gateway; declares the check and the OpenAPI security together. */
export function Authenticated({ roles = [], scopes = [] }: AuthenticatedOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_DECLARATION, { kind: 'user', roles, scopes } satisfies AuthDeclaration),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing_token, invalid_token, token_expired' }),
    ApiForbiddenResponse({ description: 'insufficient_scope, forbidden' }),
  );
}

/**
 * The gateway's proxy: each request's auth is decided by its route in the routes file, enforced
 * by the gateway's own pipeline. Only the gateway may use it (the route inventory checks).
 */
export function Routed(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_DECLARATION, { kind: 'routed' } satisfies AuthDeclaration);
}

/** A message handler callable only with a service token carrying these scopes. */
export function ServiceScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_DECLARATION, { kind: 'service', scopes } satisfies AuthDeclaration);
}
