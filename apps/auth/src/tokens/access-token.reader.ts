import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { KeyStore } from '../keys/key-store.service';
import { RevokedAccessTokenEntity } from './revoked-access-token.entity';

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  client_id: string;
  scope: string;
  roles: string[];
  tenant_id?: string;
  email?: string;
  sid?: string;
}

export type ReadResult = { valid: true; claims: AccessTokenClaims } | { valid: false; reason: 'malformed' | 'unknown_key' | 'invalid' | 'expired' | 'revoked' };

const MAX_TOKEN_LENGTH = 8192;

/**
 * Reads an access token this server issued: signature with a published key, `typ`, issuer,
 * lifetime, required claims, and the revocation list. Used by introspection, revocation and the
 * auth app's own protected routes.
 */
@Injectable()
export class AccessTokenReader {
  constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyStore,
    @InjectRepository(RevokedAccessTokenEntity) private readonly revoked: Repository<RevokedAccessTokenEntity>,
  ) {}

  looksLikeJwt(token: string): boolean {
    return token.length <= MAX_TOKEN_LENGTH && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
  }

  async read(token: string): Promise<ReadResult> {
    if (!this.looksLikeJwt(token)) return { valid: false, reason: 'malformed' };
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return { valid: false, reason: 'malformed' };
    }
    const key = kid ? await this.keys.verificationKey(kid) : undefined;
    if (!key) return { valid: false, reason: 'unknown_key' };
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [key.alg],
        issuer: this.settings.AUTH_ISSUER,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'jti', 'exp', 'iat', 'client_id', 'scope'],
      });
      const claims = payload as AccessTokenClaims;
      if (await this.revoked.existsBy({ jti: claims.jti })) return { valid: false, reason: 'revoked' };
      return { valid: true, claims: { ...claims, roles: Array.isArray(claims.roles) ? claims.roles : [] } };
    } catch (error) {
      return { valid: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }

  async revoke(jti: string, expiresAt: Date): Promise<void> {
    if (expiresAt.getTime() <= Date.now()) return;
    await this.revoked.upsert({ jti, expiresAt, revokedAt: new Date() }, ['jti']);
  }
}
