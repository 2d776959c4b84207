import { type AccessTokenClaims, DomainError, REQUIRED_ACCESS_CLAIMS } from '@gatehouse/contracts';

const NUMERIC = new Set(['exp', 'iat', 'nbf']);

// Claims only an OpenID Connect ID token carries (OpenID Connect Core 1.0 sections 2, 3.1.3.6,
// 3.3.2.11; FAPI's s_hash). An ID token is meant for the client that signed someone in; sent to an
// API whose audience it happens to name, it must not pass as an access token (RFC 9068 section 4,
// RFC 8725 section 3.11), whatever its `typ` says.
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash', 's_hash'];

/**
 * check-claims: after the signature, `iss`, `aud`, `exp` and `nbf` (JwtVerifier, with the
 * leeway): every required claim present with its type, `iat` not in the future beyond the leeway,
 * and `scope`, `roles`, `tenant_id` well formed when present. Anything else is `invalid_claims`;
 * an ID token (one carrying a claim only ID tokens carry) is `invalid_token`, not a kind of token
 * this verifier accepts.
 */
export function checkClaims(claims: Record<string, unknown>, required: readonly string[], leewaySeconds: number, nowSeconds: number): void {
  const marker = ID_TOKEN_CLAIMS.find((name) => claims[name] !== undefined);
  if (marker) throw new DomainError('invalid_token', `an ID token (claim ${marker}), not an access token`);
  for (const name of required) {
    const value = claims[name];
    const ok = NUMERIC.has(name) ? Number.isFinite(value) : name === 'aud' ? value !== undefined : typeof value === 'string' && value.length > 0;
    if (!ok) throw new DomainError('invalid_claims', `claim ${name} missing or malformed`);
  }
  if ((claims.iat as number) > nowSeconds + leewaySeconds) throw new DomainError('invalid_claims', 'iat in the future');
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw new DomainError('invalid_claims', 'scope is not a string');
  if (claims.roles !== undefined && !(Array.isArray(claims.roles) && claims.roles.every((role) => typeof role === 'string'))) {
    throw new DomainError('invalid_claims', 'roles is not an array of strings');
  }
  if (claims.tenant_id !== undefined && typeof claims.tenant_id !== 'string') throw new DomainError('invalid_claims', 'tenant_id is not a string');
}

/** check-claims for an access token. */
export function checkAccessClaims(claims: Record<string, unknown>, leewaySeconds: number, nowSeconds: number): AccessTokenClaims {
  checkClaims(claims, REQUIRED_ACCESS_CLAIMS, leewaySeconds, nowSeconds);
  return claims as unknown as AccessTokenClaims;
}
