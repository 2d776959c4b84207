import { Injectable } from '@nestjs/common';
import { type DeclaredRoute, ErrorFilter } from '@gatehouse/app-kit';
import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { GatewayPipeline } from '../pipeline/gateway-pipeline';
import { Forwarder } from './forwarder';

/**
 * The proxy path: everything that is not the gateway's own (health, metrics, docs, internal JWKS)
 * runs the pipeline (gateway-pipeline.ts: route match, authentication, tenant, rate limits,
 * authorization, step-up), then propagation and the exchange with the upstream (Forwarder). A
 * refusal anywhere is answered by the platform's one error filter.
 *
 * Fastify serves it without Nest's router (`AppDefinition.httpRoutes`): per request, Nest would
 * build an execution context, run two guards and chain promises around a handler that needs none
 * of them, which cost more than the gateway's own checks. Its auth is declared `routed`: each route
 * of the routes file names its mode, and the pipeline enforces it.
 */
@Injectable()
export class ProxyRoute {
  constructor(
    private readonly pipeline: GatewayPipeline,
    private readonly forwarder: Forwarder,
    private readonly errors: ErrorFilter,
  ) {}

  declaration(methods: readonly HTTPMethods[]): DeclaredRoute {
    return { method: [...methods], url: '/*', auth: { kind: 'routed' }, handler: this.handle };
  }

  // Answers by itself and returns nothing, so Fastify never sends on its behalf.
  private readonly handle = (request: FastifyRequest, reply: FastifyReply): void => {
    let passed: true | Promise<true>;
    try {
      passed = this.pipeline.run(request, reply);
    } catch (error) {
      this.refuse(error, request, reply);
      return;
    }
    if (passed === true) this.forward(request, reply);
    else
      passed.then(
        () => this.forward(request, reply),
        (error: unknown) => this.refuse(error, request, reply),
      );
  };

  private forward(request: FastifyRequest, reply: FastifyReply): void {
    this.forwarder.forward(request, reply).catch((error: unknown) => this.refuse(error, request, reply));
  }

  // Once the answer has begun, the connection is all that can say it failed.
  private refuse(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.raw.headersSent) reply.raw.destroy();
    else this.errors.answer(error, request, reply);
  }
}
