import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayPipeline } from './gateway-pipeline';

/** Runs the gateway's pipeline (gateway-pipeline.ts) before the proxy handler. */
@Injectable()
export class PipelineGuard implements CanActivate {
  constructor(private readonly pipeline: GatewayPipeline) {}

  canActivate(context: ExecutionContext): true | Promise<true> {
    const http = context.switchToHttp();
    return this.pipeline.run(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
