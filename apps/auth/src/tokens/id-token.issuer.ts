import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { acrOf } from '@gatehouse/contracts';
import { signCompactJws } from '@gatehouse/security';
import type { AccountEntity } from '../accounts/account.entity';
import { AuthSettings } from '../auth.settings';
import { KeyStore } from '../keys/key-store.service';
import type { SigningAlg } from '../keys/signing-alg';

/** What an ID token says about one sign-in. */
export interface IdTokenSubject {
  account: AccountEntity;
  clientId: string;
  scope: string;
  sid: string;
  authTime: Date;
  /** RFC 8176 methods of the sign-in; `acr` follows from them. */
  amr: readonly string[];
  nonce: string | null;
  accessToken: string;
}

/** How long an ID token is valid: it only carries the sign-in to the client, which reads it at once. */
const ID_TOKEN_TTL = 300;

/**
 * OpenID Connect Core section 3.3.2.11: the left half of the access token's hash, with the hash
 * of the signing algorithm (SHA-512 for Ed25519, as OpenID Connect's EdDSA profile says).
 */
export function atHash(accessToken: string, alg: SigningAlg): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The claims the scopes release (Core section 5.4), in userinfo and in the ID token alike. */
export function identityClaims(account: AccountEntity, scopes: readonly string[]): Record<string, unknown> {
  return {
    sub: account.id,
    ...(scopes.includes('profile') ? { preferred_username: account.username, tenant_id: account.tenantId, roles: [...account.roles] } : {}),
    // True only once a mailed link was used: a reset or a verification link reached the address.
    ...(scopes.includes('email') ? { email: account.email, email_verified: account.emailVerifiedAt !== null } : {}),
  };
}

/** ID tokens (OpenID Connect Core section 2), signed with the same keys as access tokens. */
@Injectable()
export class IdTokenIssuer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyStore,
  ) {}

  async issue(subject: IdTokenSubject): Promise<string> {
    const key = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.settings.AUTH_ISSUER.replace(/\/$/, ''),
      aud: subject.clientId,
      azp: subject.clientId,
      iat: now,
      exp: now + ID_TOKEN_TTL,
      auth_time: Math.floor(subject.authTime.getTime() / 1000),
      ...(subject.nonce !== null ? { nonce: subject.nonce } : {}),
      sid: subject.sid,
      acr: acrOf(subject.amr),
      amr: [...subject.amr],
      at_hash: atHash(subject.accessToken, key.alg),
      ...identityClaims(subject.account, subject.scope.split(' ')),
    };
    return signCompactJws({ alg: key.alg, typ: 'JWT', kid: key.kid }, claims, key.privateKey);
  }
}
