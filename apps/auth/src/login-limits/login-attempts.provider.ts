import type { Provider } from '@nestjs/common';
import { ReadinessChecks } from '@gatehouse/app-kit';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { RedisConnection } from '@gatehouse/persistence';
import { FailoverAttemptStore, RedisFailover, reportRedisFallback } from '@gatehouse/throttling';

const DEGRADED = 'degraded: Redis unreachable, login limits count per instance';

/**
 * The login attempt counters: on Redis when set, shared by every instance; in this instance's
 * memory otherwise or while Redis fails, which readiness reports as degraded, never as down.
 */
export const loginAttemptsProvider: Provider = {
  provide: FailoverAttemptStore,
  inject: [RedisConnection, APP_LOGGER, ReadinessChecks, AppMetrics],
  useFactory: (redis: RedisConnection, logger: Logger, readiness: ReadinessChecks, metrics: AppMetrics) => {
    const store = new FailoverAttemptStore(new RedisFailover(redis, logger, 'login attempt counters'));
    reportRedisFallback(metrics.registry, 'login-limits', () => store.degraded);
    if (redis.configured) {
      readiness.add({
        name: 'login-limits',
        // Probing lets the counters go back to Redis as soon as it answers, even with no login.
        check: async () => {
          await store.probe();
          return store.degraded ? { up: true, detail: DEGRADED } : { up: true };
        },
      });
    }
    return store;
  },
};
