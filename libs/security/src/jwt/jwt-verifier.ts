import { DomainError } from '@gatehouse/contracts';
import type { JwksKey, JwsAlg } from '@gatehouse/jwks';
import { checkClaims } from './check-claims';
import { decodeToken } from './check-token-header';
import { verifySignature } from './verify-signature';

/** Where a verifier finds keys: only in the set of the issuer the token claims. */
export interface KeySource {
  /** Synchronous hot path: the key if a usable set holds it. */
  peek(issuer: string, kid: string): JwksKey | undefined;
  keyFor(issuer: unknown, kid: string): Promise<JwksKey>;
}

export interface JwtVerifierOptions {
  keys: KeySource;
  algorithms: readonly JwsAlg[];
  issuer: string;
  audience: string;
  /** The expected `typ` header, e.g. `at+jwt` or `gh-internal+jwt` (or several). */
  typ: string | readonly string[];
  requiredClaims: readonly string[];
  leewaySeconds: number;
}

export interface VerifiedJwt {
  claims: Record<string, unknown>;
  key: JwksKey;
}

/**
 * The one JWT verifier of the platform (the gateway, the services, message handlers), on
 * node:crypto for every algorithm auth signs with (RS256, ES256, EdDSA): the token decoded once
 * (check-token-header: canonical base64url, `alg` allowed, `typ`, no `crit`, `kid`), the key of the
 * issuer the token claims (its `alg` must be the header's), the signature, `iss`, `aud`, `exp` and
 * `nbf` with the leeway, then check-claims. Failures are DomainErrors with the platform's codes.
 * `verifyNow` answers without a promise when the key is at hand.
 */
export class JwtVerifier {
  private readonly audience: string;

  constructor(private readonly options: JwtVerifierOptions) {
    this.audience = options.audience;
  }

  async verify(token: string): Promise<VerifiedJwt> {
    return this.verifyNow(token);
  }

  /**
   * The verified token, or a promise of it while the issuer's key must be fetched. `payload`: the
   * token's claims when the caller has already decoded them (unverifiedPayload).
   */
  verifyNow(token: string, payload?: Record<string, unknown>): VerifiedJwt | Promise<VerifiedJwt> {
    const decoded = decodeToken(token, this.options.algorithms, this.options.typ, payload);
    const { header } = decoded;
    const claims = decoded.payload;
    const issuer = claims.iss;
    const key = typeof issuer === 'string' ? this.options.keys.peek(issuer, header.kid) : undefined;
    if (key) return this.check(token, header.alg, claims, key);
    return this.options.keys.keyFor(issuer, header.kid).then((found) => this.check(token, header.alg, claims, found));
  }

  private check(token: string, alg: JwsAlg, claims: Record<string, unknown>, key: JwksKey): VerifiedJwt {
    if (key.alg !== alg) throw new DomainError('invalid_token', `alg ${alg} does not match the key's ${key.alg}`);
    if (!verifySignature(token, key)) throw new DomainError('invalid_token', 'invalid signature');
    const { leewaySeconds, issuer } = this.options;
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== issuer) throw new DomainError('invalid_claims', `jwt issuer invalid. expected: ${issuer}`);
    const aud = claims.aud;
    if (!(aud === this.audience || (Array.isArray(aud) && aud.includes(this.audience)))) {
      throw new DomainError('invalid_claims', `jwt audience invalid. expected: ${this.audience}`);
    }
    if (claims.exp !== undefined) {
      if (typeof claims.exp !== 'number') throw new DomainError('invalid_token', 'invalid exp value');
      if (now >= claims.exp + leewaySeconds) throw new DomainError('token_expired', 'jwt expired');
    }
    if (claims.nbf !== undefined) {
      if (typeof claims.nbf !== 'number') throw new DomainError('invalid_token', 'invalid nbf value');
      if (claims.nbf > now + leewaySeconds) throw new DomainError('invalid_claims', 'jwt not active');
    }
    checkClaims(claims, this.options.requiredClaims, leewaySeconds, now);
    return { claims, key };
  }
}
