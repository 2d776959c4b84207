import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OAuthError } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import type { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { TenantEntity, type TenantIdentityProvider, type TenantStatus } from '../tenants/tenant.entity';

export interface RegistryTenant {
  id: string;
  status: TenantStatus;
  plan: string;
  identityProvider: TenantIdentityProvider | null;
}

/**
 * What the gateway reads of auth besides tokens: the tenant registry it resolves requests
 * against. Only clients marked `introspect` (the gateway) may
 * call; any other client is `invalid_client`, exactly as for introspection.
 */
@Injectable()
export class Registry {
  constructor(
    private readonly clients: ClientLookup,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
  ) {}

  async tenantList(credentials: ClientCredentials): Promise<{ tenants: RegistryTenant[] }> {
    await this.gateway(credentials);
    const rows = await this.tenants.find({ order: { id: 'ASC' } });
    return { tenants: rows.map(({ id, status, plan, identityProvider }) => ({ id, status, plan, identityProvider })) };
  }

  private async gateway(credentials: ClientCredentials): Promise<ClientEntity> {
    const caller = await authenticateClient(this.clients, credentials);
    if (!mayIntrospectAny(caller)) throw new OAuthError('invalid_client', 'This client may not read the registry.', `${caller.id} lacks introspect`);
    return caller;
  }
}
