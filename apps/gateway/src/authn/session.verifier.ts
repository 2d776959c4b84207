import { Injectable } from '@nestjs/common';
import { DomainError, type Principal, principalFromClaims, type PrincipalClaims } from '@gatehouse/contracts';
import type { FastifyRequest } from 'fastify';
import { GatewaySettings } from '../gateway.settings';
import { RevocationFeed } from '../revocation/revocation-feed';
import { AuthAppClient } from './auth-app-client';
import { checkCsrfOrigin } from './check-csrf-origin';
import { PrincipalCache } from './principal-cache';
import { cookieValues } from './session-cookie';
import { VerifiedTokenCache } from './verified-token-cache';

const ENDPOINT = '/auth/session/introspect';
const CHALLENGE = 'Bearer realm="gatehouse"';
// What a cookie value may hold and the auth app may be asked about; anything else names no session.
const SECRET_SHAPE = /^[A-Za-z0-9._~+/=-]{1,256}$/;

/**
 * Mode `session`: a browser's session cookie (`SESSION_COOKIE_NAME`), and nothing else. The
 * cookie must be the request's only credential (with an Authorization header or an `access_token`
 * in the query too, `400 invalid_request`; twice, the same); no cookie is `401 missing_token`.
 * Unsafe methods pass check-csrf-origin before the auth app is asked. The auth app decides (its
 * `/auth/session/introspect`, with the gateway's own client, which slides the idle expiry): not
 * active is `401 session_expired`, no answer `503 auth_unavailable`. Active answers are reused for
 * `SESSION_CACHE_TTL` at most (never past `exp`); a logout reaches the gateway through the revocation
 * feed, and the cached answer of an ended session is dropped when it is next used (the guard refuses it).
 */
@Injectable()
export class SessionVerifier {
  private readonly cache = new PrincipalCache();
  private readonly auth: AuthAppClient;
  private readonly origins: ReadonlySet<string>;

  constructor(
    private readonly settings: GatewaySettings,
    private readonly revocations: RevocationFeed,
  ) {
    this.auth = new AuthAppClient(settings);
    this.origins = new Set(settings.sessionOrigins);
  }

  async verify(request: FastifyRequest, query: string): Promise<Principal> {
    const secret = this.credential(request, query);
    checkCsrfOrigin(request.method, request.headers.origin, this.origins);
    if (!SECRET_SHAPE.test(secret)) throw new DomainError('session_expired', 'session cookie malformed');
    const digest = VerifiedTokenCache.digest(secret);
    const cached = this.cache.get(digest);
    if (cached) {
      if (this.revocations.list.revoking(cached)) this.cache.forget(digest);
      return cached;
    }
    const principal = principalFromClaims(this.check(await this.auth.post(ENDPOINT, { session: secret })));
    this.cache.set(digest, principal, this.settings.SESSION_CACHE_TTL);
    return principal;
  }

  private credential(request: FastifyRequest, query: string): string {
    const secrets = cookieValues(request.headers.cookie, this.settings.SESSION_COOKIE_NAME);
    if (secrets.length === 0) throw new DomainError('missing_token', 'no session cookie', { 'www-authenticate': CHALLENGE });
    const bearer = request.headers.authorization !== undefined || (query.length > 1 && new URLSearchParams(query.slice(1)).has('access_token'));
    if (bearer) throw invalidRequest('a session cookie and a bearer credential together');
    // Several cookies of the name (another path or a sibling domain set one): refuse, never guess.
    if (secrets.length > 1) throw invalidRequest(`${secrets.length} session cookies`);
    return secrets[0];
  }

  private check(answer: Record<string, unknown>): PrincipalClaims {
    if (answer.active !== true) throw new DomainError('session_expired', 'session not active');
    const { sub, client_id, sid, exp, tenant_id, scope, roles, email, acr, amr, auth_time } = answer;
    if (typeof sub !== 'string' || typeof client_id !== 'string' || typeof sid !== 'string' || typeof exp !== 'number' || typeof tenant_id !== 'string') {
      throw new DomainError('auth_unavailable', `${ENDPOINT} answered without sub, client_id, sid, exp or tenant_id`, { 'retry-after': '5' });
    }
    return {
      sub,
      client_id,
      // The session stands where a token id would: the internal-token cache is keyed by it.
      jti: sid,
      sid,
      exp,
      tenant_id,
      scope: typeof scope === 'string' ? scope : undefined,
      roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
      email: typeof email === 'string' ? email : undefined,
      acr: typeof acr === 'string' ? acr : undefined,
      amr: Array.isArray(amr) ? amr.filter((method): method is string => typeof method === 'string') : undefined,
      auth_time: typeof auth_time === 'number' ? auth_time : undefined,
    };
  }
}

function invalidRequest(reason: string): DomainError {
  return new DomainError('invalid_request', reason, { 'www-authenticate': `${CHALLENGE}, error="invalid_request"` });
}
