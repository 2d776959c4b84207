import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import type { Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { AuditEventEntity } from './audit-event.entity';

const PURGE_EVERY_MS = 60 * 60 * 1000;
// Rows per DELETE: short statements, so a large backlog never holds locks for long.
const PURGE_BATCH = 1000;

/**
 * AUDIT_RETENTION_DAYS > 0: deletes older audit events once at start and then hourly, a batch at
 * a time. The timer never keeps the process alive; a failed purge is retried on the next beat.
 * Several auth instances purging at once only delete the same old rows.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly settings: AuthSettings,
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.AUDIT_RETENTION_DAYS <= 0) return;
    this.timer = setInterval(() => void this.tick(), PURGE_EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every event older than the retention, in batches; resolves with how many. */
  purge(now = new Date()): Promise<number> {
    this.running ??= this.deleteOlderThan(new Date(now.getTime() - this.settings.AUDIT_RETENTION_DAYS * 86_400_000)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      const purged = await this.purge();
      if (purged > 0) this.logger.info({ purged, retentionDays: this.settings.AUDIT_RETENTION_DAYS }, 'audit events past retention purged');
    } catch (error) {
      this.logger.error({ err: error }, 'audit purge failed; retried within the hour');
    }
  }

  private async deleteOlderThan(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.events
        .createQueryBuilder('event')
        .select('event.id', 'id')
        .where('event.createdAt < :cutoff', { cutoff })
        .orderBy('event.id')
        .limit(PURGE_BATCH)
        .getRawMany<{ id: string }>();
      if (batch.length > 0) await this.events.delete(batch.map((row) => row.id));
      total += batch.length;
      if (batch.length < PURGE_BATCH) return total;
    }
  }
}
