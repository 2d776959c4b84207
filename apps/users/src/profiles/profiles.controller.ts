import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import { ListProfilesQuery, UpdateProfileDto } from './profile.dto';
import { type ProfilePage, type ProfileView, ProfilesService } from './profiles.service';

@ApiTags('users')
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Authenticated({ tenant: true })
  @Get('me')
  @ApiOkResponse({ description: "The caller's profile: id is the token's sub" })
  me(@CurrentPrincipal() principal: Principal): Promise<ProfileView> {
    return this.profiles.me(principal);
  }

  @Authenticated({ tenant: true })
  @Patch('me')
  @ApiOkResponse({ description: "The caller's profile, changed" })
  updateMe(@CurrentPrincipal() principal: Principal, @Body() changes: UpdateProfileDto): Promise<ProfileView> {
    return this.profiles.updateMe(principal, changes);
  }

  @Authenticated({ roles: ['admin'], tenant: true })
  @Get()
  @ApiOkResponse({ description: "The profiles of the caller's tenant" })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListProfilesQuery): Promise<ProfilePage> {
    return this.profiles.list(principal, query);
  }

  @Authenticated({ roles: ['admin'], tenant: true })
  @Get(':id')
  @ApiOkResponse({ description: "A profile of the caller's tenant; another tenant's id is 404" })
  byId(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProfileView> {
    return this.profiles.byId(principal, id);
  }
}
