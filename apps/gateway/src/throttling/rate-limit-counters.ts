import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessChecks } from '@gatehouse/app-kit';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { Counter } from 'prom-client';
import { RedisConnection } from '@gatehouse/persistence';
import { FailoverThrottlerStorage, RedisFailover, reportRedisFallback } from '@gatehouse/throttling';
import type { Bucket } from './rate-limits';

type ThrottlerRecord = Awaited<ReturnType<FailoverThrottlerStorage['increment']>>;

/** Where a bucket stands after this request's hit. */
export interface BucketState {
  bucket: Bucket;
  remaining: number;
  /** Seconds until the bucket lets requests through again (blocked) or its window ends. */
  resetSeconds: number;
  exceeded: boolean;
}

/**
 * The rate-limit counters: in Redis when `REDIS_URL` is set, shared by every gateway instance; in
 * this instance's memory otherwise, and while Redis fails (readiness then says `degraded`).
 */
@Injectable()
export class RateLimitCounters implements OnApplicationShutdown {
  private readonly failover: RedisFailover;
  private readonly storage: FailoverThrottlerStorage;
  private readonly refused: Counter<'bucket'>;

  constructor(redis: RedisConnection, readiness: ReadinessChecks, metrics: AppMetrics, @Inject(APP_LOGGER) logger: Logger) {
    this.failover = new RedisFailover(redis, logger, 'rate-limit counters');
    this.storage = new FailoverThrottlerStorage(this.failover);
    reportRedisFallback(metrics.registry, 'rate-limits', () => this.failover.degraded);
    this.refused = new Counter({
      name: 'gatehouse_rate_limited_total',
      help: 'Requests refused by a rate limit, by bucket',
      labelNames: ['bucket'],
      registers: [metrics.registry],
    });
    if (redis.configured) {
      readiness.add({
        name: 'rate-limits',
        check: () => Promise.resolve(this.failover.degraded ? { up: true, detail: 'degraded: counters are per instance until Redis is back' } : { up: true }),
      });
    }
  }

  /** Counts one hit against each bucket, all at once; without a promise while counting in memory. */
  hit(buckets: readonly Bucket[]): BucketState[] | Promise<BucketState[]> {
    const records = buckets.map((bucket) => this.storage.incrementNow(bucket.key, bucket.windowMs, bucket.limit, bucket.windowMs, bucket.name));
    for (const record of records) {
      if (record instanceof Promise)
        return Promise.all(records.map((each) => Promise.resolve(each))).then((settled) => settled.map((done, i) => this.state(buckets[i], done)));
    }
    return records.map((record, i) => this.state(buckets[i], record as ThrottlerRecord));
  }

  private state(bucket: Bucket, record: ThrottlerRecord): BucketState {
    // Past the limit, a key stays blocked for one window (the Redis storage's own semantics).
    const exceeded = record.isBlocked;
    if (exceeded) this.refused.inc({ bucket: bucket.name });
    return {
      bucket,
      remaining: Math.max(0, bucket.limit - record.totalHits),
      resetSeconds: exceeded ? Math.max(1, record.timeToBlockExpire) : Math.max(0, record.timeToExpire),
      exceeded,
    };
  }

  onApplicationShutdown(): void {
    this.storage.close();
  }
}
