import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_LOGGER, currentRequestContext, type Logger, traceIdOf } from '@gatehouse/observability';
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

/** A row another app reported: its ids come with it instead of from this request's context. */
export interface ReportedAuditRecord extends AuditRecord {
  source: string;
  requestId?: string;
  correlationId?: string;
  traceId?: string;
}

type AuditRow = QueryDeepPartialEntity<AuditEventEntity>;

interface Waiting {
  row: AuditRow;
  written: () => void;
  failed: (error: unknown) => void;
}

// Rows per INSERT at most: far under PostgreSQL's 65,535 bind parameters (twelve per row).
const MAX_BATCH = 500;

/**
 * Writes an audit event and a log line for every security-relevant action.
 *
 * Group commit: rows written outside a transaction in one turn of the event loop, and those that
 * arrive while an audit INSERT is in flight, go together in one multi-row INSERT. Each caller
 * still waits for its own row to be written, so nothing is acknowledged before it is stored, and
 * under load the database sees one statement per batch instead of one per request.
 */
@Injectable()
export class AuditTrail {
  private readonly waiting: Waiting[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Pass the transaction's manager when inside one (the embedded database has one connection).
   * Awaited: the row is written when this resolves.
   */
  async record(record: AuditRecord | ReportedAuditRecord, manager?: EntityManager): Promise<void> {
    const context = currentRequestContext();
    const reported = 'source' in record ? record : undefined;
    const row = {
      type: record.type,
      outcome: record.outcome,
      actor: record.actor ?? null,
      tenantId: record.tenantId ?? null,
      clientId: record.clientId ?? null,
      ip: record.ip ?? null,
      requestId: (reported ? reported.requestId : context?.requestId) ?? null,
      correlationId: (reported ? reported.correlationId : context?.correlationId) ?? null,
      traceId: (reported ? reported.traceId : traceIdOf(context?.traceparent)) ?? null,
      source: reported?.source ?? 'auth',
      details: record.details ?? {},
    };
    // TypeORM types a jsonb value as a partial entity; it is written as JSON all the same.
    const values: AuditRow = { ...row, details: row.details as AuditRow['details'] };
    if (manager) await this.insert(manager.getRepository(AuditEventEntity), [values]);
    else await new Promise<void>((written, failed) => this.enqueue({ row: values, written, failed }));
    this.logger.info({ audit: { ...row } }, `audit ${record.type} ${record.outcome}`);
  }

  private enqueue(waiting: Waiting): void {
    this.waiting.push(waiting);
    if (this.writing || this.scheduled) return;
    // After the event loop's current round of I/O callbacks: every request that reached its audit
    // row in that round joins the batch. The embedded database answers without ever yielding to
    // the loop, so without this wait no second row could ever join an INSERT in flight.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        await this.insert(
          this.events,
          batch.map((one) => one.row),
        );
        for (const one of batch) one.written();
      } catch (error) {
        if (batch.length === 1) batch[0].failed(error);
        // One row the database refuses must not fail the requests it shared a batch with.
        else await Promise.all(batch.map((one) => this.insert(this.events, [one.row]).then(one.written, one.failed)));
      }
    }
    this.writing = false;
  }

  // One INSERT: `save` would wrap it in BEGIN/COMMIT, diff each row as an entity and ask the
  // generated ids and dates back (RETURNING), none of which append-only rows need.
  private async insert(events: Repository<AuditEventEntity>, rows: AuditRow[]): Promise<void> {
    await events.createQueryBuilder().insert().values(rows).updateEntity(false).callListeners(false).execute();
  }
}
