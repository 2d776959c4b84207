import type { JwksKey } from '@gatehouse/jwks';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { checkClaims } from './check-claims';
import { checkTokenHeader, unverifiedIssuer } from './check-token-header';
import { verificationFailure } from './verification-failure';

/** Where a verifier finds keys: only in the set of the issuer the token claims. */
export interface KeySource {
  /** Synchronous hot path: the key if a usable set holds it. */
  peek(issuer: string, kid: string): JwksKey | undefined;
  keyFor(issuer: unknown, kid: string): Promise<JwksKey>;
}

export interface JwtVerifierOptions {
  keys: KeySource;
  algorithms: ('RS256' | 'ES256')[];
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

interface CarriedToken {
  token: string;
  key?: JwksKey;
}

type KeyCallback = (error: unknown, key?: string | Buffer) => void;

/**
 * passport-jwt's `secretOrKeyProvider` on a JWKS cache: check-token-header first, then the key of
 * the issuer the token claims, only when its `alg` is the header's, handed over as a KeyObject.
 * `record` keeps the key with the request (a verified-token cache keys entries by it).
 */
export function jwksKeyProvider<R>(
  options: Pick<JwtVerifierOptions, 'keys' | 'algorithms' | 'typ'>,
  record: (request: R, key: JwksKey) => void,
): (request: R, token: string, done: KeyCallback) => void {
  return (request, token, done) => {
    try {
      const { alg, kid } = checkTokenHeader(token, options.algorithms, options.typ);
      const issuer = unverifiedIssuer(token);
      const use = (found: JwksKey) => {
        if (found.alg !== alg) return done(new Error(`alg ${alg} does not match the key's ${found.alg}`));
        record(request, found);
        // jsonwebtoken 9 takes a KeyObject; the types still say string | Buffer.
        done(null, found.key as unknown as Buffer);
      };
      const hit = typeof issuer === 'string' ? options.keys.peek(issuer, kid) : undefined;
      if (hit) use(hit);
      else options.keys.keyFor(issuer, kid).then(use, done);
    } catch (error) {
      done(error);
    }
  };
}
type Middleware = (request: CarriedToken, response: object, next: (error?: unknown) => void) => void;

/**
 * A passport-jwt verifier outside any HTTP request (services' guards, message handlers): header
 * checks, the issuer's key as a KeyObject (its `alg` must be the header's), signature, `iss`,
 * `aud`, `exp`, `nbf` with the leeway, then the required claims. Failures are DomainErrors with
 * the platform's error codes.
 */
export class JwtVerifier {
  private readonly strategy: Strategy;

  constructor(private readonly options: JwtVerifierOptions) {
    this.strategy = new Strategy(
      {
        jwtFromRequest: (carrier: CarriedToken) => carrier.token,
        secretOrKeyProvider: jwksKeyProvider<CarriedToken>(options, (carrier, key) => (carrier.key = key)),
        algorithms: options.algorithms,
        issuer: options.issuer,
        audience: options.audience,
        jsonWebTokenOptions: { clockTolerance: options.leewaySeconds },
      },
      (claims: Record<string, unknown>, done: (error: unknown, claims?: Record<string, unknown>) => void) => {
        try {
          checkClaims(claims, options.requiredClaims, options.leewaySeconds, Math.floor(Date.now() / 1000));
          done(null, claims);
        } catch (error) {
          done(error);
        }
      },
    );
  }

  verify(token: string): Promise<VerifiedJwt> {
    const carrier: CarriedToken = { token };
    return new Promise((resolve, reject) => {
      const callback = (error: unknown, claims: Record<string, unknown> | false, info: unknown) => {
        if (error || !claims || !carrier.key) reject(verificationFailure(error ?? info));
        else resolve({ claims, key: carrier.key });
      };
      // passport sets its success and fail callbacks on the strategy object it is given: each
      // request gets its own object (inheriting the strategy), or requests that wait for a key
      // would answer one another's callbacks.
      const middleware = passport.authenticate(Object.create(this.strategy) as Strategy, { session: false }, callback) as Middleware;
      middleware(carrier, {}, (error?: unknown) => reject(verificationFailure(error)));
    });
  }
}
