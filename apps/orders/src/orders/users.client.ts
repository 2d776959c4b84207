import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { CommonSettings } from '@gatehouse/config';
import { type PingReply, type ProfileBatch, type ProfileSummary, USERS_PATTERN } from '@gatehouse/contracts';
import { currentRequestContext } from '@gatehouse/observability';
import { type ServiceClient, serviceClientToken } from '@gatehouse/security';
import { messageClientToken, rpcCall } from '@gatehouse/transport';

/** The users service as orders sees it: typed calls over the transport, failures as domain errors. */
@Injectable()
export class UsersClient {
  constructor(
    @Inject(messageClientToken('users')) private readonly client: ClientProxy,
    @Inject(serviceClientToken('users')) private readonly service: ServiceClient,
    private readonly settings: CommonSettings,
  ) {}

  ping(): Promise<PingReply> {
    const requestId = currentRequestContext()?.requestId;
    return rpcCall<PingReply>(this.client, USERS_PATTERN.ping, { requestId }, this.settings.RPC_TIMEOUT_MS);
  }

  profile(tenantId: string, id: string): Promise<ProfileSummary> {
    return this.service.send<ProfileSummary>(USERS_PATTERN.get, { tenantId, id });
  }

  /** At most 100 ids per call (the users contract); unknown ids are left out of the answer. */
  profiles(tenantId: string, ids: readonly string[]): Promise<ProfileBatch> {
    return this.service.send<ProfileBatch>(USERS_PATTERN.getMany, { tenantId, ids });
  }
}
