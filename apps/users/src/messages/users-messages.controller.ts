import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { type PingReply, USERS_PATTERN } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import { PingService } from './ping.service';

@Controller()
export class UsersMessagesController {
  constructor(private readonly ping: PingService) {}

  /** Liveness over the transport; answers nothing a caller could not learn from `/health/live`. */
  @Public()
  @MessagePattern(USERS_PATTERN.ping)
  answerPing(): PingReply {
    return this.ping.reply();
  }
}
