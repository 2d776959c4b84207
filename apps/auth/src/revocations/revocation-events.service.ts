import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { REVOCATION_TOPIC, type RevocationEvent, type RevocationKind, type RevocationNotice } from '@gatehouse/contracts';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { RedisConnection } from '@gatehouse/persistence';
import { Broadcast } from '@gatehouse/transport';
import { DataSource, LessThan } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { RevocationEventEntity } from './revocation-event.entity';

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The revocation feed: every end of validity a gateway may not know of yet, recorded with a
 * monotonic sequence, then pushed to every gateway instance. Recording first means a push that is
 * lost is found again by sequence (`GET /internal/revocations`). One method per kind of end.
 */
@Injectable()
export class RevocationEvents implements OnApplicationShutdown {
  private readonly broadcast: Broadcast;

  constructor(
    private readonly settings: AuthSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    redis: RedisConnection,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.broadcast = new Broadcast(settings, redis, 'auth-revocations');
  }

  /** One access token, until it expires (`expiresAt` in seconds since the epoch). */
  accessToken(jti: string, expiresAt: number): Promise<void> {
    return this.emit('jti', jti, expiresAt);
  }

  /** Every access token carrying `sid`: a login's refresh-token family, or a browser session. */
  session(sid: string): Promise<void> {
    return this.emit('sid', sid, this.lastExpiry());
  }

  /** Every token of an account issued until now (disabled, password changed, logged out everywhere). */
  subject(subject: string): Promise<void> {
    return this.emit('subject', subject, this.lastExpiry());
  }

  /** Every token issued to a client until now (disabled, secret rotated). */
  client(clientId: string): Promise<void> {
    return this.emit('client', clientId, this.lastExpiry());
  }

  /** Every token of a tenant issued until now (suspended). */
  tenant(tenantId: string): Promise<void> {
    return this.emit('tenant', tenantId, this.lastExpiry());
  }

  /**
   * Appends an event to the feed. The table lock makes sequence order commit order: a reader
   * never sees seq n+1 while n may still commit, so reading `after` a sequence misses nothing.
   */
  async record(kind: RevocationKind, value: string, until: number): Promise<RevocationEvent> {
    const now = Date.now();
    const row = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(RevocationEventEntity);
      const table = repository.metadata.tablePath
        .split('.')
        .map((part) => `"${part}"`)
        .join('.');
      await manager.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
      await repository.delete({ expiresAt: LessThan(new Date(now)) });
      return repository.save(repository.create({ kind, value, issuedBefore: new Date(now), expiresAt: new Date(until * 1000) }));
    });
    return toEvent(row);
  }

  onApplicationShutdown(): Promise<void> {
    return this.broadcast.close();
  }

  private async emit(kind: RevocationKind, value: string, until: number): Promise<void> {
    if (until * 1000 <= Date.now()) return;
    const event = await this.record(kind, value, until);
    const notice: RevocationNotice = { ...event, iss: this.settings.AUTH_ISSUER };
    // Never waits on the broker: the feed already holds the event for any gateway that misses this.
    void this.broadcast
      .publish(REVOCATION_TOPIC, JSON.stringify(notice))
      .catch((error: unknown) => this.logger.warn({ err: error, seq: event.seq }, 'revocation push failed'));
  }

  /** When every access token issued until now has expired. */
  private lastExpiry(): number {
    return seconds(Date.now()) + this.settings.ACCESS_TOKEN_TTL;
  }
}

export function toEvent(row: RevocationEventEntity): RevocationEvent {
  return { seq: row.seq, kind: row.kind, value: row.value, before: seconds(row.issuedBefore.getTime()), until: seconds(row.expiresAt.getTime()) };
}
