import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { AUTH_EVENT, type PingReply, type UserRegistered, USERS_PATTERN, USERS_SCOPE } from '@gatehouse/contracts';
import { APP_LOGGER, currentRequestContext, type Logger } from '@gatehouse/observability';
import { emitEvent, messageClientToken, rpcCall } from '@gatehouse/transport';
import { AuthSettings } from '../auth.settings';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';

// How long accounts declared at start wait for the users service to answer: it may start after auth.
const USERS_WAIT_MS = 120_000;
const USERS_POLL_MS = 1_000;

/**
 * Tells the services about accounts: `user.registered` over the transport,
 * carrying a service token auth signs for itself (`client:auth`, `aud` users, scope
 * `users:provision`), bound to the account's tenant so that it provisions in that tenant only.
 * In the background: a registration never waits for, nor fails with, the event; users creates a
 * missing profile on the first request anyway.
 */
@Injectable()
export class UserEvents implements OnApplicationShutdown {
  private stopped = false;

  constructor(
    @Inject(messageClientToken('users')) private readonly users: ClientProxy,
    private readonly issuer: AccessTokenIssuer,
    private readonly settings: AuthSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  registered(event: UserRegistered): void {
    void this.publish(event).catch((error: unknown) => this.logger.warn({ err: error, accountId: event.accountId }, 'user.registered not delivered'));
  }

  /**
   * The accounts the bootstrap file declares, told once the users service answers a ping: in the
   * platform and in most deployments users starts after auth, and an event sent before it listens
   * is lost (TCP refuses it, NATS has no subscriber yet). Users keeps the first profile it makes,
   * so telling again at every start changes nothing and repairs a profile an earlier start missed.
   */
  declared(events: readonly UserRegistered[]): void {
    if (events.length === 0) return;
    void this.whenUsersAnswer().then(
      async (answered) => {
        if (!answered) {
          if (this.stopped) return;
          this.logger.warn({ accounts: events.length }, 'users did not answer: declared accounts get their profiles on their first request');
          return;
        }
        for (const event of events)
          await this.publish(event).catch((error: unknown) => this.logger.warn({ err: error, accountId: event.accountId }, 'user.registered not delivered'));
      },
      () => undefined,
    );
  }

  private async whenUsersAnswer(): Promise<boolean> {
    const deadline = Date.now() + USERS_WAIT_MS;
    while (Date.now() < deadline && !this.stopped) {
      const answered = await rpcCall<PingReply>(this.users, USERS_PATTERN.ping, {}, this.settings.RPC_TIMEOUT_MS).then(
        () => true,
        () => false,
      );
      if (answered) return !this.stopped;
      await new Promise((resolve) => setTimeout(resolve, USERS_POLL_MS).unref());
    }
    return false;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
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
