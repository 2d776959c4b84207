import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@gatehouse/contracts';
import { signCompactJwsSync } from '@gatehouse/security';
import { LruMap } from '../caching/lru-map';
import { GatewaySettings } from '../gateway.settings';
import { RevocationFeed } from '../revocation/revocation-feed';
import type { RevocationList } from '../revocation/revocation-list';
import { InternalKeyRing } from './internal-key-ring';

const CACHE_LIMIT = 10_000;
/** A cached internal token is reused only while it has at least this long to live. */
const REUSE_MARGIN_SECONDS = 10;

interface Minted {
  token: string;
  exp: number;
  /** Whom it speaks for, so a revocation can find it. */
  principal: Principal;
}

/**
 * Internal tokens: `typ: gh-internal+jwt`, ES256 with the gateway's own
 * key, `aud` the target service, `exp` at most `INTERNAL_TOKEN_TTL` and never past the access
 * token's. Cached per (access token jti, audience, signing kid), so a rotation mints afresh; a
 * reused token carries the `request_id` of the request that minted it (`X-Request-Id` always
 * carries the current one).
 */
@Injectable()
export class InternalTokenMinter {
  private readonly cache = new LruMap<Minted>(CACHE_LIMIT);

  constructor(
    private readonly settings: GatewaySettings,
    private readonly ring: InternalKeyRing,
    revocations: RevocationFeed,
  ) {
    // The request path refuses a revoked credential before any internal token is reused; dropping
    // what it minted too means no token speaking for a revoked credential outlives the event here.
    revocations.onApplied((list) => this.forgetRevoked(list));
  }

  /** Drops every cached internal token minted for a credential the list now revokes. */
  forgetRevoked(list: Pick<RevocationList, 'revoking'>): void {
    for (const [key, minted] of [...this.cache.entries()]) if (list.revoking(minted.principal)) this.cache.delete(key);
  }

  /** How many internal tokens are cached (for tests and metrics). */
  get cached(): number {
    return this.cache.size;
  }

  mint(principal: Principal, audience: string, requestId: string): string {
    const now = Math.floor(Date.now() / 1000);
    const key = this.ring.signingKey(now * 1000);
    const cacheKey = `${principal.tokenId}\n${audience}\n${key.kid}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.exp - now >= REUSE_MARGIN_SECONDS) return cached.token;

    const exp = Math.min(now + this.settings.INTERNAL_TOKEN_TTL, principal.expiresAt);
    const header = { alg: 'ES256' as const, typ: 'gh-internal+jwt', kid: key.kid };
    const claims = {
      iss: this.settings.GATEWAY_INTERNAL_ISSUER,
      aud: audience,
      sub: principal.subject,
      ...(principal.tenantId ? { tenant_id: principal.tenantId } : {}),
      roles: principal.roles,
      scope: principal.scopes.join(' '),
      client_id: principal.clientId,
      // Who the person is, so a service names them without asking auth.
      ...(principal.email ? { email: principal.email } : {}),
      ...(principal.username ? { preferred_username: principal.username } : {}),
      // How and when they signed in, so a service can ask for more on its own operations.
      ...(principal.acr ? { acr: principal.acr } : {}),
      ...(principal.amr ? { amr: principal.amr } : {}),
      ...(principal.authTime !== undefined ? { auth_time: principal.authTime } : {}),
      jti: randomUUID(),
      request_id: requestId,
      iat: now,
      exp,
    };
    const token = signCompactJwsSync(header, claims, key.privateKey);
    this.cache.set(cacheKey, { token, exp, principal });
    return token;
  }
}
