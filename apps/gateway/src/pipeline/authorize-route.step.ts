import { Injectable } from '@nestjs/common';
import { authorize } from '@gatehouse/security';
import type { Exchange } from '../exchange';
import type { PipelineStep } from './pipeline-step';

/** Pipeline step 8: the route's scopes (all of them) and roles (any one), for authenticated routes. */
@Injectable()
export class AuthorizeRouteStep implements PipelineStep {
  readonly name = 'authorize-route';

  run({ route, principal }: Exchange): void {
    if (principal) authorize(principal, route);
  }
}
