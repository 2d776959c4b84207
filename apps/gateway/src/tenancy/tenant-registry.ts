import { Inject, Injectable } from '@nestjs/common';
import { DomainError, REGISTRY_NOTICE } from '@gatehouse/contracts';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { RedisConnection } from '@gatehouse/persistence';
import { AuthAppClient } from '../authn/auth-app-client';
import { GatewaySettings } from '../gateway.settings';
import { RouteTable } from '../routes/route-table';

export interface RegisteredTenant {
  id: string;
  status: 'active' | 'suspended';
  plan: string;
  identityProvider: { issuer: string; jwksUri: string; audience: string; rolesClaim: string; acceptTypJwt?: boolean } | null;
}

/** A tenant not in the registry causes at most one refetch per this period (new tenants appear). */
const UNKNOWN_REFETCH_MS = 5_000;

/**
 * The tenants as auth knows them (`POST /internal/tenants`, as the gateway's client), held in
 * memory: fresh for `TENANT_REGISTRY_TTL`, refetched by one request at a time however many wait,
 * and kept up to `TENANT_REGISTRY_MAX_STALE` while auth cannot answer. A suspension reaches the
 * gateway within the TTL, or at once when auth's notice arrives over Redis. Without `GATEWAY_CLIENT_SECRET` there is no registry and every resolved
 * tenant counts as active: tolerated in development, refused at start in production.
 */
@Injectable()
export class TenantRegistry {
  private tenants = new Map<string, RegisteredTenant>();
  private issuers = new Map<string, RegisteredTenant>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  /** Changes auth announced, and how many of them the registry in memory already reflects. */
  private notices = 0;
  private noticesFetched = 0;
  private inflight: Promise<void> | undefined;
  private readonly client: AuthAppClient | undefined;

  constructor(
    private readonly settings: GatewaySettings,
    routes: RouteTable,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    redis: RedisConnection,
  ) {
    this.client = settings.GATEWAY_CLIENT_SECRET ? new AuthAppClient(settings) : undefined;
    // A change auth announces makes the next lookup refetch, instead of waiting out the TTL.
    if (this.client) redis.subscribe(REGISTRY_NOTICE.tenantChanged, () => (this.notices += 1));
    const tenantRoutes = routes.routes.filter((route) => route.tenant.length > 0).map((route) => route.prefix);
    if (this.client || tenantRoutes.length === 0) return;
    if (settings.isProduction) {
      throw new Error(
        `GATEWAY_CLIENT_SECRET is required in production: routes ${tenantRoutes.join(', ')} resolve tenants, which are checked against auth's registry`,
      );
    }
    logger.warn('GATEWAY_CLIENT_SECRET unset: no tenant registry, tenants are not checked for existence or suspension');
  }

  /** The tenant, or `tenant_not_found` / `tenant_suspended`; `auth_unavailable` past the staleness bound. */
  async require(id: string): Promise<RegisteredTenant> {
    if (!this.client) return { id, status: 'active', plan: 'unknown', identityProvider: null };
    const tenant = await this.find(() => this.tenants.get(id));
    if (!tenant) throw new DomainError('tenant_not_found', `tenant ${id} is not registered`);
    return active(tenant);
  }

  /**
   * The tenant whose own identity provider is `issuer` (`tenant_suspended` if it is), or undefined
   * when no tenant declares it, or there is no registry.
   */
  async byIssuer(issuer: string): Promise<RegisteredTenant | undefined> {
    if (!this.client) return undefined;
    const tenant = await this.find(() => this.issuers.get(issuer));
    return tenant && active(tenant);
  }

  /** A lookup on a fresh enough registry; a miss refetches at most once per UNKNOWN_REFETCH_MS. */
  private async find(lookup: () => RegisteredTenant | undefined): Promise<RegisteredTenant | undefined> {
    const now = Date.now();
    const age = now - this.fetchedAt;
    if (this.notices !== this.noticesFetched || age > this.settings.TENANT_REGISTRY_TTL * 1000)
      await this.refresh(age > (this.settings.TENANT_REGISTRY_TTL + this.settings.TENANT_REGISTRY_MAX_STALE) * 1000);
    const found = lookup();
    if (found || now - this.fetchedAt <= UNKNOWN_REFETCH_MS) return found;
    await this.refresh(false);
    return lookup();
  }

  /** Refetches (single flight); a failure keeps the last registry unless `mustSucceed`. */
  private async refresh(mustSucceed: boolean): Promise<void> {
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    try {
      await this.inflight;
    } catch (error) {
      this.logger.warn({ err: error }, 'tenant registry refresh failed; serving the last one');
      if (mustSucceed || this.fetchedAt === Number.NEGATIVE_INFINITY) throw error;
    }
  }

  private async fetch(): Promise<void> {
    // A notice arriving while this fetch runs may describe a change the answer predates.
    const notices = this.notices;
    const answer = await this.client!.post('/internal/tenants', {});
    if (!Array.isArray(answer.tenants)) throw new DomainError('auth_unavailable', 'tenant registry without tenants', { 'retry-after': '5' });
    const tenants = answer.tenants as RegisteredTenant[];
    this.tenants = new Map(tenants.map((tenant) => [tenant.id, tenant]));
    this.issuers = new Map(tenants.flatMap((tenant) => (tenant.identityProvider ? [[tenant.identityProvider.issuer, tenant] as const] : [])));
    this.fetchedAt = Date.now();
    this.noticesFetched = notices;
  }
}

function active(tenant: RegisteredTenant): RegisteredTenant {
  if (tenant.status !== 'active') throw new DomainError('tenant_suspended', `tenant ${tenant.id} is ${tenant.status}`);
  return tenant;
}
