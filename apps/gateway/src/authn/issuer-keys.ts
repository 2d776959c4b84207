import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessChecks } from '@gatehouse/app-kit';
import { type JwksKey, JwksRegistry } from '@gatehouse/jwks';
import { AppMetrics } from '@gatehouse/observability';
import { Gauge } from 'prom-client';
import { GatewaySettings } from '../gateway.settings';

/**
 * The keys of the issuers the gateway trusts (today the auth app, at `AUTH_INTERNAL_URL`), through
 * the JWKS cache. Fetched at start so the first requests find them; its
 * state is in `/health/ready` (down with no usable keys, up with a note while stale) and in the
 * `gatehouse_jwks_*` metrics.
 */
@Injectable()
export class IssuerKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly registry: JwksRegistry;

  constructor(settings: GatewaySettings, readiness: ReadinessChecks, metrics: AppMetrics) {
    const authUrl = settings.upstream('AUTH_INTERNAL_URL').replace(/\/$/, '');
    this.registry = new JwksRegistry([
      {
        issuer: settings.AUTH_ISSUER,
        jwksUri: `${authUrl}/.well-known/jwks.json`,
        allowedAlgs: settings.jwtAlgorithms,
        ttlMs: settings.JWKS_TTL * 1000,
        maxStaleMs: settings.JWKS_MAX_STALE * 1000,
      },
    ]);
    readiness.add({ name: 'jwks', check: () => Promise.resolve(this.readiness()) });
    this.registerMetrics(metrics);
  }

  /** Synchronous hot path: the key if a usable set holds it. */
  peek(issuer: string, kid: string): JwksKey | undefined {
    return this.registry.peek(issuer, kid);
  }

  /** The key of `kid`, only from `issuer`'s own set; an issuer not trusted is `invalid_claims`. */
  keyFor(issuer: unknown, kid: string): Promise<JwksKey> {
    return this.registry.keyFor(issuer, kid);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.refreshAll();
  }

  onApplicationShutdown(): void {
    this.registry.close();
  }

  private readiness(): { up: boolean; detail?: string } {
    const statuses = this.registry.status();
    const failing = statuses.filter((status) => !status.usable).map((status) => `${status.issuer}: no usable keys (${status.lastError ?? 'not fetched'})`);
    if (failing.length > 0) return { up: false, detail: failing.join('; ') };
    const stale = statuses.filter((status) => status.stale).map((status) => `${status.issuer}: stale keys served (${status.lastError ?? ''})`);
    return stale.length > 0 ? { up: true, detail: stale.join('; ') } : { up: true };
  }

  private registerMetrics(metrics: AppMetrics): void {
    const registry = this.registry;
    const gauge = (name: string, help: string, value: (status: ReturnType<JwksRegistry['status']>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['issuer'],
        registers: [metrics.registry],
        collect() {
          for (const status of registry.status()) this.set({ issuer: status.issuer }, value(status));
        },
      });
    gauge('gatehouse_jwks_keys', 'Verification keys served per issuer (0 when none is usable)', (status) => status.keys);
    gauge('gatehouse_jwks_stale', '1 while refreshes fail and the last good key set is served', (status) => Number(status.stale));
    gauge('gatehouse_jwks_usable', "1 when requests can be verified with this issuer's keys", (status) => Number(status.usable));
    gauge('gatehouse_jwks_age_seconds', 'Seconds since the last successful key set fetch', (status) =>
      status.lastSuccessAt === undefined ? -1 : (Date.now() - status.lastSuccessAt) / 1000,
    );
    gauge('gatehouse_jwks_fetch_failures', 'Failed key set fetches since start', (status) => status.failures);
  }
}
