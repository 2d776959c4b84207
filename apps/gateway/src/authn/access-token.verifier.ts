import { Injectable } from '@nestjs/common';
import { type AccessTokenClaims, type Principal, principalFromClaims, REQUIRED_ACCESS_CLAIMS } from '@gatehouse/contracts';
import type { JwksKey } from '@gatehouse/jwks';
import { JwtVerifier, type VerifiedJwt } from '@gatehouse/security';
import { GatewaySettings } from '../gateway.settings';
import { IssuerKeys } from './issuer-keys';

export interface VerifiedAccessToken {
  principal: Principal;
  key: JwksKey;
}

/**
 * Access tokens of the auth app: the platform's JwtVerifier (every algorithm auth signs with) on
 * the auth issuer's JWKS cache, `typ` `at+jwt`, the API audience, then the principal. Without a
 * promise when the key is cached.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verifier: JwtVerifier;

  constructor(settings: GatewaySettings, keys: IssuerKeys) {
    this.verifier = new JwtVerifier({
      keys,
      algorithms: settings.jwtAlgorithms,
      issuer: settings.AUTH_ISSUER,
      audience: settings.API_AUDIENCE,
      typ: 'at+jwt',
      requiredClaims: REQUIRED_ACCESS_CLAIMS,
      leewaySeconds: settings.JWT_CLOCK_LEEWAY,
    });
  }

  /** `payload`: the token's claims, when already decoded to choose the issuer. */
  verify(token: string, payload?: Record<string, unknown>): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    const verified = this.verifier.verifyNow(token, payload);
    return verified instanceof Promise ? verified.then(toPrincipal) : toPrincipal(verified);
  }
}

function toPrincipal({ claims, key }: VerifiedJwt): VerifiedAccessToken {
  return { principal: principalFromClaims(claims as unknown as AccessTokenClaims), key };
}
