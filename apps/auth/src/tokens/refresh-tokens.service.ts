import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OAuthError } from '@gatehouse/contracts';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { AuditTrail } from '../audit/audit.service';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { RefreshTokenEntity } from './refresh-token.entity';
import { replayWithinGrace, type RotatedPair, sealPair } from './reuse-grace';
import { RevokedAccessTokenEntity } from './revoked-access-token.entity';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewFamily {
  clientId: string;
  accountId: string;
  tenantId: string;
  scope: string;
  sid: string;
  /** How and when the person signed in; every rotation's access token says it again. */
  amr: string[];
  authTime: Date | null;
}

export interface AccessTokenRef {
  jti: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface IssuedAccess extends AccessTokenRef {
  token: string;
  expiresIn: number;
}

export interface Rotation {
  pair: RotatedPair;
  /** The pair of an earlier use of the same token, answered again within the reuse grace. */
  replayed: boolean;
}

const invalidGrant = (reason: string) => new OAuthError('invalid_grant', 'The refresh token is invalid or expired.', reason);

/**
 * Opaque refresh tokens (256 random bits, base64url), stored only as SHA-256 with a family id.
 * Every use rotates; presenting a token that was already rotated, or losing the race to rotate
 * it, revokes the whole family together with the access tokens issued with it. Except within
 * `REFRESH_REUSE_GRACE` of the rotation, for the same client: two tabs refreshing at once both get
 * the pair of the one rotation, and the family lives on.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly settings: AuthSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly events: RevocationEvents,
  ) {}

  async startFamily(family: NewFamily, access: AccessTokenRef): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const absolute = new Date(Date.now() + this.settings.REFRESH_TOKEN_TTL * 1000);
    await this.dataSource.getRepository(RefreshTokenEntity).insert(this.row(token, randomUUID(), family, absolute, access));
    return token;
  }

  /** The live row behind a token presented by `clientId`; refuses and revokes on reuse. */
  async find(token: string, clientId: string): Promise<RefreshTokenEntity> {
    const row = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: hashRefreshToken(token) });
    if (!row) throw invalidGrant('unknown refresh token');
    if (row.clientId !== clientId) throw invalidGrant(`refresh token of ${row.clientId} presented by ${clientId}`);
    if (row.revokedAt) throw invalidGrant('refresh token revoked');
    if (row.replacedBy) {
      // Within the grace the grant answers the rotation's pair again (see `replay`).
      if (replayWithinGrace(row, token, Date.now())) return row;
      await this.revokeFamily(row.familyId, 'reuse');
      throw invalidGrant('refresh token reused: family revoked');
    }
    const now = Date.now();
    if (row.expiresAt.getTime() <= now || row.idleExpiresAt.getTime() <= now) throw invalidGrant('refresh token expired');
    return row;
  }

  /** The pair of `row`'s rotation when `presented` comes back within the grace; audited. */
  async replay(row: RefreshTokenEntity, presented: string): Promise<RotatedPair | undefined> {
    const pair = replayWithinGrace(row, presented, Date.now());
    if (!pair) return undefined;
    await this.audit.record({
      type: 'refresh_token.reused_within_grace',
      outcome: 'success',
      actor: row.accountId,
      tenantId: row.tenantId,
      clientId: row.clientId,
      details: { familyId: row.familyId },
    });
    return pair;
  }

  /**
   * Replaces `current` (presented as `presented`) with a new token of the same family, atomically:
   * of two concurrent uses exactly one rotates. The other answers the winner's pair within the
   * reuse grace, and is treated as reuse without it.
   */
  async rotate(current: RefreshTokenEntity, presented: string, access: IssuedAccess, scope: string): Promise<Rotation> {
    const token = randomBytes(32).toString('base64url');
    const nextId = randomUUID();
    const now = Date.now();
    const pair: RotatedPair = { access_token: access.token, expires_in: access.expiresIn, scope, refresh_token: token };
    const graceMs = this.settings.REFRESH_REUSE_GRACE * 1000;
    // Set in the claiming UPDATE itself, so a loser of the race finds the pair as soon as it loses.
    const grace = graceMs > 0 ? { reuseGraceUntil: new Date(now + graceMs), successorSealed: sealPair(presented, current.id, pair, now) } : {};
    const won = await this.dataSource.transaction(async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(RefreshTokenEntity)
        .set({ replacedBy: nextId, lastUsedAt: new Date(now), ...grace })
        .where({ id: current.id, replacedBy: IsNull(), revokedAt: IsNull() })
        .execute();
      if (claimed.affected !== 1) return false;
      // Only the newest rotation keeps its pair: the previous token's grace ends when its successor rotates.
      await manager.update(RefreshTokenEntity, { familyId: current.familyId, replacedBy: current.id }, { reuseGraceUntil: null, successorSealed: null });
      await manager.getRepository(RefreshTokenEntity).insert({ ...this.row(token, current.familyId, current, current.expiresAt, access), id: nextId });
      return true;
    });
    if (won) return { pair, replayed: false };
    const rotated = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ id: current.id });
    const replayed = rotated ? await this.replay(rotated, presented) : undefined;
    if (replayed) return { pair: replayed, replayed: true };
    await this.revokeFamily(current.familyId, 'reuse');
    throw invalidGrant('refresh token used twice concurrently: family revoked');
  }

  /** Revokes the families of one session (logout). */
  async revokeSession(sid: string): Promise<void> {
    const families = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('token')
      .select('DISTINCT token.family_id', 'familyId')
      .where('token.sid = :sid AND token.revoked_at IS NULL', { sid })
      .getRawMany<{ familyId: string }>();
    for (const { familyId } of families) await this.revokeFamily(familyId, 'logout');
  }

  /** Revokes every token of the family and the access tokens issued with them. */
  async revokeFamily(familyId: string, cause: 'reuse' | 'logout' | 'revocation'): Promise<void> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await manager.update(RefreshTokenEntity, { familyId, revokedAt: IsNull() }, { revokedAt: new Date(), reuseGraceUntil: null, successorSealed: null });
      const family = await manager.findBy(RefreshTokenEntity, { familyId });
      await this.revokeAccessTokens(manager, family);
      return family;
    });
    const first = rows[0];
    // The family's access tokens all carry its sid: one event covers them at every gateway.
    if (first) await this.events.session(first.sid);
    await this.audit.record({
      type: cause === 'reuse' ? 'refresh_token.reuse_detected' : 'refresh_token.family_revoked',
      outcome: cause === 'reuse' ? 'failure' : 'success',
      actor: first?.accountId,
      tenantId: first?.tenantId,
      clientId: first?.clientId,
      details: { familyId, cause, tokens: rows.length },
    });
  }

  private async revokeAccessTokens(manager: EntityManager, rows: RefreshTokenEntity[]): Promise<void> {
    const now = Date.now();
    const live = rows.filter((row) => row.accessJti && row.accessExpiresAt && row.accessExpiresAt.getTime() > now);
    if (live.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(RevokedAccessTokenEntity)
      .values(live.map((row) => ({ jti: row.accessJti!, expiresAt: row.accessExpiresAt!, revokedAt: new Date() })))
      .orIgnore()
      .execute();
  }

  private row(token: string, familyId: string, family: NewFamily, expiresAt: Date, access: AccessTokenRef): Partial<RefreshTokenEntity> {
    const idle = new Date(Date.now() + this.settings.REFRESH_TOKEN_IDLE_TTL * 1000);
    return {
      tokenHash: hashRefreshToken(token),
      familyId,
      clientId: family.clientId,
      accountId: family.accountId,
      tenantId: family.tenantId,
      scope: family.scope,
      sid: family.sid,
      amr: family.amr,
      authTime: family.authTime,
      expiresAt,
      idleExpiresAt: idle < expiresAt ? idle : expiresAt,
      accessJti: access.jti,
      accessExpiresAt: new Date(access.expiresAt * 1000),
    };
  }
}
