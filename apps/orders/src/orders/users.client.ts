import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { CommonSettings } from '@gatehouse/config';
import { type PingReply, USERS_PATTERN } from '@gatehouse/contracts';
import { currentRequestContext } from '@gatehouse/observability';
import { messageClientToken, rpcCall } from '@gatehouse/transport';

/** The users service as orders sees it: typed calls over the transport, failures as domain errors. */
@Injectable()
export class UsersClient {
  constructor(
    @Inject(messageClientToken('users')) private readonly client: ClientProxy,
    private readonly settings: CommonSettings,
  ) {}

  ping(): Promise<PingReply> {
    const requestId = currentRequestContext()?.requestId;
    return rpcCall<PingReply>(this.client, USERS_PATTERN.ping, { requestId }, this.settings.RPC_TIMEOUT_MS);
  }
}
