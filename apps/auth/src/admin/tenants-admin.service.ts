import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { TenantEntity, type TenantStatus } from '../tenants/tenant.entity';
import { requirePlatform } from './admin-policy';
import { type TenantView, tenantView } from './admin-views';
import type { CreateTenantDto } from './admin.dto';

@Injectable()
export class TenantsAdmin {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly audit: AuditTrail,
  ) {}

  async list(principal: Principal): Promise<TenantView[]> {
    requirePlatform(principal);
    return (await this.tenants.find({ order: { id: 'ASC' } })).map(tenantView);
  }

  async create(principal: Principal, input: CreateTenantDto): Promise<TenantView> {
    requirePlatform(principal);
    if (await this.tenants.existsBy({ id: input.id })) throw new DomainError('conflict', `tenant ${input.id} exists`, {}, 'The tenant already exists.');
    const tenant = await this.tenants.save(this.tenants.create({ id: input.id, name: input.name, plan: input.plan ?? 'free', status: 'active', identityProvider: null }));
    await this.audit.record({ type: 'admin.tenant.created', outcome: 'success', actor: principal.subject, tenantId: tenant.id });
    return tenantView(tenant);
  }

  async setStatus(principal: Principal, id: string, status: TenantStatus): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.tenants.findOneBy({ id });
    if (!tenant) throw new DomainError('not_found', `tenant ${id}`);
    tenant.status = status;
    await this.tenants.save(tenant);
    await this.audit.record({ type: `admin.tenant.${status === 'active' ? 'activated' : 'suspended'}`, outcome: 'success', actor: principal.subject, tenantId: id });
    return tenantView(tenant);
  }
}
