import { Injectable } from '@nestjs/common';
import { ReadinessChecks } from '@gatehouse/app-kit';
import { AppMetrics } from '@gatehouse/observability';
import { Gauge } from 'prom-client';
import { GatewaySettings } from '../gateway.settings';
import { RevocationFeed } from './revocation-feed';

/**
 * How far behind auth's revocation feed this gateway is, in `/health/ready` (check `revocations`)
 * and `/metrics` (`gatehouse_revocation_*`). Lagging past `REVOCATION_MAX_LAG` degrades readiness
 * under the `serve` policy and fails it under `refuse`.
 */
@Injectable()
export class RevocationHealth {
  constructor(
    private readonly feed: RevocationFeed,
    private readonly settings: GatewaySettings,
    readiness: ReadinessChecks,
    metrics: AppMetrics,
  ) {
    readiness.add({ name: 'revocations', check: () => Promise.resolve(this.readiness()) });
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({
        name,
        help,
        registers: [metrics.registry],
        collect() {
          this.set(value());
        },
      });
    gauge('gatehouse_revocation_sequence', 'Last revocation event sequence applied', () => feed.sequence);
    gauge('gatehouse_revocation_lag_seconds', 'Seconds since the revocation feed was last read in full (-1 before the first read)', () => {
      const lag = feed.lagSeconds();
      return Number.isFinite(lag) ? lag : -1;
    });
    gauge('gatehouse_revocation_entries', 'Entries in the revocation list (revoked tokens, sessions, watermarks)', () => feed.list.size);
    gauge('gatehouse_revocation_lagging', `1 while the feed has not been read for more than REVOCATION_MAX_LAG`, () => Number(feed.enabled && feed.lagging()));
  }

  private readiness(): { up: boolean; detail?: string } {
    if (!this.feed.enabled) return { up: true, detail: 'degraded: no revocation feed (GATEWAY_CLIENT_SECRET unset)' };
    const lag = this.feed.lagSeconds();
    const state = `sequence ${this.feed.sequence}, read ${Number.isFinite(lag) ? `${lag.toFixed(1)} s ago` : 'never'}`;
    if (!this.feed.lagging()) return { up: true, detail: state };
    if (this.settings.REVOCATION_LAG_POLICY === 'refuse') return { up: false, detail: `lagging: ${state}; authenticated requests answer 503` };
    return { up: true, detail: `degraded: lagging, ${state}; revoked tokens may be accepted` };
  }
}
