import { Injectable } from '@nestjs/common';
import { checkAuthStrength } from '../authn/check-auth-strength';
import type { Exchange } from '../exchange';
import type { PipelineStep } from './pipeline-step';

/**
 * Pipeline step 8b, after the route's scopes and roles (a credential no sign-in could help is
 * refused for good before anyone is asked to sign in again): the sign-in's strength and age on
 * routes that ask for them. A session too weak or too old is a step-up challenge (RFC 9470), not a
 * refusal: nothing is audited.
 */
@Injectable()
export class StepUpStep implements PipelineStep {
  readonly name = 'step-up';

  run({ route, principal }: Exchange): void {
    if (!principal || (route.requireAcr.length === 0 && route.maxAuthAge === undefined)) return;
    checkAuthStrength(principal, route, Math.floor(Date.now() / 1000));
  }
}
