import cluster from 'node:cluster';
import { Controller, Get, HttpStatus, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisConnection } from '@gatehouse/persistence';
import { Public } from '@gatehouse/security';
import { TransportHealth } from '@gatehouse/transport';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Lifecycle } from './lifecycle';

/** An app-specific readiness check (a JWKS cache, say): true when ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ up: boolean; detail?: string }>;
}

/** The app's own readiness checks; a module adds its check when it is constructed. */
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): readonly ReadinessCheck[] {
    return this.checks;
  }
}

/**
 * Liveness says the process answers; readiness checks what this app cannot serve HTTP without:
 * its database, and any check the app adds. The transport and Redis (where configured) are
 * reported, degraded while they fail, never failing: calls over the transport answer 503 alone,
 * and Redis's counters fall back to memory.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly extra: ReadinessChecks,
    private readonly lifecycle: Lifecycle,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() private readonly transport?: TransportHealth,
    @Optional() private readonly redis?: RedisConnection,
  ) {}

  @Public()
  @Get('live')
  live(): { status: 'ok'; worker?: number } {
    // Which worker process answered, where the app runs several sharing one port (GATEWAY_WORKERS).
    return cluster.worker ? { status: 'ok', worker: cluster.worker.id } : { status: 'ok' };
  }

  /** 200 with every check up, else 503 with the same body naming the failed checks. */
  @Public()
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    if (this.lifecycle.draining) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('cache-control', 'no-store');
      const shutdown = { shutdown: { status: 'down' as const, detail: 'shutting down' } };
      return { status: 'error', info: {}, error: shutdown, details: shutdown };
    }
    try {
      return await this.health.check(this.checks());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('cache-control', 'no-store');
      return error.getResponse() as HealthCheckResult;
    }
  }

  private checks() {
    const checks = [];
    const dataSource = this.dataSource;
    if (dataSource) checks.push(() => this.typeorm.pingCheck('database', { connection: dataSource, timeout: 1000 }));
    const transport = this.transport;
    // HTTP traffic, what a load balancer steers by readiness, never needs the transport: a call
    // over it fails alone (503), so an outage degrades the instance rather than pulling it.
    if (transport) checks.push(() => this.custom('transport', async () => degradedWhenDown(await transport.check())));
    const redis = this.redis;
    // Everything on Redis falls back to the instance's memory, so losing it degrades, not fails.
    if (redis?.configured)
      checks.push(() =>
        this.custom('redis', async () =>
          (await redis.ping()) ? { up: true } : { up: true, detail: 'degraded: unreachable or not answering, counters are per instance' },
        ),
      );
    for (const check of this.extra.all()) checks.push(() => this.custom(check.name, () => check.check()));
    return checks;
  }

  private async custom(name: string, probe: () => Promise<{ up: boolean; detail?: string }>) {
    const indicator = this.indicators.check(name);
    const { up, detail } = await probe();
    return up ? indicator.up(detail ? { detail } : {}) : indicator.down(detail ? { detail } : {});
  }
}

function degradedWhenDown(status: { up: boolean; detail?: string }): { up: true; detail?: string } {
  return status.up ? { up: true } : { up: true, detail: `degraded: ${status.detail ?? 'unreachable'}; calls over it answer 503` };
}
