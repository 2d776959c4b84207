import type { Exchange } from '../exchange';

/**
 * One step of the gateway's pipeline: a small check or enrichment of the exchange. It returns
 * nothing when it is done at once (the common case: a cache hit, a counter), or a promise when it
 * must wait (a key fetch, Redis, the auth app); it refuses by throwing a DomainError.
 */
export interface PipelineStep {
  readonly name: string;
  run(exchange: Exchange): void | Promise<void>;
}
