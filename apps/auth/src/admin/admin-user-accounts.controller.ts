import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { UserResponse } from './admin.responses';
import type { UserView } from './admin-views';
import { TenantQueryDto } from './admin.dto';
import { UpdateUserDto } from './admin-user-accounts.dto';
import { UserAccountsAdmin } from './user-accounts-admin.service';

/** A user's profile, roles and enabling (creating, listing and disabling: AdminUsersController). */
@ApiTags('admin')
@Controller('admin/users')
export class AdminUserAccountsController {
  constructor(private readonly users: UserAccountsAdmin) {}

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no such user in the tenant' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: the email is taken' })
  @AdminEndpoint("Update a user's email or roles (removing a role revokes the access tokens issued with it)")
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: TenantQueryDto,
    @Body() input: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(principal, query.tenant, id, input);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no such user in the tenant' })
  @AdminEndpoint('Enable a disabled user: logins work again')
  enable(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<UserView> {
    return this.users.enable(principal, query.tenant, id);
  }
}
