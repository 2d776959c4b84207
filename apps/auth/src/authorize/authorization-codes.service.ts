import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OAuthError } from '@gatehouse/contracts';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { RevokedAccessTokenEntity } from '../tokens/revoked-access-token.entity';
import { AuthorizationCodeEntity } from './authorization-code.entity';

/** RFC 6749 section 4.1.2 recommends 10 minutes at most; a browser redirect needs seconds. */
export const CODE_TTL_MS = 60_000;
// 256 random bits, base64url without padding: anything else is no code, unread.
const CODE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
// Used codes are kept past their expiry long enough to recognise a late replay.
const KEEP_USED_MS = 10 * 60_000;

export type CodeBinding = Pick<
  AuthorizationCodeEntity,
  'tenantId' | 'clientId' | 'accountId' | 'sid' | 'redirectUri' | 'codeChallenge' | 'nonce' | 'scope' | 'authTime'
>;

export interface IssuedFromCode {
  accessJti: string;
  /** Seconds since the epoch. */
  accessExpiresAt: number;
  refreshFamilyId: string | null;
}

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');
const invalidGrant = (reason: string) => new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used.', reason);

/**
 * Authorization codes: 256 random bits, stored as SHA-256, 60 seconds, single use. The one UPDATE
 * that claims a code decides between concurrent redemptions; a second use revokes every token the
 * first one issued (RFC 6749 section 4.1.2), whichever of the two gets there first.
 */
@Injectable()
export class AuthorizationCodes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditTrail,
  ) {}

  async issue(binding: CodeBinding): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    const now = Date.now();
    const repository = this.dataSource.getRepository(AuthorizationCodeEntity);
    await repository.delete({ expiresAt: LessThan(new Date(now - KEEP_USED_MS)) });
    await repository.insert({ ...binding, codeHash: hashCode(code), expiresAt: new Date(now + CODE_TTL_MS), usedAt: null, replayedAt: null });
    return code;
  }

  /** Claims the code for this redemption only; refuses an unknown, expired or used one. */
  async redeem(code: string): Promise<AuthorizationCodeEntity> {
    if (!CODE_SHAPE.test(code)) throw invalidGrant('malformed code');
    const codeHash = hashCode(code);
    const repository = this.dataSource.getRepository(AuthorizationCodeEntity);
    const claimed = await repository.update({ codeHash, usedAt: IsNull() }, { usedAt: new Date() });
    const row = await repository.findOneBy({ codeHash });
    if (!row) throw invalidGrant('unknown code');
    if (claimed.affected !== 1) {
      await repository.update({ codeHash }, { replayedAt: new Date() });
      await this.revokeIssued(await repository.findOneByOrFail({ codeHash }));
      throw invalidGrant('code used twice: what its first use issued is revoked');
    }
    if (row.expiresAt.getTime() <= Date.now()) throw invalidGrant('code expired');
    return row;
  }

  /**
   * Remembers what a redemption issued; revokes it at once if a replay came in meanwhile, exactly
   * as a later replay would: the winner's answer stands, its tokens do not.
   */
  async recordIssued(codeHash: string, issued: IssuedFromCode): Promise<void> {
    const repository = this.dataSource.getRepository(AuthorizationCodeEntity);
    await repository.update(
      { codeHash },
      { accessJti: issued.accessJti, accessExpiresAt: new Date(issued.accessExpiresAt * 1000), refreshFamilyId: issued.refreshFamilyId },
    );
    const row = await repository.findOneByOrFail({ codeHash });
    if (row.replayedAt) await this.revokeIssued(row);
  }

  private async revokeIssued(row: AuthorizationCodeEntity): Promise<void> {
    if (row.accessJti && row.accessExpiresAt) {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(RevokedAccessTokenEntity)
        .values({ jti: row.accessJti, expiresAt: row.accessExpiresAt, revokedAt: new Date() })
        .orIgnore()
        .execute();
    }
    if (row.refreshFamilyId) await this.refreshTokens.revokeFamily(row.refreshFamilyId, 'reuse');
    await this.audit.record({
      type: 'authorization_code.reused',
      outcome: 'failure',
      actor: row.accountId,
      tenantId: row.tenantId,
      clientId: row.clientId,
      details: { revokedAccess: row.accessJti !== null, revokedFamily: row.refreshFamilyId },
    });
  }
}
