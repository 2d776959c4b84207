import type { ClientProxy } from '@nestjs/microservices';
import { DomainError, type ErrorCode } from '@gatehouse/contracts';
import { currentRequestContext } from '@gatehouse/observability';
import { emitEvent, type MessageMeta, rpcCall } from '@gatehouse/transport';
import type { ServiceTokenClient } from './service-token.client';

/** A callee's refusals of our service token, as opposed to refusals of what we asked. */
const TOKEN_REFUSED: ReadonlySet<ErrorCode> = new Set([
  'missing_token',
  'invalid_token',
  'token_expired',
  'unknown_signing_key',
  'invalid_claims',
  'inactive_token',
]);
const NOT_ALLOWED: ReadonlySet<ErrorCode> = new Set(['insufficient_scope', 'forbidden', 'tenant_mismatch']);

/**
 * A message client that carries this service's token and the request id on every message, tries
 * once more with a fresh token when the callee refuses the token, and turns a refusal of this
 * service's own identity into `503 service_unavailable`: the end user's request was fine, the
 * platform's wiring is not, and the reason goes to the log.
 */
export class ServiceClient {
  constructor(
    private readonly client: ClientProxy,
    private readonly tokens: ServiceTokenClient,
    private readonly timeoutMs: number,
  ) {}

  async send<T>(pattern: string, payload: object): Promise<T> {
    const token = await this.tokens.token();
    try {
      return await rpcCall<T>(this.client, pattern, payload, this.timeoutMs, this.meta(token));
    } catch (error) {
      if (!(error instanceof DomainError) || !TOKEN_REFUSED.has(error.code)) throw asOwnFailure(error);
      this.tokens.invalidate(token);
      const fresh = await this.tokens.token();
      return rpcCall<T>(this.client, pattern, payload, this.timeoutMs, this.meta(fresh)).catch((retried: unknown) => {
        throw asOwnFailure(retried);
      });
    }
  }

  async emit(pattern: string, payload: object): Promise<void> {
    await emitEvent(this.client, pattern, payload, this.timeoutMs, this.meta(await this.tokens.token()));
  }

  private meta(token: string): MessageMeta {
    const context = currentRequestContext();
    return { authorization: `Bearer ${token}`, requestId: context?.requestId, traceparent: context?.traceparent };
  }
}

function asOwnFailure(error: unknown): unknown {
  if (error instanceof DomainError && (TOKEN_REFUSED.has(error.code) || NOT_ALLOWED.has(error.code))) {
    return new DomainError('service_unavailable', `callee refused this service: ${error.code} (${error.reason ?? ''})`);
  }
  return error;
}
