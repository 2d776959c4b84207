import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class TenantsRepository {
  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}

  find(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  /** The tenant when it exists and is active; null otherwise (callers answer without saying which). */
  async findActive(id: string): Promise<TenantEntity | null> {
    const tenant = await this.find(id);
    return tenant?.status === 'active' ? tenant : null;
  }
}
