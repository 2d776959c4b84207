import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import { type ProfileView, ProfilesService } from './profiles.service';

@ApiTags('users')
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Authenticated()
  @Get('me')
  @ApiOkResponse({ description: 'The caller\'s profile: id is the token\'s sub' })
  me(@CurrentPrincipal() principal: Principal): Promise<ProfileView> {
    return this.profiles.me(principal);
  }
}
