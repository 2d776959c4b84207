import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal, REGISTRY_NOTICE } from '@gatehouse/contracts';
import { RedisConnection } from '@gatehouse/persistence';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { type IdentityProviderDto, toIdentityProvider } from '../tenants/identity-provider.dto';
import { identityProviderProblem } from '../tenants/identity-provider.rules';
import { TenantEntity, type TenantIdentityProvider, type TenantStatus } from '../tenants/tenant.entity';
import { TenantLookup } from '../tenants/tenant-lookup';
import { isIssuerTaken, TenantsRepository } from '../tenants/tenants.repository';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { requirePlatform } from './admin-policy';
import { type TenantView, tenantView } from './admin-views';
import type { AllowedScopesDto, CreateTenantDto, EmailVerificationSettingDto } from './admin.dto';

@Injectable()
export class TenantsAdmin {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly repository: TenantsRepository,
    private readonly settings: AuthSettings,
    private readonly audit: AuditTrail,
    private readonly redis: RedisConnection,
    private readonly lookup: TenantLookup,
    private readonly revocations: RevocationEvents,
  ) {}

  async list(principal: Principal): Promise<TenantView[]> {
    requirePlatform(principal);
    return (await this.tenants.find({ order: { id: 'ASC' } })).map(tenantView);
  }

  async create(principal: Principal, input: CreateTenantDto): Promise<TenantView> {
    requirePlatform(principal);
    if (await this.tenants.existsBy({ id: input.id })) throw new DomainError('conflict', `tenant ${input.id} exists`, {}, 'The tenant already exists.');
    const identityProvider = input.identityProvider ? await this.acceptable(input.id, input.identityProvider) : null;
    const tenant = await this.saveTenant(
      this.tenants.create({
        id: input.id,
        name: input.name,
        plan: input.plan ?? 'free',
        status: 'active',
        identityProvider,
        allowedScopes: input.allowedScopes ?? null,
        requireEmailVerification: input.requireEmailVerification ?? false,
      }),
    );
    await this.audit.record({
      type: 'admin.tenant.created',
      outcome: 'success',
      actor: principal.subject,
      tenantId: tenant.id,
      details: { issuer: identityProvider?.issuer ?? null },
    });
    await this.changed(tenant.id);
    return tenantView(tenant);
  }

  async setStatus(principal: Principal, id: string, status: TenantStatus): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.existing(id);
    tenant.status = status;
    await this.saveTenant(tenant);
    if (status === 'suspended') await this.revocations.tenant(id);
    await this.audit.record({
      type: `admin.tenant.${status === 'active' ? 'activated' : 'suspended'}`,
      outcome: 'success',
      actor: principal.subject,
      tenantId: id,
    });
    await this.changed(id);
    return tenantView(tenant);
  }

  /**
   * The scopes the tenant's clients may hold (null: the platform's default). Narrowing them takes
   * from existing clients at their next client_credentials or password grant; their stored scopes
   * are left as they are.
   */
  async setAllowedScopes(principal: Principal, id: string, input: AllowedScopesDto): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.existing(id);
    const previous = tenant.allowedScopes;
    tenant.allowedScopes = input.allowedScopes;
    await this.saveTenant(tenant);
    await this.audit.record({
      type: 'admin.tenant.allowed_scopes_set',
      outcome: 'success',
      actor: principal.subject,
      tenantId: id,
      details: { allowedScopes: tenant.allowedScopes, previous },
    });
    return tenantView(tenant);
  }

  /**
   * Whether users must verify their address to sign in. Turning it on holds every unverified user
   * at their next sign-in until they use a verification link (resend: `/auth/email/verify/resend`).
   */
  async setEmailVerification(principal: Principal, id: string, input: EmailVerificationSettingDto): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.existing(id);
    const previous = tenant.requireEmailVerification;
    tenant.requireEmailVerification = input.requireEmailVerification;
    await this.saveTenant(tenant);
    await this.audit.record({
      type: 'admin.tenant.email_verification_set',
      outcome: 'success',
      actor: principal.subject,
      tenantId: id,
      details: { requireEmailVerification: tenant.requireEmailVerification, previous },
    });
    return tenantView(tenant);
  }

  /** Declares (or replaces) the external identity provider whose tokens authenticate this tenant. */
  async setIdentityProvider(principal: Principal, id: string, input: IdentityProviderDto): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.existing(id);
    const previous = tenant.identityProvider?.issuer ?? null;
    tenant.identityProvider = await this.acceptable(id, input);
    await this.saveTenant(tenant);
    await this.audit.record({
      type: 'admin.tenant.identity_provider_set',
      outcome: 'success',
      actor: principal.subject,
      tenantId: id,
      details: { issuer: tenant.identityProvider.issuer, jwksUri: tenant.identityProvider.jwksUri, previousIssuer: previous },
    });
    await this.changed(id);
    return tenantView(tenant);
  }

  /** Removes it: the tenant's requests are again authenticated by this platform's tokens only. */
  async removeIdentityProvider(principal: Principal, id: string): Promise<TenantView> {
    requirePlatform(principal);
    const tenant = await this.existing(id);
    const previous = tenant.identityProvider;
    if (!previous) return tenantView(tenant);
    tenant.identityProvider = null;
    await this.saveTenant(tenant);
    await this.audit.record({
      type: 'admin.tenant.identity_provider_removed',
      outcome: 'success',
      actor: principal.subject,
      tenantId: id,
      details: { issuer: previous.issuer },
    });
    await this.changed(id);
    return tenantView(tenant);
  }

  /** Gateways refetch the registry at once instead of within their TTL (when Redis carries the notice). */
  private changed(id: string): Promise<void> {
    return this.redis.publish(REGISTRY_NOTICE.tenantChanged, id);
  }

  private async existing(id: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findOneBy({ id });
    if (!tenant) throw new DomainError('not_found', `tenant ${id}`);
    return tenant;
  }

  private async acceptable(tenantId: string, input: IdentityProviderDto): Promise<TenantIdentityProvider> {
    const provider = toIdentityProvider(input);
    const problem = identityProviderProblem(provider, this.settings);
    if (problem) throw new DomainError('invalid_request', `${tenantId}: ${problem}`, {}, `Invalid identity provider: ${problem}.`);
    const holder = await this.repository.issuerHolder(provider.issuer, tenantId);
    if (holder) throw issuerConflict(tenantId, holder);
    return provider;
  }

  /**
   * Every write of a tenant. The check above answers clearly; the unique index answers the writer
   * that lost a race. Once written, this instance's grants read the tenant afresh (a suspension
   * counts at once), even if what follows the write fails.
   */
  private async saveTenant(tenant: TenantEntity): Promise<TenantEntity> {
    try {
      return await this.tenants.save(tenant);
    } catch (error) {
      if (isIssuerTaken(error)) throw issuerConflict(tenant.id, 'another tenant');
      throw error;
    } finally {
      this.lookup.forget(tenant.id);
    }
  }
}

function issuerConflict(tenantId: string, holder: string): DomainError {
  return new DomainError('conflict', `${tenantId}: issuer held by ${holder}`, {}, `The issuer is already the identity provider of ${holder}.`);
}
