import { All, Controller, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Routed } from '@gatehouse/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PipelineGuard } from '../pipeline/pipeline.guard';
import { Forwarder } from './forwarder';

/**
 * Everything that is not the gateway's own (health, metrics, docs, internal JWKS) goes through
 * the gateway's pipeline (pipeline/gateway-pipeline.ts: route match, authentication, tenant,
 * rate limits, authorization), then propagation and the proxy.
 */
@ApiExcludeController()
@Controller()
export class ProxyController {
  constructor(private readonly forwarder: Forwarder) {}

  @Routed()
  @UseGuards(PipelineGuard)
  @All('*')
  proxy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forwarder.forward(request, reply);
  }
}
