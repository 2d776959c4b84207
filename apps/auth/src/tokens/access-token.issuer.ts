import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { acrOf, type AuthenticationContext } from '@gatehouse/contracts';
import { signCompactJws } from '@gatehouse/security';
import { AuthSettings } from '../auth.settings';
import { KeyStore } from '../keys/key-store.service';

export interface AccessTokenSubject {
  /** An account id, or `client:<client_id>` for client_credentials. */
  subject: string;
  clientId: string;
  audience: string;
  scope: string;
  tenantId?: string;
  roles: readonly string[];
  email?: string;
  /** Carried with `email`: whether a mailed link proved the address. */
  emailVerified?: boolean;
  username?: string;
  sid?: string;
  /** A person's sign-in: the token says how (`acr`, `amr`) and when (`auth_time`). */
  authentication?: AuthenticationContext | null;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresIn: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** `acr`, `amr` and `auth_time` (RFC 9068 section 2.2.1, OpenID Connect Core section 2). */
export function authenticationClaims(context: AuthenticationContext): { acr: string; amr: string[]; auth_time: number } {
  return { acr: acrOf(context.amr), amr: [...context.amr], auth_time: context.authTime };
}

/** Access tokens per RFC 9068: `typ: at+jwt`, signed with the active published key. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyStore,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = this.settings.ACCESS_TOKEN_TTL;
    const jti = randomUUID();
    // RFC 9068 section 2.2: the registered claims first, then what this platform adds.
    const claims = {
      iss: this.settings.AUTH_ISSUER,
      sub: subject.subject,
      aud: subject.audience,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      jti,
      client_id: subject.clientId,
      scope: subject.scope,
      roles: [...subject.roles],
      ...(subject.tenantId ? { tenant_id: subject.tenantId } : {}),
      ...(subject.email ? { email: subject.email, email_verified: subject.emailVerified === true } : {}),
      ...(subject.username ? { preferred_username: subject.username } : {}),
      ...(subject.sid ? { sid: subject.sid } : {}),
      ...(subject.authentication ? authenticationClaims(subject.authentication) : {}),
    };
    const token = await signCompactJws({ alg: key.alg, typ: 'at+jwt', kid: key.kid }, claims, key.privateKey);
    return { token, jti, expiresIn, expiresAt: now + expiresIn };
  }
}
