import { Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import { AuditPublisher } from '@gatehouse/transport';
import { reportRefusal } from '../audit/report-refusal';
import type { Exchange } from '../exchange';
import type { PipelineStep } from './pipeline-step';

/**
 * Pipeline step 8: the route's scopes (all of them) and roles (any one), for authenticated routes;
 * a refusal is `access.refused` in the audit trail.
 */
@Injectable()
export class AuthorizeRouteStep implements PipelineStep {
  readonly name = 'authorize-route';

  constructor(private readonly audit: AuditPublisher) {}

  run({ route, principal, request, context }: Exchange): void {
    if (!principal) return;
    try {
      authorize(principal, route);
    } catch (error) {
      reportRefusal(this.audit, error, principal, route.prefix, request.ip, context);
      throw error;
    }
  }
}
