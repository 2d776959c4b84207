import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type Principal, principalFromClaims } from '@gatehouse/contracts';
import type { JwksKey } from '@gatehouse/jwks';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { exchangeOf } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { checkClaims } from './check-claims';
import { checkTokenHeader, unverifiedIssuer } from './check-token-header';
import { IssuerKeys } from './issuer-keys';

// Each gateway keeps its strategy to itself: passport's global registry would let the last
// gateway built in a process (the platform, the tests) answer for every other one.
const privateAuthenticator = () => new passport.Authenticator();

type KeyCallback = (error: unknown, key?: string | Buffer) => void;

/**
 * Verifies an access token with passport-jwt (jsonwebtoken underneath): the header checked first
 * (check-token-header), the key taken from the JWKS cache of the issuer the token claims, as a
 * KeyObject and only when its `alg` is the header's, then signature, `iss`, `aud`, `exp` and
 * `nbf` with the leeway, then check-claims. It only authenticates and builds the principal.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'gateway-jwt') {
  constructor(
    private readonly settings: GatewaySettings,
    keys: IssuerKeys,
  ) {
    super({
      jwtFromRequest: (request: FastifyRequest) => exchangeOf(request).token ?? null,
      secretOrKeyProvider: (request: FastifyRequest, token: string, done: KeyCallback) => {
        try {
          const { alg, kid } = checkTokenHeader(token, settings.jwtAlgorithms);
          const issuer = unverifiedIssuer(token);
          const use = (found: JwksKey) => {
            if (found.alg !== alg) return done(new Error(`alg ${alg} does not match the key's ${found.alg}`));
            exchangeOf(request).verifiedWith = found;
            // jsonwebtoken 9 takes a KeyObject; the types still say string | Buffer.
            done(null, found.key as unknown as Buffer);
          };
          const hit = typeof issuer === 'string' ? keys.peek(issuer, kid) : undefined;
          if (hit) use(hit);
          else keys.keyFor(issuer, kid).then(use, done);
        } catch (error) {
          done(error);
        }
      },
      passReqToCallback: false,
      algorithms: settings.jwtAlgorithms,
      issuer: settings.AUTH_ISSUER,
      audience: settings.API_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: settings.JWT_CLOCK_LEEWAY },
    });
  }

  getPassportInstance(): passport.PassportStatic {
    return privateAuthenticator() as passport.PassportStatic;
  }

  validate(claims: Record<string, unknown>): Principal {
    return principalFromClaims(checkClaims(claims, this.settings.JWT_CLOCK_LEEWAY, Math.floor(Date.now() / 1000)));
  }
}
