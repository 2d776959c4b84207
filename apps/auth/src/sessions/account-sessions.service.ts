import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@gatehouse/contracts';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { ApiLogins } from './api-logins';
import { SessionsRepository } from './sessions.repository';
import { Sessions } from './sessions.service';
import { SessionsClock } from './sessions-clock';
import { describeUserAgent } from './user-agent';

/** A session as its person (or an administrator) sees it. */
export interface SessionView {
  id: string;
  /** A browser session, or an API client's login through the password grant. */
  kind: 'browser' | 'api';
  device: string;
  address: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** Why every sign-in of an account ends: its person or an administrator, a new password, a disabled account. */
export type EndCause = 'logout' | 'password' | 'disabled';

/** What ending every sign-in of an account ended. */
export interface Ended {
  sessions: number;
  families: number;
}

/** Whose sessions, and who acts on them (the person themselves, or an administrator). */
export interface SessionsOwner {
  tenantId: string;
  accountId: string;
}

/**
 * The sessions of one account: listed, ended one by one, or all at once. Ending a session ends
 * what was issued under it, as logout does: the session, its refresh-token families and their
 * access tokens, and a revocation event every gateway applies within its poll interval.
 */
@Injectable()
export class AccountSessions {
  constructor(
    private readonly clock: SessionsClock,
    private readonly repository: SessionsRepository,
    private readonly sessions: Sessions,
    private readonly refreshTokens: RefreshTokens,
    private readonly revocations: RevocationEvents,
    private readonly apiLogins: ApiLogins,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Browser sessions first (most recently used first), then API logins (password grant). */
  async list(owner: SessionsOwner, currentId?: string): Promise<SessionView[]> {
    const now = this.clock.now();
    const browser = await this.repository.listLive(owner.tenantId, owner.accountId, now);
    const api = await this.apiLogins.live(owner.tenantId, owner.accountId, now);
    return [
      ...browser.map((session) => ({
        id: session.id,
        kind: 'browser' as const,
        device: describeUserAgent(session.userAgent),
        address: session.ip,
        createdAt: session.createdAt.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        current: session.id === currentId,
      })),
      ...api.map((login) => ({
        id: login.sid,
        kind: 'api' as const,
        device: `API client ${login.clientId}`,
        address: null,
        createdAt: login.createdAt.toISOString(),
        lastSeenAt: login.lastSeenAt.toISOString(),
        current: login.sid === currentId,
      })),
    ];
  }

  /** Ends one live session or API login of the account; not_found for any other (another's, ended, unknown). */
  async end(owner: SessionsOwner, id: string, actor: string): Promise<void> {
    if (await this.isLiveSession(owner, id)) await this.endSignIn(id);
    else if ((await this.apiLogins.live(owner.tenantId, owner.accountId, this.clock.now())).some((login) => login.sid === id)) {
      await this.refreshTokens.revokeSession(id);
    } else throw new DomainError('not_found', `session ${id.slice(0, 64)} of ${owner.accountId}`);
    await this.audit.record({ type: 'session.ended', outcome: 'success', actor, tenantId: owner.tenantId, details: { account: owner.accountId, sid: id } });
  }

  private async isLiveSession(owner: SessionsOwner, id: string): Promise<boolean> {
    const session = await this.repository.findById(id);
    const now = this.clock.now();
    const live = session && !session.revokedAt && session.idleExpiresAt > now && session.expiresAt > now;
    return Boolean(live && session.tenantId === owner.tenantId && session.accountId === owner.accountId);
  }

  /**
   * Ends every session and refresh-token family of the account, and so every access token issued
   * to it: each carries the sid of its session or family, and each of those gets its event. The
   * one way every sign-in of an account ends: logging out everywhere, a password reset, disabling.
   * Only when the credentials themselves stop (`password`, `disabled`) does a subject event follow,
   * covering any token of the account issued until now; logging out omits it, as its watermark
   * would also refuse a login in the same second, after this.
   */
  async endAll(owner: SessionsOwner, actor: string, cause: EndCause = 'logout'): Promise<Ended> {
    const live = await this.repository.listLive(owner.tenantId, owner.accountId, this.clock.now());
    for (const session of live) await this.endSignIn(session.id);
    const families = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('token')
      .select('DISTINCT token.family_id', 'familyId')
      .where('token.tenant_id = :tenantId AND token.account_id = :accountId AND token.revoked_at IS NULL', owner)
      .getRawMany<{ familyId: string }>();
    for (const { familyId } of families) await this.refreshTokens.revokeFamily(familyId, cause === 'logout' ? 'logout' : 'revocation');
    if (cause !== 'logout') await this.revocations.subject(owner.accountId);
    const ended = { sessions: live.length, families: families.length };
    await this.audit.record({
      type: 'session.ended_everywhere',
      outcome: 'success',
      actor,
      tenantId: owner.tenantId,
      details: { account: owner.accountId, cause, ...ended },
    });
    return ended;
  }

  /** As RP-initiated logout ends a sign-in: the session (with its event), then its families. */
  private async endSignIn(sid: string): Promise<void> {
    await this.sessions.endById(sid);
    await this.refreshTokens.revokeSession(sid);
  }
}
