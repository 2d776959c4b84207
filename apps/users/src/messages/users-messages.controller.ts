import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { AUTH_EVENT, type PingReply, type ProfileBatch, type ProfileSummary, USERS_PATTERN, USERS_SCOPE } from '@gatehouse/contracts';
import { Public, ServiceScopes } from '@gatehouse/security';
import { ProfilesService } from '../profiles/profiles.service';
import { ProfileBatchLookupDto, ProfileLookupDto, UserRegisteredDto } from './profile-lookup.dto';
import { PingService } from './ping.service';

@Controller()
export class UsersMessagesController {
  constructor(
    private readonly ping: PingService,
    private readonly profiles: ProfilesService,
  ) {}

  /** Liveness over the transport; answers nothing a caller could not learn from `/health/live`. */
  @Public()
  @MessagePattern(USERS_PATTERN.ping)
  answerPing(): PingReply {
    return this.ping.reply();
  }

  @ServiceScopes(USERS_SCOPE.read)
  @MessagePattern(USERS_PATTERN.get)
  get(@Payload() lookup: ProfileLookupDto): Promise<ProfileSummary> {
    return this.profiles.summary(lookup);
  }

  @ServiceScopes(USERS_SCOPE.read)
  @MessagePattern(USERS_PATTERN.getMany)
  getMany(@Payload() lookup: ProfileBatchLookupDto): Promise<ProfileBatch> {
    return this.profiles.summaries(lookup);
  }

  @ServiceScopes(USERS_SCOPE.provision)
  @EventPattern(AUTH_EVENT.userRegistered)
  registered(@Payload() event: UserRegisteredDto): Promise<void> {
    return this.profiles.registered(event);
  }
}
