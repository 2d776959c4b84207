import { Gauge, type Registry } from 'prom-client';

/**
 * `gatehouse_redis_fallback{counters}`: 1 while the app's counters count in this instance's memory
 * because Redis fails, else 0 (Redis answers, or none is configured). Read at each scrape, so it
 * costs nothing on the request path; an alert on it says limits are per instance for now. One set
 * of counters per app (the gateway's rate limits, auth's login limits).
 */
export function reportRedisFallback(registry: Registry, counters: string, degraded: () => boolean): void {
  new Gauge({
    name: 'gatehouse_redis_fallback',
    help: "1 while the app's counters count in this instance's memory because Redis fails",
    labelNames: ['counters'],
    registers: [registry],
    collect() {
      this.labels(counters).set(degraded() ? 1 : 0);
    },
  });
}
