import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import { ListProfilesQuery, UpdateProfileDto } from './profile.dto';
import { ProfilePageResponse, ProfileResponse } from './profile.response';
import { type ProfilePage, type ProfileView, ProfilesService } from './profiles.service';

@ApiTags('users')
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Authenticated({ tenant: true })
  @Get('me')
  @ApiOperation({ summary: "The caller's profile" })
  @ApiOkResponse({ type: ProfileResponse, description: "id is the token's sub" })
  me(@CurrentPrincipal() principal: Principal): Promise<ProfileView> {
    return this.profiles.me(principal);
  }

  @Authenticated({ tenant: true })
  @Patch('me')
  @ApiOperation({ summary: "Change the caller's profile" })
  @ApiOkResponse({ type: ProfileResponse, description: "The caller's profile, changed" })
  updateMe(@CurrentPrincipal() principal: Principal, @Body() changes: UpdateProfileDto): Promise<ProfileView> {
    return this.profiles.updateMe(principal, changes);
  }

  @Authenticated({ roles: ['admin'], tenant: true })
  @Get()
  @ApiOperation({ summary: "The profiles of the caller's tenant, a page at a time (tenant administrators)" })
  @ApiOkResponse({ type: ProfilePageResponse })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListProfilesQuery): Promise<ProfilePage> {
    return this.profiles.list(principal, query);
  }

  @Authenticated({ roles: ['admin'], tenant: true })
  @Get(':id')
  @ApiOperation({ summary: "A profile of the caller's tenant (tenant administrators)" })
  @ApiOkResponse({ type: ProfileResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "not_found: no such profile in the caller's tenant" })
  byId(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProfileView> {
    return this.profiles.byId(principal, id);
  }
}
