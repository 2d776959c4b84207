import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { issuerKey } from './identity-provider.rules';
import { type MfaRequirement, TenantEntity } from './tenant.entity';

/** The unique index holding one tenant per issuer (migration 1763800000300). */
export const ISSUER_INDEX = 'tenants_identity_provider_issuer_idx';

@Injectable()
export class TenantsRepository {
  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}

  find(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  async setMfaRequired(id: string, mfaRequired: MfaRequirement): Promise<void> {
    await this.tenants.update({ id }, { mfaRequired });
  }

  /** The tenant when it exists and is active; null otherwise (callers answer without saying which). */
  async findActive(id: string): Promise<TenantEntity | null> {
    const tenant = await this.find(id);
    return tenant?.status === 'active' ? tenant : null;
  }

  /** The id of another tenant whose identity provider has this issuer, if any. */
  async issuerHolder(issuer: string, exceptTenantId: string): Promise<string | null> {
    const holder = await this.tenants
      .createQueryBuilder('tenant')
      .select('tenant.id', 'id')
      .where(`rtrim("tenant"."identity_provider" ->> 'issuer', '/') = :issuer`, { issuer: issuerKey(issuer) })
      .andWhere('tenant.id <> :id', { id: exceptTenantId })
      .getRawOne<{ id: string }>();
    return holder?.id ?? null;
  }
}

/** Whether a failed write broke the one-tenant-per-issuer index (another writer got there first). */
export function isIssuerTaken(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && driverError.constraint === ISSUER_INDEX;
}
