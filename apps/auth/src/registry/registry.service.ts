import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OAuthError } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import type { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { TenantEntity, type TenantIdentityProvider, type TenantStatus } from '../tenants/tenant.entity';
import type { CrossTenantReportDto } from './registry.dto';

export interface RegistryTenant {
  id: string;
  status: TenantStatus;
  plan: string;
  identityProvider: TenantIdentityProvider | null;
}

/**
 * What the gateway reads of auth besides tokens: the tenant registry it resolves requests
 * against, and the audit events it reports. Only clients marked `introspect` (the gateway) may
 * call; any other client is `invalid_client`, exactly as for introspection.
 */
@Injectable()
export class Registry {
  constructor(
    private readonly clients: ClientLookup,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly audit: AuditTrail,
  ) {}

  async tenantList(credentials: ClientCredentials): Promise<{ tenants: RegistryTenant[] }> {
    await this.gateway(credentials);
    const rows = await this.tenants.find({ order: { id: 'ASC' } });
    return { tenants: rows.map(({ id, status, plan, identityProvider }) => ({ id, status, plan, identityProvider })) };
  }

  async report(credentials: ClientCredentials, report: CrossTenantReportDto): Promise<{ recorded: true }> {
    const gateway = await this.gateway(credentials);
    await this.audit.record({
      type: report.type,
      outcome: 'failure',
      actor: report.subject,
      tenantId: report.resolved_tenant,
      clientId: report.client,
      ip: report.ip,
      details: { resolvedTenant: report.resolved_tenant, tokenTenant: report.token_tenant ?? null, requestId: report.request_id, reportedBy: gateway.id },
    });
    return { recorded: true };
  }

  private async gateway(credentials: ClientCredentials): Promise<ClientEntity> {
    const caller = await authenticateClient(this.clients, credentials);
    if (!mayIntrospectAny(caller)) throw new OAuthError('invalid_client', 'This client may not read the registry.', `${caller.id} lacks introspect`);
    return caller;
  }
}
