import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { adminReachOf, tenantInReach } from '../admin/admin-policy';
import { AuditEventEntity } from './audit-event.entity';
import { AUDIT_PAGE_DEFAULT, type AuditEventResponse, type AuditFilterDto, type AuditPageQueryDto, type AuditPageResponse } from './audit-query.dto';

// Opaque to clients: the id of the last row of a page, which the next page starts below.
const CURSOR_PREFIX = 'a1:';
const CURSOR_ID = /^[1-9][0-9]{0,18}$/;
const EXPORT_PAGE = 500;

export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!CURSOR_ID.test(id)) throw new DomainError('invalid_request', 'audit cursor not issued here', {}, 'cursor is not one this API issued.');
  return id;
}

/** The filters as the database reads them, with the tenant the caller is held to. */
interface Scope {
  tenant?: string;
  type?: string;
  subject?: string;
  client?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

export function auditEventView(row: AuditEventEntity): AuditEventResponse {
  return {
    id: String(row.id),
    at: row.createdAt.toISOString(),
    type: row.type,
    outcome: row.outcome,
    source: row.source,
    tenant: row.tenantId,
    subject: row.actor,
    client: row.clientId,
    ip: row.ip,
    requestId: row.requestId,
    correlationId: row.correlationId,
    traceId: row.traceId,
    details: row.details,
  };
}

/**
 * The audit trail for administrators, newest first: a platform administrator reads every
 * tenant's rows and the platform's own; a tenant administrator reads their tenant's rows only,
 * whatever the filters say (naming another tenant is `forbidden`).
 */
@Injectable()
export class AuditQuery {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  /** Checked before anything is read or streamed. */
  scope(principal: Principal, filters: AuditFilterDto): Scope {
    const tenant = tenantInReach(adminReachOf(principal), filters.tenant);
    const from = filters.from === undefined ? undefined : new Date(filters.from);
    const to = filters.to === undefined ? undefined : new Date(filters.to);
    if (from && to && from >= to) throw new DomainError('invalid_request', 'audit from >= to', {}, '`from` must be before `to`.');
    return { tenant, type: filters.type, subject: filters.subject, client: filters.client, outcome: filters.outcome, from, to };
  }

  async page(principal: Principal, query: AuditPageQueryDto): Promise<AuditPageResponse> {
    const scope = this.scope(principal, query);
    const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
    const rows = await this.rows(scope, limit + 1, query.cursor === undefined ? undefined : decodeCursor(query.cursor));
    const events = rows.slice(0, limit);
    return { events: events.map(auditEventView), nextCursor: rows.length > limit ? encodeCursor(String(events[events.length - 1].id)) : null };
  }

  /** Every matching row, newest first, read a page at a time while the caller consumes them. */
  async *all(scope: Scope): AsyncGenerator<AuditEventResponse> {
    let before: string | undefined;
    for (;;) {
      const rows = await this.rows(scope, EXPORT_PAGE, before);
      for (const row of rows) yield auditEventView(row);
      if (rows.length < EXPORT_PAGE) return;
      before = String(rows[rows.length - 1].id);
    }
  }

  private rows(scope: Scope, limit: number, before?: string): Promise<AuditEventEntity[]> {
    const query = this.events.createQueryBuilder('event');
    if (scope.tenant !== undefined) query.andWhere('event.tenantId = :tenant', { tenant: scope.tenant });
    if (scope.type !== undefined) query.andWhere('event.type = :type', { type: scope.type });
    if (scope.subject !== undefined) query.andWhere('event.actor = :subject', { subject: scope.subject });
    if (scope.client !== undefined) query.andWhere('event.clientId = :client', { client: scope.client });
    if (scope.outcome !== undefined) query.andWhere('event.outcome = :outcome', { outcome: scope.outcome });
    if (scope.from) query.andWhere('event.createdAt >= :from', { from: scope.from });
    if (scope.to) query.andWhere('event.createdAt < :to', { to: scope.to });
    if (before !== undefined) query.andWhere('event.id < :before', { before });
    return query.orderBy('event.id', 'DESC').limit(limit).getMany();
  }
}
