import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { AUTH_EVENT, type UserRegistered, USERS_SCOPE } from '@gatehouse/contracts';
import { APP_LOGGER, currentRequestContext, type Logger } from '@gatehouse/observability';
import { emitEvent, messageClientToken } from '@gatehouse/transport';
import { AuthSettings } from '../auth.settings';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';

/**
 * Tells the services about accounts: `user.registered` over the transport,
 * carrying a service token auth signs for itself (`client:auth`, `aud` users, scope
 * `users:provision`), bound to the account's tenant so that it provisions in that tenant only.
 * In the background: a registration never waits for, nor fails with, the event; users creates a
 * missing profile on the first request anyway.
 */
@Injectable()
export class UserEvents {
  constructor(
    @Inject(messageClientToken('users')) private readonly users: ClientProxy,
    private readonly issuer: AccessTokenIssuer,
    private readonly settings: AuthSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  registered(event: UserRegistered): void {
    void this.publish(event).catch((error: unknown) => this.logger.warn({ err: error, accountId: event.accountId }, 'user.registered not delivered'));
  }

  private async publish(event: UserRegistered): Promise<void> {
    const { token } = await this.issuer.issue({
      subject: 'client:auth',
      clientId: 'auth',
      audience: 'users',
      scope: USERS_SCOPE.provision,
      tenantId: event.tenantId,
      roles: [],
    });
    const meta = { authorization: `Bearer ${token}`, requestId: currentRequestContext()?.requestId };
    await emitEvent(this.users, AUTH_EVENT.userRegistered, event, this.settings.RPC_TIMEOUT_MS, meta);
  }
}
