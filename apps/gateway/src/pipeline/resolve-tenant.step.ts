import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { Exchange } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { CrossTenantReporter } from '../tenancy/cross-tenant-reporter';
import { resolveTenant } from '../tenancy/resolve-tenant';
import { TenantRegistry } from '../tenancy/tenant-registry';
import type { PipelineStep } from './pipeline-step';

/**
 * Pipeline steps 4 and 6, on routes that name tenant sources: the tenant of the request
 * (resolve-tenant; it runs after authentication because the token's claim is one of the
 * sources), checked against the registry (`tenant_not_found`, `tenant_suspended`), then against
 * the token: a token of another tenant, or of none, is `403 tenant_mismatch` and an audit event.
 */
@Injectable()
export class ResolveTenantStep implements PipelineStep {
  readonly name = 'resolve-tenant';

  constructor(
    private readonly settings: GatewaySettings,
    private readonly registry: TenantRegistry,
    private readonly reporter: CrossTenantReporter,
  ) {}

  run(exchange: Exchange): void | Promise<void> {
    if (exchange.route.tenant.length === 0) return;
    return this.resolve(exchange);
  }

  private async resolve(exchange: Exchange): Promise<void> {
    const { request } = exchange;
    const hints = { host: request.headers.host, path: exchange.pathTenant, header: request.headers['x-tenant-id'] };
    const { tenant } = resolveTenant(exchange.route, hints, exchange.principal, this.settings.TENANT_BASE_HOST);
    exchange.tenant = await this.registry.require(tenant);
    const principal = exchange.principal;
    if (principal && principal.tenantId !== tenant) {
      this.reporter.report({ resolvedTenant: tenant, principal, context: exchange.context, ip: request.ip });
      throw new DomainError('tenant_mismatch', `token of ${principal.tenantId ?? 'no tenant'} on a request for ${tenant}`);
    }
  }
}
