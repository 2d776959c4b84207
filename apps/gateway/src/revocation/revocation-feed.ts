import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainError, type Principal, REVOCATION_TOPIC } from '@gatehouse/contracts';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { RedisConnection } from '@gatehouse/persistence';
import { Broadcast } from '@gatehouse/transport';
import { AuthAppClient } from '../authn/auth-app-client';
import { GatewaySettings } from '../gateway.settings';
import { RevocationList } from './revocation-list';
import { revocationNoticeOf, revocationPageOf } from './revocation-wire';

const REVOKED = { 'www-authenticate': 'Bearer realm="gatehouse", error="invalid_token"' };
const LAGGING = { 'retry-after': '5' };

/**
 * Follows auth's revocation feed into the in-memory list. Read in full at start (before the
 * gateway listens), then every `REVOCATION_POLL_INTERVAL`; pushed events apply at once, and one
 * whose sequence skips past the last applied means a push was lost: the feed is read again from
 * there. Reads never overlap: a reason to read during a read runs one more after it.
 */
@Injectable()
export class RevocationFeed implements OnModuleInit, OnApplicationShutdown {
  readonly list: RevocationList;
  private cursor = 0;
  private readAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly client: AuthAppClient | undefined;
  private readonly broadcast: Broadcast;
  private readonly appliedListeners: ((list: RevocationList) => void)[] = [];

  constructor(
    private readonly settings: GatewaySettings,
    redis: RedisConnection,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.list = new RevocationList(settings.JWT_CLOCK_LEEWAY);
    this.client = settings.GATEWAY_CLIENT_SECRET ? new AuthAppClient(settings) : undefined;
    this.broadcast = new Broadcast(settings, redis, 'gateway-revocations');
  }

  async onModuleInit(): Promise<void> {
    if (!this.client) {
      this.logger.warn('GATEWAY_CLIENT_SECRET unset: no revocation feed, revoked tokens stay valid at this gateway until they expire');
      return;
    }
    this.broadcast.subscribe(REVOCATION_TOPIC, (message) => this.onNotice(message));
    await this.read();
    this.timer = setInterval(() => {
      this.list.prune(Math.floor(Date.now() / 1000));
      void this.read();
    }, this.settings.REVOCATION_POLL_INTERVAL * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.broadcast.close();
  }

  /** The request path: refuses a revoked credential, and any while lagging under the `refuse` policy. */
  check(principal: Principal): void {
    const kind = this.list.revoking(principal);
    if (kind) throw new DomainError('invalid_token', `credential revoked (${kind})`, REVOKED);
    if (this.settings.REVOCATION_LAG_POLICY === 'refuse' && this.lagging()) {
      throw new DomainError('auth_unavailable', `revocation feed not read for ${this.lagSeconds()} s`, LAGGING);
    }
  }

  /** Calls `listener` with the list each time events were applied, so caches can drop what they now cover. */
  onApplied(listener: (list: RevocationList) => void): void {
    this.appliedListeners.push(listener);
  }

  private applied(): void {
    for (const listener of this.appliedListeners) listener(this.list);
  }

  /** The last sequence applied. */
  get sequence(): number {
    return this.cursor;
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** Seconds since the feed was last read in full (infinite before the first read). */
  lagSeconds(): number {
    return (Date.now() - this.readAt) / 1000;
  }

  lagging(): boolean {
    return this.lagSeconds() > this.settings.REVOCATION_MAX_LAG;
  }

  private onNotice(message: string): void {
    const event = revocationNoticeOf(message, this.settings.AUTH_ISSUER);
    if (!event) return;
    // Applying early only ever refuses more; the cursor moves only along an unbroken sequence.
    this.list.apply(event);
    this.applied();
    if (event.seq === this.cursor + 1) this.cursor = event.seq;
    else if (event.seq > this.cursor) void this.read();
  }

  /** Reads the feed after the cursor, single flight. */
  private read(): Promise<void> {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = this.readPages().finally(() => {
      this.inflight = undefined;
      if (!this.again) return;
      this.again = false;
      void this.read();
    });
    return this.inflight;
  }

  private async readPages(): Promise<void> {
    try {
      for (let more = true; more;) {
        const page = revocationPageOf(await this.client!.get(`/internal/revocations?after=${this.cursor}`));
        for (const event of page.events) this.list.apply(event);
        if (page.events.length > 0) this.applied();
        // Below the cursor when auth's feed started afresh: following it from there re-reads nothing lost.
        this.cursor = page.last;
        more = page.more;
      }
      this.readAt = Date.now();
      if (this.failing) this.logger.info({ seq: this.cursor }, 'revocation feed read again');
      this.failing = false;
    } catch (error) {
      // Once per outage: a poll every second would otherwise log every second.
      if (!this.failing) this.logger.warn({ err: error, seq: this.cursor }, 'revocation feed unreadable; revocations arrive by push only');
      this.failing = true;
    }
  }
}
