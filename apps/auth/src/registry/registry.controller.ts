import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiExcludeController } from '@nestjs/swagger';
import { OAuthErrorBodies } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import { OAuthForm } from '../oauth/oauth-form.decorator';
import { RegistryFormDto } from './registry.dto';
import { Registry, type RegistryTenant } from './registry.service';

/**
 * Internal endpoints for the gateway, which authenticates as its client (client_secret_basic); its
 * audit reports arrive at `/internal/audit` (AuditModule).
 * The gateway routes nothing under `/internal`, so they are never reachable from outside.
 */
@ApiExcludeController()
@Controller('internal')
export class RegistryController {
  constructor(private readonly registry: Registry) {}

  @Public()
  @Post('tenants')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  tenants(
    @OAuthForm(RegistryFormDto) form: RegistryFormDto,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<{ tenants: RegistryTenant[] }> {
    return this.registry.tenantList({ authorization, clientId: form.client_id, clientSecret: form.client_secret });
  }
}
