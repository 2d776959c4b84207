import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Routed } from '@gatehouse/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayPipeline } from './gateway-pipeline';

/** Everything that is not the gateway's own (health, metrics, docs) goes through the pipeline. */
@ApiExcludeController()
@Controller()
export class ProxyController {
  constructor(private readonly pipeline: GatewayPipeline) {}

  @Routed()
  @All('*')
  proxy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pipeline.handle(request, reply);
  }
}
