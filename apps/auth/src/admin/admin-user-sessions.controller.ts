import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { CurrentPrincipal } from '@gatehouse/security';
import { SessionViewResponse } from '../sessions/account-sessions.responses';
import type { SessionView } from '../sessions/account-sessions.service';
import { SessionIdPipe } from '../sessions/session-id.pipe';
import { AdminEndpoint } from './admin-endpoint.decorator';
import { TenantQueryDto } from './admin.dto';
import { UserAccountsAdmin } from './user-accounts-admin.service';

/** A user's sessions, as their administrator sees and ends them. */
@ApiTags('admin')
@Controller('admin/users/:id/sessions')
export class AdminUserSessionsController {
  constructor(private readonly users: UserAccountsAdmin) {}

  @Get()
  @ApiOkResponse({ type: [SessionViewResponse] })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no such user in the tenant' })
  @AdminEndpoint("List a user's live sessions")
  list(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<SessionView[]> {
    return this.users.listSessions(principal, query.tenant, id);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every session, refresh token and access token of the user ended' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no such user in the tenant' })
  @AdminEndpoint('End every session of a user, with their refresh and access tokens')
  endAll(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TenantQueryDto): Promise<void> {
    return this.users.endSessions(principal, query.tenant, id);
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ended, with its refresh tokens' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no such user in the tenant, or no live session of theirs with this id' })
  @AdminEndpoint('End one session of a user')
  end(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('sid', SessionIdPipe) sid: string,
    @Query() query: TenantQueryDto,
  ): Promise<void> {
    return this.users.endSession(principal, query.tenant, id, sid);
  }
}
