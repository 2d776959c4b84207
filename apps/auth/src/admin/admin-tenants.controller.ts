import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { IdentityProviderDto } from '../tenants/identity-provider.dto';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { TenantResponse } from './admin.responses';
import type { TenantView } from './admin-views';
import { AllowedScopesDto, CreateTenantDto, EmailVerificationSettingDto } from './admin.dto';
import { TenantsAdmin } from './tenants-admin.service';

@ApiTags('admin')
@Controller('admin/tenants')
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsAdmin) {}

  @Get()
  @ApiOkResponse({ type: [TenantResponse] })
  @AdminEndpoint('List tenants (platform)')
  list(@CurrentPrincipal() principal: Principal): Promise<TenantView[]> {
    return this.tenants.list(principal);
  }

  @Post()
  @ApiCreatedResponse({ type: TenantResponse })
  @AdminEndpoint('Create a tenant (platform)')
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(principal, input);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint('Suspend a tenant: its logins and grants fail (platform)')
  suspend(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TenantView> {
    return this.tenants.setStatus(principal, id, 'suspended');
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint('Reactivate a tenant (platform)')
  activate(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TenantView> {
    return this.tenants.setStatus(principal, id, 'active');
  }

  @Put(':id/allowed-scopes')
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint("Set the scopes the tenant's clients may hold, or null for the platform's default (platform)")
  setAllowedScopes(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() input: AllowedScopesDto): Promise<TenantView> {
    return this.tenants.setAllowedScopes(principal, id, input);
  }

  @Put(':id/email-verification')
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint('Require, or stop requiring, a verified email address to sign in (platform)')
  setEmailVerification(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() input: EmailVerificationSettingDto): Promise<TenantView> {
    return this.tenants.setEmailVerification(principal, id, input);
  }

  @Put(':id/identity-provider')
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint('Set the external identity provider whose tokens authenticate this tenant only (platform)')
  setIdentityProvider(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() input: IdentityProviderDto): Promise<TenantView> {
    return this.tenants.setIdentityProvider(principal, id, input);
  }

  @Delete(':id/identity-provider')
  @ApiOkResponse({ type: TenantResponse })
  @AdminEndpoint("Remove the tenant's external identity provider (platform)")
  removeIdentityProvider(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TenantView> {
    return this.tenants.removeIdentityProvider(principal, id);
  }
}
