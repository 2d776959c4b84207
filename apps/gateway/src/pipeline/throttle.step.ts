import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { TrustedProxies } from '@gatehouse/throttling';
import type { Exchange } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { type BucketState, RateLimitCounters } from '../throttling/rate-limit-counters';
import { RateLimits } from '../throttling/rate-limits';
import type { PipelineStep } from './pipeline-step';

/**
 * Pipeline step 7: one hit on each of the request's buckets (route class per user or client
 * address, tenant plan, global). Past any limit: 429 `rate_limited` with `Retry-After`. Every
 * answer carries `RateLimit-Limit`, `-Remaining` and `-Reset` of the caller's tightest own bucket
 * (draft-ietf-httpapi-ratelimit-headers); the global bucket, shared by all tenants, is never shown.
 */
@Injectable()
export class ThrottleStep implements PipelineStep {
  readonly name = 'throttle';
  private readonly limits: RateLimits;
  private readonly proxies: TrustedProxies;

  constructor(
    settings: GatewaySettings,
    private readonly counters: RateLimitCounters,
  ) {
    this.limits = new RateLimits(settings);
    this.proxies = new TrustedProxies(settings.trustedProxies);
  }

  run(exchange: Exchange): void | Promise<void> {
    const { request } = exchange;
    const client = () => this.proxies.clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    const states = this.counters.hit(this.limits.bucketsFor(exchange, client));
    if (states instanceof Promise) return states.then((settled) => answer(exchange, settled));
    answer(exchange, states);
  }
}

/** `RateLimit-*` headers of the tightest own bucket; past any limit, `429 rate_limited`. */
function answer({ reply }: Exchange, states: readonly BucketState[]): void {
  let shown: BucketState | undefined;
  let exceeded = false;
  for (const state of states) {
    exceeded ||= state.exceeded;
    if (state.bucket.reported && tighter(state, shown)) shown = state;
  }
  if (exceeded) refuse(states, shown);
  if (!shown) return;
  void reply.header('ratelimit-limit', String(shown.bucket.limit));
  void reply.header('ratelimit-remaining', String(shown.remaining));
  void reply.header('ratelimit-reset', String(shown.resetSeconds));
}

function refuse(states: readonly BucketState[], shown: BucketState | undefined): never {
  const exceeded = states.filter((state) => state.exceeded);
  const retryAfter = Math.max(...exceeded.map((state) => state.resetSeconds));
  const buckets = exceeded.map((state) => state.bucket.name).join(', ');
  const headers: Record<string, string> = shown
    ? { 'ratelimit-limit': String(shown.bucket.limit), 'ratelimit-remaining': String(shown.remaining), 'ratelimit-reset': String(shown.resetSeconds) }
    : {};
  throw new DomainError('rate_limited', `rate limit reached: ${buckets}`, { ...headers, 'retry-after': String(retryAfter) });
}

/** Closer to its limit than `chosen`; of two as close, the one that resets later. */
function tighter(state: BucketState, chosen: BucketState | undefined): boolean {
  return !chosen || state.remaining < chosen.remaining || (state.remaining === chosen.remaining && state.resetSeconds > chosen.resetSeconds);
}
