import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { singleBearerCredential, unverifiedPayload } from '@gatehouse/security';
import { AccessTokenVerifier, type VerifiedAccessToken } from '../authn/access-token.verifier';
import { ExternalIssuers } from '../authn/external-issuers';
import { IntrospectionVerifier } from '../authn/introspection.verifier';
import { IssuerKeys } from '../authn/issuer-keys';
import { SessionVerifier } from '../authn/session.verifier';
import { VerifiedTokenCache } from '../authn/verified-token-cache';
import type { Exchange } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { RevocationFeed } from '../revocation/revocation-feed';
import type { PipelineStep } from './pipeline-step';

/**
 * Pipeline step 5: authenticates by the route's mode. `public` passes (the credential, if any,
 * travels on untouched); `jwt` extracts the single bearer credential (check-single-credential),
 * answers from the verified-token cache when it can, and otherwise verifies it (AccessTokenVerifier;
 * a token claiming another issuer than auth goes to the tenant that declared that issuer);
 * `introspection` asks the auth app (RFC 7662); `session` reads the session cookie alone (no bearer
 * extraction: a request carrying both is refused) and asks the auth app about it. Whatever the mode
 * and whichever cache answered, the principal then meets the revocation list.
 */
@Injectable()
export class AuthenticateStep implements PipelineStep {
  readonly name = 'authenticate';
  private readonly cache: VerifiedTokenCache;

  constructor(
    private readonly settings: GatewaySettings,
    private readonly accessTokens: AccessTokenVerifier,
    private readonly keys: IssuerKeys,
    private readonly introspection: IntrospectionVerifier,
    private readonly sessions: SessionVerifier,
    private readonly external: ExternalIssuers,
    private readonly revocations: RevocationFeed,
  ) {
    this.cache = new VerifiedTokenCache(settings.TOKEN_CACHE_SIZE);
  }

  run(exchange: Exchange): void | Promise<void> {
    const { route, request } = exchange;
    if (route.auth === 'public') return;
    if (route.auth === 'session') return this.session(exchange);
    const token = singleBearerCredential({ headers: request.headers, rawHeaders: request.raw.rawHeaders, query: exchange.query }, this.settings.JWT_MAX_LENGTH);
    if (token === undefined) throw new DomainError('missing_token', `${route.prefix} needs a bearer token`);
    exchange.token = token;
    if (route.auth === 'introspection') return this.introspect(exchange, token);
    const digest = VerifiedTokenCache.digest(token);
    const hit = this.cache.get(digest, this.currentKey);
    if (hit) {
      // The common case: no signature, no promise.
      this.revocations.check(hit.principal);
      exchange.principal = hit.principal;
      return;
    }
    return this.verifyJwt(exchange, token, digest);
  }

  private readonly currentKey = (issuer: string, kid: string) => (this.keys.peek(issuer, kid) ?? this.external.peek(issuer, kid))?.key;

  private async session(exchange: Exchange): Promise<void> {
    exchange.principal = await this.sessions.verify(exchange.request, exchange.query);
    this.revocations.check(exchange.principal);
  }

  private async introspect(exchange: Exchange, token: string): Promise<void> {
    exchange.principal = await this.introspection.verify(token);
    this.revocations.check(exchange.principal);
  }

  private verifyJwt(exchange: Exchange, token: string, digest: string): void | Promise<void> {
    // Decoded once: the claims choose the verifier, which then does not parse them again.
    const payload = unverifiedPayload(token);
    const issuer = payload.iss;
    const verified =
      typeof issuer === 'string' && issuer !== this.settings.AUTH_ISSUER ? this.external.verify(token, issuer) : this.accessTokens.verify(token, payload);
    if (verified instanceof Promise) return verified.then((result) => this.admit(exchange, digest, result));
    this.admit(exchange, digest, verified);
  }

  /** A verified token meets the revocation list, then enters the cache. */
  private admit(exchange: Exchange, digest: string, { principal, key }: VerifiedAccessToken): void {
    this.revocations.check(principal);
    exchange.principal = principal;
    exchange.verifiedWith = key;
    this.cache.set(digest, { principal, issuer: key.issuer, kid: key.kid, key: key.key });
  }
}
