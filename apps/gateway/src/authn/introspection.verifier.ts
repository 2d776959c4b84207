import { Injectable } from '@nestjs/common';
import { type AccessTokenClaims, DomainError, type Principal, principalFromClaims } from '@gatehouse/contracts';
import { GatewaySettings } from '../gateway.settings';
import { VerifiedTokenCache } from './verified-token-cache';

const TIMEOUT_MS = 2_000;
const RETRY_AFTER = { 'retry-after': '5' };
const CACHE_LIMIT = 10_000;

interface Cached {
  principal: Principal;
  /** Milliseconds since the epoch. */
  until: number;
}

/**
 * Mode `introspection`: the token is whatever the auth app says it is (RFC 7662), asked with the
 * gateway's own client. Inactive, or a refresh token presented as a bearer token, is `401
 * inactive_token`; an answer for another audience is `invalid_claims`; no answer is `503
 * auth_unavailable`. Active answers are reused for `INTROSPECTION_CACHE_TTL` at most (never past
 * `exp`), so a revocation takes that long to reach the gateway.
 */
@Injectable()
export class IntrospectionVerifier {
  private readonly cache = new Map<string, Cached>();
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly settings: GatewaySettings) {
    this.endpoint = `${settings.upstream('AUTH_INTERNAL_URL').replace(/\/$/, '')}/oauth/introspect`;
    const encode = (value: string) => encodeURIComponent(value).replaceAll('%20', '+');
    this.authorization = `Basic ${Buffer.from(`${encode(settings.GATEWAY_CLIENT_ID)}:${encode(settings.GATEWAY_CLIENT_SECRET ?? '')}`).toString('base64')}`;
  }

  async verify(token: string): Promise<Principal> {
    const digest = VerifiedTokenCache.digest(token);
    const cached = this.cache.get(digest);
    if (cached && cached.until > Date.now()) return cached.principal;
    this.cache.delete(digest);
    const principal = principalFromClaims(this.check(await this.ask(token), digest));
    const until = Math.min(Date.now() + this.settings.INTROSPECTION_CACHE_TTL * 1000, principal.expiresAt * 1000);
    if (until > Date.now()) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(digest, { principal, until });
    }
    return principal;
  }

  private async ask(token: string): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('auth_unavailable', `introspection failed: ${(error as Error).message}`, RETRY_AFTER);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status !== 200 || typeof body !== 'object' || body === null) {
      throw new DomainError('auth_unavailable', `introspection answered ${response.status}`, RETRY_AFTER);
    }
    return body as Record<string, unknown>;
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
