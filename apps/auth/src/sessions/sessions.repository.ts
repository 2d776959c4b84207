import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { SessionEntity } from './session.entity';

export type NewSession = Omit<SessionEntity, 'tenantId' | 'revokedAt'>;

/**
 * Browser sessions. A cookie names its session by id alone (the id says which tenant it belongs
 * to), so only `findById` goes without a tenant id; every write is scoped to the session's tenant.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>) {}

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ id });
  }

  async create(tenantId: string, session: NewSession): Promise<void> {
    await this.sessions.insert({ ...session, tenantId, revokedAt: null });
  }

  /**
   * Slides the idle expiry, in one conditional update, so a session that expired or was revoked
   * since it was read is never revived. Answers whether the session was still live.
   */
  async touch(tenantId: string, id: string, now: Date, idleExpiresAt: Date): Promise<boolean> {
    const result = await this.sessions.update(
      { id, tenantId, revokedAt: IsNull(), idleExpiresAt: MoreThan(now), expiresAt: MoreThan(now) },
      { lastSeenAt: now, idleExpiresAt },
    );
    return result.affected === 1;
  }

  /** The account's sessions still live at `now`, the most recently used first. */
  listLive(tenantId: string, accountId: string, now: Date): Promise<SessionEntity[]> {
    return this.sessions.find({
      where: { tenantId, accountId, revokedAt: IsNull(), idleExpiresAt: MoreThan(now), expiresAt: MoreThan(now) },
      order: { lastSeenAt: 'DESC' },
    });
  }

  async revoke(tenantId: string, id: string, now: Date): Promise<void> {
    await this.sessions.update({ id, tenantId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
