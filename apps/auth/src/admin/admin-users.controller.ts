import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { ConsentResponse } from '../authorize/consent.response';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { UserResponse } from './admin.responses';
import type { ConsentView, UserView } from './admin-views';
import { CreateUserDto, TenantQueryDto } from './admin.dto';
import { UsersAdmin } from './users-admin.service';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersAdmin) {}

  @Get()
  @ApiOkResponse({ type: [UserResponse] })
  @AdminEndpoint('List the users of a tenant')
  list(@CurrentPrincipal() principal: Principal, @Query() query: TenantQueryDto): Promise<UserView[]> {
    return this.users.list(principal, query.tenant);
  }

  @Post()
  @ApiCreatedResponse({ type: UserResponse })
  @AdminEndpoint('Create a user in a tenant')
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateUserDto): Promise<UserView> {
    return this.users.create(principal, input);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponse })
  @AdminEndpoint('Disable a user: logins and refreshes fail')
  disable(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<UserView> {
    return this.users.disable(principal, query.tenant, id);
  }

  @Get(':id/consents')
  @ApiOkResponse({ type: [ConsentResponse] })
  @AdminEndpoint("List a user's consents to third-party clients")
  consents(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<ConsentView[]> {
    return this.users.consents(principal, query.tenant, id);
  }

  @Delete(':id/consents/:clientId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @AdminEndpoint("Withdraw a user's consent to a client: it must ask again")
  withdrawConsent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('clientId') clientId: string,
    @Query() query: TenantQueryDto,
  ): Promise<void> {
    return this.users.withdrawConsent(principal, query.tenant, id, clientId);
  }
}
