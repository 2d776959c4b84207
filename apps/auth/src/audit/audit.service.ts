import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_LOGGER, currentRequestContext, type Logger } from '@gatehouse/observability';
import type { EntityManager, Repository } from 'typeorm';
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

  /** Pass the transaction's manager when inside one (the embedded database has one connection). */
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
    await events.save(events.create(row));
    this.logger.info({ audit: { ...row } }, `audit ${record.type} ${record.outcome}`);
  }
}
