import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticateStep } from './authenticate.step';
import { AuthorizeRouteStep } from './authorize-route.step';
import { MatchRouteStep } from './match-route.step';
import type { PipelineStep } from './pipeline-step';
import { ResolveTenantStep } from './resolve-tenant.step';
import { runSteps } from './run-steps';
import { StepUpStep } from './step-up.step';
import { ThrottleStep } from './throttle.step';

/**
 * The gateway's pipeline, one visible list: route match begins the exchange, then authentication
 * by the route's mode, tenant resolution and the cross-tenant check (after authentication: the
 * token's claim is a tenant source), rate limits, authorization, then the sign-in's strength and
 * age (step-up); propagation and the proxy follow (Forwarder). A new check is one more step in
 * `steps`, at its place in the order.
 *
 * Steps that finish at once return nothing and the next one runs in the same tick: a request whose
 * token the cache knows crosses the pipeline without a promise until the first step that waits.
 */
@Injectable()
export class GatewayPipeline {
  readonly steps: readonly PipelineStep[];

  constructor(
    private readonly match: MatchRouteStep,
    authenticate: AuthenticateStep,
    resolveTenant: ResolveTenantStep,
    throttle: ThrottleStep,
    authorizeRoute: AuthorizeRouteStep,
    stepUp: StepUpStep,
  ) {
    this.steps = [authenticate, resolveTenant, throttle, authorizeRoute, stepUp];
  }

  /** Runs every step in order; `true` once all passed, a promise of it when one had to wait. */
  run(request: FastifyRequest, reply: FastifyReply): true | Promise<true> {
    return runSteps(this.steps, this.match.begin(request, reply));
  }
}
