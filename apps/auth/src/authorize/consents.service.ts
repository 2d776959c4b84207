import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { ConsentEntity } from './consent.entity';

/** Consents to third-party clients: asked once per scope, remembered, withdrawable. */
@Injectable()
export class Consents {
  constructor(
    @InjectRepository(ConsentEntity) private readonly consents: Repository<ConsentEntity>,
    private readonly audit: AuditTrail,
  ) {}

  /** Whether the person already allowed the client every scope asked (a new scope asks again). */
  async covers(accountId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
    const consent = await this.consents.findOneBy({ accountId, clientId });
    return consent !== null && scopes.every((scope) => consent.scopes.includes(scope));
  }

  /** Remembers what was allowed, added to what was allowed before. */
  async grant(tenantId: string, accountId: string, clientId: string, scopes: readonly string[]): Promise<void> {
    const before = await this.consents.findOneBy({ accountId, clientId });
    const all = [...new Set([...(before?.scopes ?? []), ...scopes])];
    await this.consents.upsert({ accountId, clientId, tenantId, scopes: all, grantedAt: new Date() }, ['accountId', 'clientId']);
    await this.audit.record({ type: 'consent.granted', outcome: 'success', actor: accountId, tenantId, clientId, details: { scopes: all } });
  }

  /** Withdraws a consent; answers whether there was one. The client must ask again next time. */
  async withdraw(tenantId: string, accountId: string, clientId: string, actor: string): Promise<boolean> {
    const result = await this.consents.delete({ tenantId, accountId, clientId });
    const withdrawn = (result.affected ?? 0) > 0;
    if (withdrawn) await this.audit.record({ type: 'consent.withdrawn', outcome: 'success', actor, tenantId, clientId, details: { accountId } });
    return withdrawn;
  }

  list(tenantId: string, accountId: string): Promise<ConsentEntity[]> {
    return this.consents.find({ where: { tenantId, accountId }, order: { clientId: 'ASC' } });
  }
}
