import { Injectable } from '@nestjs/common';
import { type AccessTokenClaims, DomainError, type Principal, principalFromClaims } from '@gatehouse/contracts';
import { GatewaySettings } from '../gateway.settings';
import { RevocationFeed } from '../revocation/revocation-feed';
import { AuthAppClient } from './auth-app-client';
import { CircuitBreaker } from './circuit-breaker';
import { PrincipalCache } from './principal-cache';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Mode `introspection`: the token is whatever the auth app says it is (RFC 7662), asked with the
 * gateway's own client. Inactive, or a refresh token presented as a bearer token, is `401
 * inactive_token`; an answer for another audience is `invalid_claims`; no answer is `503
 * auth_unavailable`. Active answers are reused for `INTROSPECTION_CACHE_TTL` at most (never past
 * `exp`); the revocation list still refuses a revoked one, and its cached answer is dropped. The cache holds the token's identity
 * alone: every route checks its own scopes and roles against it, so an answer cached for one route
 * admits no token to a route that needs more.
 *
 * A circuit breaker keeps a failing auth app from costing every request the 2 s deadline: after
 * `INTROSPECTION_BREAKER_THRESHOLD` failures in a row nothing is asked for
 * `INTROSPECTION_BREAKER_OPEN`, then one probe at a time. While auth cannot be asked, an answer
 * cached within `INTROSPECTION_MAX_STALE` serves; otherwise `503 auth_unavailable` with Retry-After.
 */
@Injectable()
export class IntrospectionVerifier {
  private readonly cache: PrincipalCache;
  private readonly breaker: CircuitBreaker;
  private readonly auth: AuthAppClient;

  constructor(
    private readonly settings: GatewaySettings,
    private readonly revocations: RevocationFeed,
  ) {
    this.auth = new AuthAppClient(settings);
    this.cache = new PrincipalCache(undefined, undefined, settings.INTROSPECTION_MAX_STALE * 1000);
    this.breaker = new CircuitBreaker(settings.INTROSPECTION_BREAKER_THRESHOLD, settings.INTROSPECTION_BREAKER_OPEN * 1000);
  }

  async verify(token: string): Promise<Principal> {
    const digest = VerifiedTokenCache.digest(token);
    const cached = this.cache.get(digest);
    if (cached) {
      // The answer of a revoked token goes at once (the guard refuses it), stale use included.
      if (this.revocations.list.revoking(cached)) this.cache.forget(digest);
      return cached;
    }
    if (!this.breaker.allows()) {
      return this.staleOr(
        digest,
        new DomainError('auth_unavailable', 'introspection breaker open', { 'retry-after': String(this.breaker.retryAfterSeconds()) }),
      );
    }
    let answer: Record<string, unknown>;
    try {
      answer = await this.auth.post('/oauth/introspect', { token, token_type_hint: 'access_token' });
      this.breaker.succeeded();
    } catch (error) {
      this.breaker.failed();
      return this.staleOr(digest, error);
    }
    const principal = principalFromClaims(this.check(answer, digest));
    this.cache.set(digest, principal, this.settings.INTROSPECTION_CACHE_TTL);
    return principal;
  }

  private staleOr(digest: string, error: unknown): Principal {
    const stale = this.cache.stale(digest);
    if (stale) return stale;
    throw error;
  }

  private check(answer: Record<string, unknown>, digest: string): AccessTokenClaims {
    if (answer.active !== true || answer.token_type === 'refresh_token') throw new DomainError('inactive_token', 'introspection: not an active access token');
    const audiences = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!audiences.includes(this.settings.API_AUDIENCE)) throw new DomainError('invalid_claims', `introspection: aud is not ${this.settings.API_AUDIENCE}`);
    if (typeof answer.sub !== 'string' || typeof answer.client_id !== 'string' || typeof answer.exp !== 'number') {
      throw new DomainError('invalid_claims', 'introspection: sub, client_id or exp missing');
    }
    // An opaque token may have no jti; the digest names it for the internal-token cache.
    return { ...(answer as unknown as AccessTokenClaims), jti: typeof answer.jti === 'string' ? answer.jti : digest };
  }
}
