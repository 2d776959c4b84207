import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AccessTokenReader, type AccessTokenClaims } from '../tokens/access-token.reader';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { hashRefreshToken } from '../tokens/refresh-tokens.service';

export type FoundToken = { kind: 'access'; claims: AccessTokenClaims } | { kind: 'refresh'; row: RefreshTokenEntity; active: boolean } | { kind: 'none' };

/** Finds what a presented token is, whatever the hint says (RFC 7662 and 7009 allow that). */
@Injectable()
export class TokenLookup {
  constructor(
    private readonly reader: AccessTokenReader,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
  ) {}

  async find(token: string): Promise<FoundToken> {
    if (this.reader.looksLikeJwt(token)) {
      const read = await this.reader.read(token);
      return read.valid ? { kind: 'access', claims: read.claims } : { kind: 'none' };
    }
    const row = await this.refreshTokens.findOneBy({ tokenHash: hashRefreshToken(token) });
    if (!row) return { kind: 'none' };
    const now = Date.now();
    const active = !row.revokedAt && !row.replacedBy && row.expiresAt.getTime() > now && row.idleExpiresAt.getTime() > now;
    return { kind: 'refresh', row, active };
  }
}
