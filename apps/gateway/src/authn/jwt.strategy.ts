import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type Principal, principalFromClaims } from '@gatehouse/contracts';
import { checkAccessClaims, jwksKeyProvider } from '@gatehouse/security';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { exchangeOf } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { IssuerKeys } from './issuer-keys';

// Each gateway keeps its strategy to itself: passport's global registry would let the last
// gateway built in a process (the platform, the tests) answer for every other one.
const privateAuthenticator = () => new passport.Authenticator();

/**
 * Verifies an access token with passport-jwt (jsonwebtoken underneath): check-token-header first,
 * the key taken from the JWKS cache of the issuer the token claims, as a KeyObject and only when
 * its `alg` is the header's, then signature, `iss`, `aud`, `exp` and `nbf` with the leeway, then
 * check-claims. It only authenticates and builds the principal.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'gateway-jwt') {
  constructor(
    private readonly settings: GatewaySettings,
    keys: IssuerKeys,
  ) {
    super({
      jwtFromRequest: (request: FastifyRequest) => exchangeOf(request).token ?? null,
      secretOrKeyProvider: jwksKeyProvider<FastifyRequest>({ keys, algorithms: settings.jwtAlgorithms, typ: 'at+jwt' }, (request, key) => {
        exchangeOf(request).verifiedWith = key;
      }),
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
    return principalFromClaims(checkAccessClaims(claims, this.settings.JWT_CLOCK_LEEWAY, Math.floor(Date.now() / 1000)));
  }
}
