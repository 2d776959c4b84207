import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_LOGGER, currentRequestContext, type Logger } from '@gatehouse/observability';
import type { EntityManager, QueryDeepPartialEntity, Repository } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRecord {
  type: string;
  outcome: 'success' | 'failure';
  actor?: string;
  tenantId?: string;
  clientId?: string;
  ip?: string;
  /** Never a token, a password or a secret. */
  details?: Record<string, unknown>;
}

/** Writes an audit event and a log line for every security-relevant action. */
@Injectable()
export class AuditTrail {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Pass the transaction's manager when inside one (the embedded database has one connection).
   * Awaited: the row is written when this resolves.
   */
  async record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    const requestId = currentRequestContext()?.requestId ?? null;
    const row = {
      type: record.type,
      outcome: record.outcome,
      actor: record.actor ?? null,
      tenantId: record.tenantId ?? null,
      clientId: record.clientId ?? null,
      ip: record.ip ?? null,
      requestId,
      details: record.details ?? {},
    };
    const events = manager ? manager.getRepository(AuditEventEntity) : this.events;
    // One INSERT: `save` would wrap it in BEGIN/COMMIT, diff it as an entity and ask the generated
    // id and date back (RETURNING), none of which an append-only row needs.
    // TypeORM types a jsonb value as a partial entity; it is written as JSON all the same.
    const values: QueryDeepPartialEntity<AuditEventEntity> = { ...row, details: row.details as QueryDeepPartialEntity<AuditEventEntity>['details'] };
    await events.createQueryBuilder().insert().values(values).updateEntity(false).callListeners(false).execute();
    this.logger.info({ audit: { ...row } }, `audit ${record.type} ${record.outcome}`);
  }
}
