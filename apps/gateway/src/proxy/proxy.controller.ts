import { All, Controller, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Routed } from '@gatehouse/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticateGuard } from '../pipeline/authenticate.guard';
import { AuthorizeRouteGuard } from '../pipeline/authorize-route.guard';
import { MatchRouteGuard } from '../pipeline/match-route.guard';
import { ResolveTenantGuard } from '../pipeline/resolve-tenant.guard';
import { ThrottleGuard } from '../pipeline/throttle.guard';
import { Forwarder } from './forwarder';

/**
 * Everything that is not the gateway's own (health, metrics, docs, internal JWKS) goes through
 * the gateway's pipeline, in this order: request id (a Fastify hook), route match,
 * authentication by the route's mode, tenant resolution and the cross-tenant check (after
 * authentication: the token's claim is a tenant source), rate limits, authorization, then
 * propagation and the proxy.
 */
@ApiExcludeController()
@Controller()
export class ProxyController {
  constructor(private readonly forwarder: Forwarder) {}

  @Routed()
  @UseGuards(MatchRouteGuard, AuthenticateGuard, ResolveTenantGuard, ThrottleGuard, AuthorizeRouteGuard)
  @All('*')
  proxy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forwarder.forward(request, reply);
  }
}
