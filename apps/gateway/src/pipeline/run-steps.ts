import type { Exchange } from '../exchange';
import type { PipelineStep } from './pipeline-step';

/**
 * Runs `steps` in order from `first`: `true` once all passed, in the same tick when none waited,
 * else a promise of it; the first step that throws (or rejects) ends the run with its error.
 */
export function runSteps(steps: readonly PipelineStep[], exchange: Exchange, first = 0): true | Promise<true> {
  for (let index = first; index < steps.length; index++) {
    const waiting = steps[index].run(exchange);
    if (waiting) return waiting.then(() => runSteps(steps, exchange, index + 1));
  }
  return true;
}
