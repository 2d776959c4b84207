import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { PasswordResetForced } from '../mail-links/mail-links.responses';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { TenantQueryDto } from './admin.dto';
import { UserPasswordAdmin } from './user-password-admin.service';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUserPasswordController {
  constructor(private readonly passwords: UserPasswordAdmin) {}

  @Post(':id/password-reset')
  @HttpCode(200)
  @ApiOkResponse({ type: PasswordResetForced })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: the account is disabled' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponse,
    description: 'service_unavailable: the mail was not sent (sign-ins are ended already), with Retry-After',
  })
  @AdminEndpoint('Force a password reset: the password stops working, every sign-in ends, a reset link is mailed')
  forceReset(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: TenantQueryDto,
  ): Promise<PasswordResetForced> {
    return this.passwords.forceReset(principal, query.tenant, id);
  }
}
