import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { SessionEntity } from '../sessions/session.entity';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { RefreshTokens } from '../tokens/refresh-tokens.service';

/** What ending an account's sign-ins ended, for the audit trail. */
export interface Ended {
  sessions: number;
  families: number;
}

/**
 * Ends everything an account is signed in with: its browser sessions, every refresh token family
 * (with the access tokens issued with them), and, through the revocation feed, every token of the
 * account any gateway may still accept.
 */
@Injectable()
export class AccountEnds {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    private readonly refreshTokens: RefreshTokens,
    private readonly revocations: RevocationEvents,
  ) {}

  async endAll(tenantId: string, accountId: string): Promise<Ended> {
    const live = await this.sessions.find({ select: { id: true }, where: { tenantId, accountId, revokedAt: IsNull() } });
    if (live.length > 0) await this.sessions.update({ tenantId, accountId, revokedAt: IsNull() }, { revokedAt: new Date() });
    // As logout does for one session: gateways drop what they admitted with each cookie at once.
    for (const { id } of live) await this.revocations.session(id);
    const families = await this.tokens
      .createQueryBuilder('token')
      .select('DISTINCT token.family_id', 'familyId')
      .where('token.tenant_id = :tenantId AND token.account_id = :accountId AND token.revoked_at IS NULL', { tenantId, accountId })
      .getRawMany<{ familyId: string }>();
    for (const { familyId } of families) await this.refreshTokens.revokeFamily(familyId, 'revocation');
    // One subject event covers every access token and session cookie of the account issued so far.
    await this.revocations.subject(accountId);
    return { sessions: live.length, families: families.length };
  }
}
