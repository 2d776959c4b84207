import type { Principal } from './principal';

/** The claims of an access token (RFC 9068), as every verifier reads them. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  jti: string;
  client_id: string;
  /** Space-delimited. */
  scope?: string;
  tenant_id?: string;
  roles?: string[];
  email?: string;
  /** The account's username (OpenID Connect's claim name), so services name people without asking auth. */
  preferred_username?: string;
  sid?: string;
  /** Authentication context class (ACR_VALUES), methods (RFC 8176) and time of the sign-in behind the token. */
  acr?: string;
  amr?: string[];
  auth_time?: number;
}

/** Claims a token must carry for any Gatehouse verifier to accept it. */
export const REQUIRED_ACCESS_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'] as const;

export type PrincipalClaims = Pick<
  AccessTokenClaims,
  'sub' | 'client_id' | 'jti' | 'exp' | 'scope' | 'tenant_id' | 'roles' | 'email' | 'preferred_username' | 'sid' | 'acr' | 'amr' | 'auth_time'
> & { iat?: number };

/** The principal of verified access-token claims; `sub` of a client_credentials token is `client:<id>`. */
export function principalFromClaims(claims: PrincipalClaims): Principal {
  return {
    kind: claims.sub.startsWith('client:') ? 'client' : 'user',
    subject: claims.sub,
    clientId: claims.client_id,
    tenantId: claims.tenant_id,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((role) => typeof role === 'string') : [],
    scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    ...(typeof claims.preferred_username === 'string' ? { username: claims.preferred_username } : {}),
    sessionId: claims.sid,
    tokenId: claims.jti,
    expiresAt: claims.exp,
    ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat } : {}),
    ...(typeof claims.auth_time === 'number' ? { authTime: claims.auth_time } : {}),
    ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
    ...(Array.isArray(claims.amr) ? { amr: claims.amr.filter((method) => typeof method === 'string') } : {}),
  };
}
