import { Injectable } from '@nestjs/common';
import { AuthSettings } from '../auth.settings';
import { ExpiringCache } from '../cache/expiring-cache';
import type { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

/**
 * The tenant the grants check on every token, remembered for `CLIENT_CACHE_TTL` seconds (clients
 * and tenants change alike, through the Admin API). TenantsAdmin forgets a tenant it changes, so a
 * suspension stops this instance's grants at once; another instance's within the TTL.
 * The entity it answers is shared by concurrent requests: read only.
 */
@Injectable()
export class TenantLookup {
  private readonly cache: ExpiringCache<TenantEntity>;

  constructor(
    private readonly tenants: TenantsRepository,
    settings: AuthSettings,
  ) {
    this.cache = new ExpiringCache(settings.CLIENT_CACHE_TTL * 1000);
  }

  /** The tenant, whatever its status; null when unknown. */
  find(id: string): Promise<TenantEntity | null> {
    return this.cache.get(id, (key) => this.tenants.find(key));
  }

  /** After any change to the tenant, once the change is written. */
  forget(id: string): void {
    this.cache.forget(id);
  }
}
