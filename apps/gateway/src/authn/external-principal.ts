import { createHash } from 'node:crypto';
import { DomainError, type Principal } from '@gatehouse/contracts';

/**
 * The principal of a token from a tenant's own identity provider. The tenant is the one that
 * declared the provider, never a claim of the token; roles come from the provider's `rolesClaim`
 * (a dot path such as `realm_access.roles`, holding an array or a space-separated string), scopes
 * from `scope` or `scp`. Without a `jti`, the token's digest stands in for it (internal tokens are
 * cached per token id).
 */
export function externalPrincipal(claims: Record<string, unknown>, tenantId: string, rolesClaim: string, token: string): Principal {
  return {
    kind: 'user',
    subject: claims.sub as string,
    clientId: text(claims.azp) ?? text(claims.client_id) ?? String(claims.iss),
    tenantId,
    roles: list(valueAt(claims, rolesClaim), 'roles'),
    scopes: list(claims.scope ?? claims.scp, 'scope'),
    email: text(claims.email),
    username: text(claims.preferred_username),
    tokenId: text(claims.jti) ?? `sha256:${createHash('sha256').update(token).digest('base64url')}`,
    expiresAt: claims.exp as number,
    // Without it the token counts as issued before any revocation watermark of its tenant.
    ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat } : {}),
  };
}

function valueAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

function list(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value;
  throw new DomainError('invalid_claims', `${claim} is neither a string nor an array of strings`);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
