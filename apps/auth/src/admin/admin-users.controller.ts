import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { AdminEndpoint } from './admin-endpoint.decorator';
import type { ConsentView, UserView } from './admin-views';
import { CreateUserDto, TenantQueryDto } from './admin.dto';
import { UsersAdmin } from './users-admin.service';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersAdmin) {}

  @Get()
  @AdminEndpoint('List the users of a tenant')
  list(@CurrentPrincipal() principal: Principal, @Query() query: TenantQueryDto): Promise<UserView[]> {
    return this.users.list(principal, query.tenant);
  }

  @Post()
  @AdminEndpoint('Create a user in a tenant')
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateUserDto): Promise<UserView> {
    return this.users.create(principal, input);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @AdminEndpoint('Disable a user: logins and refreshes fail')
  disable(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<UserView> {
    return this.users.disable(principal, query.tenant, id);
  }

  @Get(':id/consents')
  @AdminEndpoint("List a user's consents to third-party clients")
  consents(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<ConsentView[]> {
    return this.users.consents(principal, query.tenant, id);
  }

  @Delete(':id/consents/:clientId')
  @HttpCode(204)
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
