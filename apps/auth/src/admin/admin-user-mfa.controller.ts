import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { IsIn } from 'class-validator';
import { MFA_REQUIREMENTS, type MfaRequirement } from '../tenants/tenant.entity';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { TenantQueryDto } from './admin.dto';
import { AdminMfa } from './admin-mfa.service';

export class MfaRequirementDto {
  @ApiProperty({ enum: MFA_REQUIREMENTS, description: 'Who must sign in with a second factor: nobody, administrators (role admin), everyone' })
  @IsIn(MFA_REQUIREMENTS)
  mfaRequired!: MfaRequirement;
}

export class MfaRequirementResponse {
  @ApiProperty() tenant!: string;
  @ApiProperty({ enum: MFA_REQUIREMENTS }) mfaRequired!: MfaRequirement;
}

@ApiTags('admin')
@Controller('admin')
export class AdminUserMfaController {
  constructor(private readonly mfa: AdminMfa) {}

  @Put('tenants/:id/mfa-required')
  @ApiOkResponse({ type: MfaRequirementResponse })
  @AdminEndpoint("Require a second factor of a tenant's users or administrators (tenant administrators: their own tenant)")
  setRequirement(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() input: MfaRequirementDto): Promise<MfaRequirementResponse> {
    return this.mfa.setRequirement(principal, id, input.mfaRequired);
  }

  @Delete('users/:id/mfa')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Reset: the user signs in with the password alone, or enrols again when required' })
  @AdminEndpoint("Reset a user's second factor and recovery codes")
  reset(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<void> {
    return this.mfa.reset(principal, query.tenant, id);
  }
}
