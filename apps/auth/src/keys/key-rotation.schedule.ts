import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { KeyStore } from './key-store.service';

/**
 * KEY_ROTATION_INTERVAL > 0: checks at least once a minute whether a rotation is due. The timer
 * never keeps the process alive and stops with the app; a failed attempt leaves the current key
 * signing and is retried on the next beat.
 */
@Injectable()
export class KeyRotationSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly settings: AuthSettings,
    private readonly keys: KeyStore,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly audit: AuditTrail,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.settings.KEY_ROTATION_INTERVAL;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.tick(), Math.min(every, 60) * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    try {
      const rotation = await this.keys.rotateIfDue();
      if (!rotation) return;
      this.logger.info({ kid: rotation.kid, activatesAt: rotation.activatesAt }, 'signing key rotated automatically');
      await this.audit.record({ type: 'key.rotated', outcome: 'success', actor: 'schedule', details: { kid: rotation.kid } });
    } catch (error) {
      this.logger.error({ err: error }, 'automatic signing key rotation failed; the current key keeps signing');
    }
  }
}
