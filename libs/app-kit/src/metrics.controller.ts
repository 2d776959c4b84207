import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppMetrics } from '@gatehouse/observability';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';

/** Prometheus text exposition of this app's own registry. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AppMetrics) {}

  @Public()
  @Get()
  @Header('cache-control', 'no-store')
  async render(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.render());
  }
}
